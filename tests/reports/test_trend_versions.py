"""Trends continue across the versions of a standard, task by task (matched by code),
and draw a line chart over the cycles' dates."""

import datetime

import pytest
from django.urls import reverse

from reports import charts
from reports.charts import date_positions, trend_chart
from reports.selectors_gaps import TaskChange
from tests.factories import small_document, small_standard, standard_from
from tests.reports.conftest import make_cycle, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_version(team, alice):
    """Version 2 of the report standard: T1.2 now needs level 5, T1.3 (level 1) is new,
    T2.1 is gone. alice answered it in 2027 at 3, 3, 1 (gaps 0, +2, 0)."""
    v2 = small_standard("RPT0001-001v2", name="報表測試職能基準", levels=[[3, 5, 1]])
    submitted(alice, v2, make_cycle("2027 年度自評", 2027), [3, 3, 1])
    return v2


def test_a_persons_trend_continues_into_the_next_version(client, next_version, carol, alice):
    client.force_login(carol.user)
    result = client.get(reverse("reports:trends"), {"employee": alice.pk}).context["trend"]

    assert [(c.name, c.versions) for c in result.cycles] == [
        ("2025 年度自評", "v1"),
        ("2026 年度自評", "v1"),
        ("2027 年度自評", "v2"),
    ]
    assert [round(c.average_shortfall, 2) for c in result.cycles] == [2.0, 0.67, 0.67]
    # The newest version's tasks in its order, then the one it no longer has.
    assert {t.code: t.average_shortfalls for t in result.tasks} == {
        "T1.1": [2.0, 0.0, 0.0],
        "T1.2": [3.0, 2.0, 2.0],
        "T1.3": [None, None, 0.0],
        "T2.1": [1.0, 0.0, None],
    }
    assert [t.code for t in result.tasks] == ["T1.1", "T1.2", "T1.3", "T2.1"]
    assert {t.code: t.changes for t in result.tasks} == {
        "T1.1": [],
        "T1.2": [TaskChange(2, "level", "4", "5")],
        "T1.3": [TaskChange(2, "added")],
        "T2.1": [TaskChange(2, "removed")],
    }


def test_the_team_trend_mixes_versions_in_a_cycle(client, next_version, carol, bob):
    # bob moved to version 2 in 2027 as well, at 1, 5, 1.
    submitted(bob, next_version, next_version.assessments.get().cycle, [1, 5, 1])
    client.force_login(carol.user)
    result = client.get(reverse("reports:trends")).context["trend"]
    assert [c.people for c in result.cycles] == [1, 2, 2]
    tasks = {t.code: t.average_shortfalls for t in result.tasks}
    # 2027: alice 0 and bob 2 on T1.1; alice 2 and bob 0 on T1.2.
    assert tasks["T1.1"][2] == 1.0
    assert tasks["T1.2"][2] == 1.0


def test_a_retitled_task_keeps_its_trend_under_its_new_title(client, team, carol, alice):
    document = small_document("RPT0001-001v2", name="報表測試職能基準", levels=[[3, 4], [2]])
    document.duties[0].tasks[0].title = "新的任務名稱"
    v2 = standard_from(document)
    submitted(alice, v2, make_cycle("2027 年度自評", 2027), [3, 4, 2])
    client.force_login(carol.user)
    result = client.get(reverse("reports:trends"), {"employee": alice.pk}).context["trend"]
    t11 = next(t for t in result.tasks if t.code == "T1.1")
    assert t11.title == "新的任務名稱"
    assert t11.changes == [TaskChange(2, "retitled", "任務1.1", "新的任務名稱")]
    assert len(t11.average_shortfalls) == 3


def test_the_trends_page_shows_the_changes_and_a_dated_line_chart(
    client, next_version, carol, alice
):
    client.force_login(carol.user)
    page = client.get(reverse("reports:trends"), {"employee": alice.pk}).content.decode()
    assert 'data-change="level"' in page
    assert 'data-change="added"' in page
    assert "<polyline" in page
    for day in ["2025-01-01", "2026-01-01", "2027-01-01"]:
        assert f">{day}<" in page
    assert ">C1<" not in page


def test_the_trend_download_lists_the_changes(client, next_version, carol, alice):
    from tests.reports.test_exports import csv_rows

    client.force_login(carol.user)
    params = {"employee": alice.pk, "format": "csv"}
    rows = csv_rows(client.get(reverse("reports:trends"), params))
    changes = {row[0]: row[-1] for row in rows[1:]}
    assert changes["T1.2"] == str(TaskChange(2, "level", "4", "5"))
    assert changes["T1.1"] == ""


# -- The chart's geometry ------------------------------------------------------------


def test_dates_lie_along_the_axis_in_proportion():
    days = [datetime.date(2024, 1, 1), datetime.date(2025, 1, 1), datetime.date(2027, 1, 1)]
    xs = date_positions(days)
    assert xs[0] == charts.LEFT
    assert xs[-1] == charts.LEFT + charts.PLOT_WIDTH
    # 2025 is a third of the way from 2024 to 2027.
    assert xs[1] == pytest.approx(charts.LEFT + charts.PLOT_WIDTH * 366 / 1096, abs=0.1)


def test_close_dates_are_pushed_apart_and_still_fit():
    days = [datetime.date(2020, 1, 1), datetime.date(2020, 1, 2), datetime.date(2026, 1, 1)]
    xs = date_positions(days)
    assert xs[1] - xs[0] >= charts.MIN_SPACING - 0.1
    assert xs[-1] <= charts.LEFT + charts.PLOT_WIDTH
    many = [datetime.date(2020, 1, day) for day in range(1, 20)]
    spread = date_positions(many)
    assert spread == sorted(spread)
    assert spread[-1] <= charts.LEFT + charts.PLOT_WIDTH


def test_one_cycle_sits_in_the_middle():
    assert date_positions([datetime.date(2026, 1, 1)]) == [charts.LEFT + charts.PLOT_WIDTH / 2]


def test_a_level_is_drawn_higher_the_larger_it_is(team, carol):
    from reports.selectors import viewer_for
    from reports.selectors_gaps import trend

    cycles = trend(viewer_for(carol.user).assessments()).cycles
    chart = trend_chart(cycles)
    required, own, shortfall = chart.series
    assert required.name == "average_required"
    # 2025: required 3.0 on average, own 1.0, shortfall 2.0.
    assert own.points[0].y > shortfall.points[0].y > required.points[0].y
    assert required.path.count(",") == 2
