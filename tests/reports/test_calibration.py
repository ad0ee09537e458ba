"""Calibration: the reviewers' levels against the own levels, checked on hand-built data.

Own levels (T1.1, T1.2, T2.1): alice 3 2 3, bob 1 4 0 (carol's team), erin 0 0 0
(dave's). Manager's levels: carol gives alice 4 2 1 and bob 1 2 2, dave gives erin 2 0 0.
Differences (manager − own): carol +1 0 −2 and 0 −2 +2, dave +2 0 0.
"""

import io
import math

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from reports.selectors_calibration import calibration
from reports.services import ReviewInput, review_save
from tests.reports.conftest import Team, build_team, team_once_per_module

pytestmark = pytest.mark.django_db

REVIEWS = {"alice": ("carol", [4, 2, 1]), "bob": ("carol", [1, 2, 2]), "erin": ("dave", [2, 0, 0])}


def build_reviewed_team() -> Team:
    from assessments.models import Employee

    team = build_team()
    for person, (reviewer, levels) in REVIEWS.items():
        assessment = getattr(team, person)
        ratings = assessment.ratings.order_by("order")
        review_save(
            assessment=assessment,
            reviewer=Employee.objects.get(user__username=reviewer),
            ratings={
                r.pk: ReviewInput(level=level) for r, level in zip(ratings, levels, strict=True)
            },
            comment="",
        )
    return team


module_team, team, carol, alice, bob, dave, erin, hannah, production, sales = team_once_per_module(
    build_reviewed_team
)


def population_sd(values: list[int]) -> float:
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


CAROL = [1, 0, -2, 0, -2, 2]
DAVE = [2, 0, 0]


def figures(team: Team):
    from assessments.models import Assessment

    return calibration(
        Assessment.objects.filter(cycle=team.cycle, standard=team.standard), overall_name="all"
    )


def test_each_reviewer_gets_the_mean_spread_and_wide_share_of_their_differences(team):
    result = figures(team)

    dave_row, carol_row = result.by_reviewer  # the most lenient first
    assert (dave_row.name, dave_row.people, dave_row.pairs) == ("張大衛", 1, 3)
    assert dave_row.mean_difference == pytest.approx(2 / 3)
    assert dave_row.spread == pytest.approx(population_sd(DAVE))
    assert dave_row.wide_share == pytest.approx(1 / 3)
    assert (carol_row.name, carol_row.people, carol_row.pairs) == ("陳卡蘿", 2, 6)
    assert carol_row.mean_difference == pytest.approx(-1 / 6)
    assert carol_row.spread == pytest.approx(population_sd(CAROL))
    assert carol_row.wide_share == pytest.approx(3 / 6)


def test_the_overall_row_and_the_level_distributions_count_every_pair(team):
    overall = figures(team).overall

    assert overall.pairs == 9 and overall.people == 3
    assert overall.mean_difference == pytest.approx(1 / 9)
    assert overall.spread == pytest.approx(population_sd(CAROL + DAVE))
    # Own levels 3 2 3, 1 4 0, 0 0 0; manager's 4 2 1, 1 2 2, 2 0 0; levels 0–6.
    assert overall.own_counts == (4, 1, 1, 2, 1, 0, 0)
    assert overall.manager_counts == (2, 2, 4, 0, 1, 0, 0)


def test_departments_group_the_pairs_of_their_people(team):
    by_department = {row.name: row for row in figures(team).by_department}

    assert set(by_department) == {"生產管理部", "業務部"}
    assert by_department["生產管理部"].pairs == 6
    assert by_department["業務部"].mean_difference == pytest.approx(2 / 3)


def test_tasks_are_ranked_by_mean_absolute_difference_even_when_the_mean_is_zero(team):
    tasks = figures(team).tasks

    # T2.1: −2 +2 0 (mean 0 but far apart); T1.1: +1 0 +2; T1.2: 0 −2 0.
    assert [t.task_code for t in tasks] == ["T2.1", "T1.1", "T1.2"]
    assert tasks[0].mean_difference == pytest.approx(0)
    assert tasks[0].mean_absolute_difference == pytest.approx(4 / 3)
    assert tasks[0].wide == 2
    assert tasks[2].mean_difference == pytest.approx(-2 / 3)


def test_a_task_without_a_managers_level_is_left_out(team, carol):
    rating = team.alice.ratings.get(task_code="T1.1")
    review_save(
        assessment=team.alice,
        reviewer=carol,
        ratings={rating.pk: ReviewInput(level=None)},
        comment="",
    )
    assert figures(team).overall.pairs == 8


def test_the_page_shows_the_figures_and_explains_them(client, team, hannah):
    client.force_login(hannah.user)

    response = client.get(reverse("reports:calibration"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "張大衛" in page and "陳卡蘿" in page
    assert "+0.67" in page and "-0.17" in page  # dave, carol
    assert "50%" in page  # carol's share differing by 2 or more
    assert 'id="calibration-chart-title"' in page
    assert response.context["calibration"].overall.pairs == 9


def test_a_manager_sees_only_the_reviews_of_their_own_team(client, team, dave):
    client.force_login(dave.user)

    response = client.get(reverse("reports:calibration"))

    result = response.context["calibration"]
    assert [row.name for row in result.by_reviewer] == ["張大衛"]
    assert result.overall.pairs == 3
    assert "陳卡蘿" not in response.content.decode()


def test_no_pairs_yet_says_so(client, team, hannah):
    client.force_login(hannah.user)

    response = client.get(reverse("reports:calibration"), {"cycle": team.earlier_cycle.pk})

    assert "這些自評中還沒有任務同時經員工自評與主管評核" in response.content.decode()


def test_the_download_holds_every_group_and_the_tasks(client, team, hannah):
    client.force_login(hannah.user)

    response = client.get(reverse("reports:calibration"), {"format": "xlsx"})

    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    with translation.override("zh-hant"):
        header = translation.gettext("Grouped by")
    rows = rows[[row[0] for row in rows].index(header) :]  # below the about block
    with translation.override("zh-hant"):
        everyone = translation.gettext("Everyone in scope")
    names = [row[1] for row in rows[1:]]
    assert names[:5] == [everyone, "張大衛", "陳卡蘿", "業務部", "生產管理部"]
    assert [name.split()[0] for name in names[5:]] == ["T2.1", "T1.1", "T1.2"]
    assert rows[2][4] == pytest.approx(0.67)


@pytest.mark.parametrize("size", [0, 6])
def test_calibration_queries_do_not_grow_with_the_team(
    client, team, carol, production, size, django_assert_num_queries
):
    from tests.conftest import make_employee
    from tests.reports.conftest import submitted

    for index in range(size):
        extra = make_employee(f"extra{index}", f"X{index:03}", f"員工{index}", production, carol)
        assessment = submitted(extra, team.standard, team.cycle, [index % 7, 2, 1])
        ratings = assessment.ratings.order_by("order")
        review_save(
            assessment=assessment,
            reviewer=carol,
            ratings={r.pk: ReviewInput(level=3) for r in ratings},
            comment="",
        )
    client.force_login(carol.user)
    # Four to find the viewer's scope (see test_queries.SCOPE); newest cycle; its first
    # standard; cycle choices (read once); the chosen standard; overall, per reviewer,
    # per department, per task; department choices.
    with django_assert_num_queries(4 + 9):
        assert client.get(reverse("reports:calibration")).status_code == 200
