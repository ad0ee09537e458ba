"""What the report pages show: dashboard counts, heatmap, training needs and trends."""

import pytest
from django.urls import reverse

from reports.selectors import viewer_for
from reports.selectors_gaps import gap_class, heatmap, trend
from tests.conftest import make_employee
from tests.reports.conftest import submitted

pytestmark = pytest.mark.django_db


def cells(heatmap_result) -> dict[tuple[str, str], int | None]:
    return {
        (row.name, column.code): (cell.gap if cell else None)
        for row in heatmap_result.rows
        for column, cell in zip(heatmap_result.columns, row.cells, strict=True)
    }


@pytest.mark.parametrize(
    ("gap", "css"),
    [
        (-2, "excess"),
        (-1, "excess"),
        (0, "met"),
        (1, "short-1"),
        (2, "short-2"),
        (3, "short-3"),
        (5, "short-3"),
        (None, "unrated"),
    ],
)
def test_gap_classes_split_excess_met_and_shortfall_by_size(gap, css):
    assert gap_class(gap) == css


def test_employee_without_reports_is_no_report_viewer(alice):
    assert viewer_for(alice.user) is None


def test_manager_scope_holds_direct_and_indirect_reports(carol, alice, production):
    intern = make_employee("ivan", "E900", "伊凡", production, alice)
    viewer = viewer_for(carol.user)
    assert viewer.team == {alice.pk, intern.pk}
    assert not viewer.hr


def test_dashboard_counts_each_stage_and_lists_who_is_not_finished(client, unfinished, carol):
    client.force_login(carol.user)

    response = client.get(reverse("reports:dashboard"))

    assert response.context["cycle"] == unfinished.cycle
    assert response.context["counts"] == {"total": 4, "pending": 1, "draft": 1, "submitted": 2}
    reminders = [a.employee.name for a in response.context["reminders"]]
    assert sorted(reminders) == sorted(["范克", "吉娜"])
    assert 'data-reminder="E010"' in response.content.decode()
    # Unfinished first: not started, then drafts, then the submitted ones.
    assert [a.stage for a in response.context["rows"]] == [
        "pending",
        "draft",
        "submitted",
        "submitted",
    ]


def test_dashboard_for_an_earlier_cycle(client, team, carol):
    client.force_login(carol.user)
    response = client.get(reverse("reports:dashboard"), {"cycle": team.earlier_cycle.pk})
    assert [a.pk for a in response.context["rows"]] == [team.alice_earlier.pk]


def test_hr_dashboard_covers_any_department(client, team, hannah, sales):
    client.force_login(hannah.user)
    everyone = client.get(reverse("reports:dashboard"))
    assert everyone.context["counts"]["total"] == 3
    only_sales = client.get(reverse("reports:dashboard"), {"department": sales.pk})
    assert [a.pk for a in only_sales.context["rows"]] == [team.erin.pk]


def test_heatmap_cells_are_the_gaps_of_the_managers_team(client, team, carol):
    client.force_login(carol.user)
    response = client.get(reverse("reports:heatmap"))
    result = response.context["heatmap"]
    assert [c.code for c in result.columns] == ["T1.1", "T1.2", "T2.1"]
    assert cells(result) == {
        ("王愛麗", "T1.1"): 0, ("王愛麗", "T1.2"): 2, ("王愛麗", "T2.1"): -1,
        ("林鮑伯", "T1.1"): 2, ("林鮑伯", "T1.2"): 0, ("林鮑伯", "T2.1"): 2,
    }  # fmt: skip
    page = response.content.decode()
    assert page.count('class="heat short-2"') == 3 + 1  # three cells and the legend
    assert page.count('class="heat excess"') == 1 + 1  # alice's cell and the legend


def test_heatmap_row_and_column_summaries(client, team, carol):
    client.force_login(carol.user)
    result = client.get(reverse("reports:heatmap")).context["heatmap"]
    rows = {
        r.name: (r.short_count, r.total_shortfall, round(r.average_shortfall, 2))
        for r in result.rows
    }
    # alice's level above T2.1's does not make up for her shortfall on T1.2.
    assert rows == {"王愛麗": (1, 2, 0.67), "林鮑伯": (2, 4, 1.33)}
    columns = {
        c.code: (c.short_count, c.total_shortfall, c.average_shortfall) for c in result.columns
    }
    assert columns == {"T1.1": (1, 2, 1.0), "T1.2": (1, 2, 1.0), "T2.1": (1, 2, 1.0)}


def test_heatmap_sorts_people_by_total_shortfall_and_tasks_by_people_short(client, team, hannah):
    client.force_login(hannah.user)
    result = client.get(
        reverse("reports:heatmap"), {"sort": "shortfall", "task_sort": "shortfall"}
    ).context["heatmap"]
    assert [r.name for r in result.rows] == ["李艾琳", "林鮑伯", "王愛麗"]
    # T1.1: bob and erin short (total 5); T1.2: alice, erin (6); T2.1: bob, erin (4).
    assert [c.code for c in result.columns] == ["T1.2", "T1.1", "T2.1"]


