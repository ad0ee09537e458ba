"""The result page: numbers per task and duty, the SVG chart and its table."""

import re

import pytest
from django.urls import reverse

from assessments.models import Assessment
from assessments.services import RatingInput, assessment_save
from tests.assessments.helpers import assign, ratings

pytestmark = pytest.mark.django_db


def submit(assessment: Assessment, levels: dict[int, int]) -> None:
    """Submit with own level = required level unless `levels` (by position) says otherwise."""
    answers = {
        r.pk: RatingInput(self_level=levels.get(r.order, r.required_level))
        for r in ratings(assessment)
    }
    assessment_save(assessment=assessment, version=assessment.version, ratings=answers, submit=True)


@pytest.fixture
def assessment(standard, alice) -> Assessment:
    return assign(standard, alice)


def result_url(assessment: Assessment) -> str:
    return reverse("assessments:result", args=[assessment.pk])


def test_the_result_shows_required_own_and_gap_per_task(client, assessment):
    first, second, third = ratings(assessment)[:3]
    submit(assessment, {0: 0, 2: 6})
    client.force_login(assessment.employee.user)

    html = client.get(result_url(assessment)).content.decode()

    row = re.search(rf'<tr id="rating-{first.task_code}".*?</tr>', html, re.S).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert cells[:2] == [str(first.required_level), "0"]
    assert f">+{first.required_level} " in row  # gap = required − 0
    assert 'class="short"' in row
    row = re.search(rf'<tr id="rating-{second.task_code}".*?</tr>', html, re.S).group(0)
    assert 'class="meets"' in row and ">0</td>" in row
    row = re.search(rf'<tr id="rating-{third.task_code}".*?</tr>', html, re.S).group(0)
    # A level above the requirement is written with a minus sign, like the heatmap's.
    assert 'class="exceeds"' in row and f">\u2212{6 - third.required_level} " in row


def test_the_overall_and_duty_figures_follow_the_ratings(client, assessment):
    stored = ratings(assessment)
    # Two tasks of the first duty fall short (by their whole level, and by one); one exceeds.
    shortfalls = {0: stored[0].required_level, 1: 1}
    submit(assessment, {0: 0, 1: stored[1].required_level - 1, 2: 6})
    client.force_login(assessment.employee.user)

    html = client.get(result_url(assessment)).content.decode()

    total = sum(shortfalls.values())
    assert '<dd data-figure="meeting">18 / 20</dd>' in html
    assert '<dd data-figure="share">90%</dd>' in html
    assert f'<dd data-figure="shortfall">{total / 20:.2f}</dd>' in html
    first_duty = [r for r in stored if r.duty_code == stored[0].duty_code]
    row = re.search(rf'<tr data-duty="{stored[0].duty_code}">.*?</tr>', html, re.S).group(0)
    assert f">{len(first_duty) - 2} / {len(first_duty)}</td>" in row
    assert f">{total / len(first_duty):.2f}</td>" in row
    # A shortfall beside a task has the table's sign: "+2", as the gap column says.
    assert f"{stored[0].task_code}</span> (+{shortfalls[0]})" in row


def test_the_chart_is_an_inline_svg_with_a_table_equivalent(client, assessment):
    submit(assessment, {0: 0})
    client.force_login(assessment.employee.user)

    html = client.get(result_url(assessment)).content.decode()

    assert html.count("<svg") == 2
    assert 'aria-describedby="task-chart-table"' in html
    assert 'id="task-chart-table"' in html and 'id="duty-chart-table"' in html
    svg = html[html.index('aria-labelledby="task-chart-title"') :].split("</svg>")[0]
    assert svg.count('class="required"') == 20
    assert svg.count('class="own') == 20
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_an_unsubmitted_assessment_has_no_result_yet(client, assessment):
    client.force_login(assessment.employee.user)

    response = client.get(result_url(assessment))

    assert response.status_code == 200
    assert "<svg" not in response.content.decode()
    assert reverse("assessments:form", args=[assessment.pk]) in response.content.decode()


@pytest.mark.parametrize("kept", [20, 6])
def test_the_result_costs_the_same_queries_whatever_the_number_of_tasks(
    client, assessment, django_assert_num_queries, kept
):
    assessment.ratings.filter(order__gte=kept).delete()
    submit(assessment, {0: 0})
    client.force_login(assessment.employee.user)
    # session, user, the employee with whether the login holds HR's permission, the
    # reporting tree (one recursive query), the assessment with cycle, standard and
    # employee, marking it opened (the first time only), the ratings with tasks, the
    # tasks' indicators, the evidence files, the tasks earlier development plans
    # targeted (none here)
    with django_assert_num_queries(10):
        client.get(result_url(assessment))
    with django_assert_num_queries(9):
        response = client.get(result_url(assessment))
    assert response.content.decode().count('<tr id="rating-') == kept
