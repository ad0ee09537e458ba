"""Comparing two versions: the pure comparison and the page that shows it."""

import pytest
from django.urls import reverse
from django.utils import translation

from standards.comparison import compare_documents
from standards.parsing import ParsedStandard
from tests.factories import sample_standard, standard_from
from tests.standards.samples import expected_data


def older_version() -> dict:
    """AVA4322-001v4 as a v3 that differs in each way a comparison reports."""
    data = expected_data("AVA4322-001v4")
    data["code"] = "AVA4322-001v3"
    first_duty, second_duty = data["duties"][0], data["duties"][1]
    # v4 added T1.3 (v3 lacked it) and dropped a v3 task T2.9.
    first_duty["tasks"] = [t for t in first_duty["tasks"] if t["code"] != "T1.3"]
    gone = dict(second_duty["tasks"][0], code="T2.9", title="舊版任務", indicators=[])
    gone["outputs"] = []
    second_duty["tasks"].append(gone)
    # v4 retitled T1.1 and raised T1.2 from level 2.
    first_duty["tasks"][0]["title"] = "確認顧客需求"
    first_duty["tasks"][1]["level"] = 2
    # v4 added P2.1.x's first indicator and dropped one v3 had.
    indicators = second_duty["tasks"][0]["indicators"]
    indicators[0] = {"code": indicators[0]["code"], "text": "舊版的行為指標"}
    # v4 renamed K511 (v3 called it 物料規劃) and added skill S501.
    for item in data["knowledge"]:
        if item["code"] == "K511":
            item["name"] = "物料規劃"
    data["skills"] = [s for s in data["skills"] if s["code"] != "S501"]
    for task in [t for duty in data["duties"] for t in duty["tasks"]]:
        task["skills"] = [code for code in task["skills"] if code != "S501"]
    return data


def test_comparison_reports_every_kind_of_change():
    new = expected_data("AVA4322-001v4")
    old = older_version()

    comparison = compare_documents(old, new)

    assert [t.code for t in comparison.tasks_added] == ["T1.3"]
    assert [t.code for t in comparison.tasks_removed] == ["T2.9"]
    assert [(t.code, t.old_title) for t in comparison.tasks_retitled] == [("T1.1", "確認顧客需求")]
    assert [(c.code, c.old_level, c.new_level) for c in comparison.level_changes] == [
        ("T1.2", 2, 3)
    ]
    [indicators] = comparison.indicators
    assert indicators.task.code == "T2.1"
    assert [i["text"] for i in indicators.removed] == ["舊版的行為指標"]
    assert indicators.added == [new["duties"][1]["tasks"][0]["indicators"][0]]
    assert comparison.indicators_added == comparison.indicators_removed == 1
    assert comparison.knowledge_added == [{"code": "K511", "name": "物料需求規劃"}]
    assert comparison.knowledge_removed == [{"code": "K511", "name": "物料規劃"}]
    assert [s["code"] for s in comparison.skills_added] == ["S501"]
    assert comparison.skills_removed == []
    assert not comparison.is_empty


def test_a_version_compared_with_itself_has_no_changes():
    data = expected_data("AVA4322-001v4")

    assert compare_documents(data, expected_data("AVA4322-001v4")).is_empty


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "other"), [("AVA4322-001v4", "AVA4322-001v3"), ("AVA4322-001v3", "AVA4322-001v4")]
)
def test_the_page_reads_from_the_older_version_to_the_newer(client, code, other):
    standard_from(ParsedStandard.from_dict(older_version()))
    sample_standard("AVA4322-001v4")

    with translation.override("en"):
        response = client.get(reverse("standards:compare", args=[code, other]))

    assert response.status_code == 200
    assert response.context["old"].code == "AVA4322-001v3"
    assert response.context["new"].code == "AVA4322-001v4"
    content = response.content.decode()
    summary = content[content.index('class="summary') :].split("</p>")[0]
    assert "1 added, 1 removed, 1 retitled, 1 with a changed level" in summary
    assert 'href="/en/standards/AVA4322-001v4/#task-T1.3"' in content  # added, in the new
    assert 'href="/en/standards/AVA4322-001v3/#task-T2.9"' in content  # removed, in the old
    assert "舊版任務" in content
    assert "<del>確認顧客需求</del>" in content


@pytest.mark.django_db
def test_the_version_history_links_to_the_comparison(client):
    standard_from(ParsedStandard.from_dict(older_version()))
    sample_standard("AVA4322-001v4")

    content = client.get(reverse("standards:detail", args=["AVA4322-001v3"])).content.decode()

    assert f'href="{reverse("standards:compare", args=["AVA4322-001v3", "AVA4322-001v4"])}"' in (
        content
    )


@pytest.mark.django_db
def test_comparing_with_a_draft_is_404(client):
    sample_standard("AVA4322-001v4")
    standard_from(ParsedStandard.from_dict(older_version()), publish=False)

    url = reverse("standards:compare", args=["AVA4322-001v4", "AVA4322-001v3"])

    assert client.get(url).status_code == 404
