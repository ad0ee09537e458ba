"""One person's gap report as a PDF at /reports/assessments/<pk>/pdf/, for the
personnel file (who may download it: tests/reports/test_access.py)."""

import pytest
from django.urls import reverse

from assessments.models import TaskRating
from common import pdf
from reports.services import ReviewInput, review_save
from tests.conftest import make_employee
from tests.pdf import embedded_fonts, needs_pdf_renderer, pdf_text
from tests.reports.conftest import submitted

pytestmark = pytest.mark.django_db


def pdf_url(assessment) -> str:
    return reverse("reports:person_pdf", args=[assessment.pk])


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def reviewed(team, carol):
    """alice's assessment with her evidence on T1.1 and carol's review (T1.2 rated 3)."""
    TaskRating.objects.filter(assessment=team.alice, task_code="T1.1").update(
        comment="完成三次排程演練", indicator_checks={"P1.1.1": True}
    )
    TaskRating.objects.filter(assessment=team.alice, task_code="T1.2").update(
        indicator_checks={"P1.2.1": False}
    )
    t12 = team.alice.ratings.get(task_code="T1.2")
    review_save(
        assessment=team.alice,
        reviewer=carol,
        ratings={t12.pk: ReviewInput(level=3, comment="需再練習")},
        comment="整體表現穩定",
        share=False,
    )
    return team.alice


@needs_pdf_renderer
def test_the_pdf_names_the_person_cycle_standard_and_both_levels(client, carol, reviewed):
    client.force_login(carol.user)

    response = client.get(pdf_url(reviewed))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = squeezed(pdf_text(response.content))
    for expected in ["職能落差報告", "王愛麗", "E001", "生產管理部", "2026年度自評"]:
        assert expected in text
    assert "RPT0001-001v1報表測試職能基準" in text
    # T1.2: required 4, own 2 (gap +2), manager 3 (gap +1), with the manager's note.
    assert "T1.2任務1.242+23+1需再練習" in text
    assert "整體表現穩定" in text


@needs_pdf_renderer
def test_the_pdf_summarises_the_evidence_ticked_and_written(client, carol, reviewed):
    client.force_login(carol.user)

    text = squeezed(pdf_text(client.get(pdf_url(reviewed)).content))

    evidence = text[text.index("佐證") :]
    assert "T1.1任務1.1P1.1.1行為指標1.1完成三次排程演練" in evidence
    assert "P1.2.1" not in evidence  # answered "not done"


@needs_pdf_renderer
def test_the_pdf_ends_with_the_signature_block(client, carol, reviewed):
    client.force_login(carol.user)

    text = squeezed(pdf_text(client.get(pdf_url(reviewed)).content))

    block = text[text.rindex("主管簽核") :]
    assert block.startswith("主管簽核員工確認")
    assert "姓名：陳卡蘿" in block and "姓名：王愛麗" in block
    assert block.count("日期：") == 2 and block.count("簽名") == 2


@needs_pdf_renderer
def test_the_pdf_embeds_the_noto_cjk_font(client, carol, reviewed):
    client.force_login(carol.user)

    fonts = embedded_fonts(client.get(pdf_url(reviewed)).content)

    assert fonts and all("Noto" in name and "CJK" in name for name in fonts), fonts


@needs_pdf_renderer
def test_an_unsubmitted_assessment_prints_without_results(client, carol, team, production):
    newcomer = make_employee("newcomer", "E099", "新同仁", production, carol)
    pending = submitted(newcomer, team.standard, team.cycle, None)
    client.force_login(carol.user)

    text = squeezed(pdf_text(client.get(pdf_url(pending)).content))

    assert "新同仁" in text and "尚未送出" in text
    assert "佐證" not in text


def test_the_gap_report_links_to_its_pdf(client, carol, team):
    client.force_login(carol.user)

    page = client.get(reverse("reports:person", args=[team.alice.pk])).content.decode()

    assert f'href="{pdf_url(team.alice)}"' in page


def test_without_the_renderer_the_report_says_what_to_install(client, carol, team, monkeypatch):
    monkeypatch.setattr(pdf, "_renderer", lambda: None)
    client.force_login(carol.user)

    page = client.get(reverse("reports:person", args=[team.alice.pk])).content.decode()
    response = client.get(pdf_url(team.alice))

    assert pdf_url(team.alice) not in page
    assert "apt-get install libpango-1.0-0" in page
    assert response.status_code == 503
    assert "apt-get install libpango-1.0-0" in response.content.decode()