def test_heatmap_only_shortfalls_hides_people_and_tasks_without_any(
    client, team, carol, production
):
    frank = make_employee("frank", "E010", "范克", production, carol)
    submitted(frank, team.standard, team.cycle, [6, 6, 6])
    client.force_login(carol.user)
    everyone = client.get(reverse("reports:heatmap")).context["heatmap"]
    short = client.get(reverse("reports:heatmap"), {"only_shortfalls": "on"}).context["heatmap"]
    assert "范克" in [r.name for r in everyone.rows]
    assert [r.name for r in short.rows] == ["林鮑伯", "王愛麗"]


def test_heatmap_department_filter_includes_sub_departments(client, team, hannah, production):
    from assessments.models import Department

    line = Department.objects.create(code="PM1", name="產線一課", parent=production)
    worker = make_employee("lin", "E020", "林工", line)
    submitted(worker, team.standard, team.cycle, [3, 4, 2])
    client.force_login(hannah.user)
    result = client.get(reverse("reports:heatmap"), {"department": production.pk}).context[
        "heatmap"
    ]
    assert sorted(r.name for r in result.rows) == sorted(["王愛麗", "林鮑伯", "林工"])


def test_heatmap_ignores_unsubmitted_assessments(team, carol, production):
    frank = make_employee("frank", "E010", "范克", production, carol)
    submitted(frank, team.standard, team.cycle, None)
    viewer = viewer_for(carol.user)
    result = heatmap(viewer.assessments().filter(cycle=team.cycle))
    assert "范克" not in [r.name for r in result.rows]


def test_training_needs_rank_items_by_people_short_for_a_team(client, team, carol):
    client.force_login(carol.user)
    response = client.get(reverse("reports:training_needs"))
    knowledge = [
        (n.item.code, n.people, n.task_count, n.total_shortfall)
        for n in response.context["knowledge"]
    ]
    skills = [
        (n.item.code, n.people, n.task_count, n.total_shortfall) for n in response.context["skills"]
    ]
    # Short: alice T1.2 by 2; bob T1.1 by 2 and T2.1 by 2.
    assert knowledge == [("K01", 2, 2, 4), ("K02", 1, 1, 2)]
    assert skills == [("S01", 1, 2, 4)]


def test_training_needs_for_the_whole_organisation_ranked_by_total_shortfall(client, team, hannah):
    client.force_login(hannah.user)
    response = client.get(reverse("reports:training_needs"), {"order": "shortfall"})
    knowledge = [(n.item.code, n.people, n.total_shortfall) for n in response.context["knowledge"]]
    skills = [(n.item.code, n.people, n.total_shortfall) for n in response.context["skills"]]
    assert knowledge == [("K01", 3, 11), ("K02", 2, 4)]
    assert skills == [("S01", 2, 9)]


def test_training_needs_for_a_department(client, team, hannah, sales):
    client.force_login(hannah.user)
    response = client.get(reverse("reports:training_needs"), {"department": sales.pk})
    assert [(n.item.code, n.people) for n in response.context["knowledge"]] == [
        ("K01", 1),
        ("K02", 1),
    ]


def test_training_need_drills_down_to_the_people_and_tasks(client, team, carol):
    client.force_login(carol.user)
    k01 = team.standard.knowledge_items.get(code="K01")
    response = client.get(reverse("reports:training_need", args=["knowledge", k01.pk]))
    rows = [(r.assessment.employee.name, r.task_code, r.gap) for r in response.context["ratings"]]
    assert sorted(rows) == sorted([("王愛麗", "T1.2", 2), ("林鮑伯", "T1.1", 2)])
    assert response.context["people"] == 2


def test_trends_match_tasks_across_cycles_for_the_team(client, team, carol):
    client.force_login(carol.user)
    result = client.get(reverse("reports:trends")).context["trend"]
    assert [c.name for c in result.cycles] == ["2025 年度自評", "2026 年度自評"]
    assert [round(c.average_shortfall, 2) for c in result.cycles] == [2.0, 1.0]
    assert [c.people for c in result.cycles] == [1, 2]
    shortfalls = {t.code: t.average_shortfalls for t in result.tasks}
    assert shortfalls == {"T1.1": [2.0, 1.0], "T1.2": [3.0, 1.0], "T2.1": [1.0, 1.0]}


def test_trends_for_one_person(client, team, carol, bob):
    client.force_login(carol.user)
    result = client.get(reverse("reports:trends"), {"employee": bob.pk}).context["trend"]
    assert [c.name for c in result.cycles] == ["2026 年度自評"]
    assert {t.code: t.average_shortfalls for t in result.tasks} == {
        "T1.1": [2.0],
        "T1.2": [0.0],
        "T2.1": [2.0],
    }


def test_trend_of_another_standard_version_leaves_this_one_out(team, carol, alice):
    from tests.reports.conftest import make_cycle, make_report_standard

    next_version = make_report_standard("RPT0001-001v2")
    submitted(alice, next_version, make_cycle("2027 年度自評", 2027), [4, 4, 4])
    viewer = viewer_for(carol.user)
    result = trend(viewer.assessments().filter(standard=team.standard))
    assert len(result.cycles) == 2
