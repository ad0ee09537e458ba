"""Long report lists come a page at a time; their downloads hold every row."""

import html
import re

import pytest
from django.urls import reverse

from reports import views, views_needs
from reports.selectors import training_needs, viewer_for, with_items
from tests.reports.conftest import team_once_per_module
from tests.reports.test_exports import csv_rows

pytestmark = pytest.mark.django_db

# Every test here reads the same scenario: built once for the module.
module_team, team, carol, alice, bob, dave, erin, hannah, production, sales = team_once_per_module()

DASHBOARD = reverse("reports:dashboard")
NEEDS = reverse("reports:training_needs")


def numbers(rows):
    return [a.employee.employee_number for a in rows]


def link(page: str, marker: str) -> str:
    """The address of the link carrying the attribute `marker`."""
    return html.unescape(re.search(rf'<a href="([^"]*)"[^>]*{marker}', page).group(1))


def test_dashboard_pages_keep_the_filters_and_the_download_has_every_row(
    client, unfinished, carol, monkeypatch
):
    monkeypatch.setattr(views, "DASHBOARD_PAGE_SIZE", 3)
    client.force_login(carol.user)
    cycle = unfinished.cycle.pk

    first = client.get(DASHBOARD, {"cycle": cycle})
    second = client.get(DASHBOARD, {"cycle": cycle, "page": 2})

    assert numbers(first.context["rows"]) == ["E010", "E011", "E001"]
    assert numbers(second.context["rows"]) == ["E002"]
    assert f'href="?cycle={cycle}&amp;page=2" rel="next"' in first.content.decode()
    assert f'href="?cycle={cycle}" rel="prev"' in second.content.decode()
    assert "第 1–3 筆，共 4 筆" in first.content.decode()
    assert first.context["counts"]["total"] == 4
    download = csv_rows(client.get(DASHBOARD, {"cycle": cycle, "page": 2, "format": "csv"}))
    assert [row[0] for row in download[1:]] == ["E010", "E011", "E001", "E002"]


def test_dashboard_names_the_first_few_still_to_finish_and_lists_them_all_on_request(
    client, unfinished, carol, monkeypatch
):
    monkeypatch.setattr(views, "REMINDERS_SHOWN", 1)
    client.force_login(carol.user)

    response = client.get(DASHBOARD)
    page = response.content.decode()

    assert numbers(response.context["reminders"]) == ["E010"]
    assert response.context["unfinished_count"] == 2
    assert "data-show-unfinished" in page
    listed = client.get(DASHBOARD + link(page, "data-show-unfinished"))
    assert numbers(listed.context["rows"]) == ["E010", "E011"]
    # The counts stay those of the whole cycle whichever stage is listed.
    assert listed.context["counts"] == {"total": 4, "pending": 1, "draft": 1, "submitted": 2}


@pytest.mark.parametrize(
    ("stage", "listed"),
    [("pending", ["E010"]), ("draft", ["E011"]), ("submitted", ["E001", "E002"]), ("", None)],
)
def test_dashboard_lists_one_stage(client, unfinished, carol, stage, listed):
    client.force_login(carol.user)
    response = client.get(DASHBOARD, {"stage": stage})
    assert numbers(response.context["rows"]) == (listed or ["E010", "E011", "E001", "E002"])


def test_dashboard_with_nothing_in_a_stage_says_so(client, team, carol):
    client.force_login(carol.user)
    response = client.get(DASHBOARD, {"stage": "draft"})
    assert list(response.context["rows"]) == []
    assert 'data-empty="assessments"' in response.content.decode()
    assert response.context["unfinished_count"] == 0


def test_a_forged_stage_is_404(client, team, carol):
    client.force_login(carol.user)
    assert client.get(DASHBOARD, {"stage": "approved"}).status_code == 404


def test_training_needs_rank_across_pages_each_table_on_its_own(client, team, hannah, monkeypatch):
    monkeypatch.setattr(views_needs, "NEEDS_PAGE_SIZE", 1)
    client.force_login(hannah.user)

    first = client.get(NEEDS)
    second = client.get(NEEDS, {"knowledge_page": 2, "order": "shortfall"})

    assert [(n.rank, n.item.code) for n in first.context["knowledge"]] == [(1, "K01")]
    assert [(n.rank, n.item.code) for n in second.context["knowledge"]] == [(2, "K02")]
    assert [(n.rank, n.item.code) for n in second.context["skills"]] == [(1, "S01")]
    assert 'href="?knowledge_page=2" rel="next"' in first.content.decode()
    # The ranking links start the tables again from their first page.
    ranking = re.findall(r'<p class="sorting.*?</p>', second.content.decode(), re.S)[0]
    assert "knowledge_page" not in ranking and "order=people" in ranking
    download = csv_rows(client.get(NEEDS, {"format": "csv", "knowledge_page": 2}))
    assert [(row[0], row[3]) for row in download[1:]] == [("1", "K01"), ("2", "K02"), ("1", "S01")]


def test_training_need_people_come_a_page_at_a_time(client, team, hannah, monkeypatch):
    monkeypatch.setattr(views_needs, "DETAIL_PAGE_SIZE", 2)
    client.force_login(hannah.user)
    k01 = team.standard.knowledge_items.get(code="K01")
    url = reverse("reports:training_need", args=["knowledge", k01.pk])

    first = client.get(url)
    second = client.get(url, {"page": 2})

    # Short on K01's tasks: alice T1.2, bob T1.1, erin T1.1 and T1.2.
    assert first.context["people"] == second.context["people"] == 3
    shown = [(r.assessment.employee.employee_number, r.task_code) for r in first.context["ratings"]]
    shown += [
        (r.assessment.employee.employee_number, r.task_code) for r in second.context["ratings"]
    ]
    assert sorted(shown) == [("E001", "T1.2"), ("E002", "T1.1"), ("E003", "T1.1"), ("E003", "T1.2")]
    assert len(csv_rows(client.get(url, {"format": "csv", "page": 2}))) == 1 + 4


def test_an_item_deleted_after_the_ranking_was_read_is_left_out(team, hannah):
    viewer = viewer_for(hannah.user)
    needs = training_needs(viewer.assessments())["knowledge"]
    team.standard.knowledge_items.get(code="K01").delete()

    assert [n.item.code for n in with_items(needs, kind="knowledge")] == ["K02"]
