"""Every report page makes the same number of queries whatever the team size."""

import pytest
from django.urls import reverse

from reports.services import review_save
from tests.conftest import make_employee
from tests.pdf import needs_pdf_renderer
from tests.reports.conftest import submitted, team_once_per_module

pytestmark = pytest.mark.django_db

# Every test here reads the same scenario: built once for the module.
module_team, team, carol, alice, bob, dave, erin, hannah, production, sales = team_once_per_module()

# Every page starts with the same four queries for a manager, whatever the depth of
# their reporting tree: session, user, the employee with whether the login holds HR's
# permission (is_hr), the reporting tree (one recursive query).
SCOPE = 4


@pytest.fixture(params=[0, 8], ids=["small-team", "larger-team"])
def sized_team(request, team, carol, production):
    """The report scenario, with 0 or 8 more submitted reports of carol's."""
    for index in range(request.param):
        extra = make_employee(f"extra{index}", f"X{index:03}", f"員工{index}", production, carol)
        submitted(extra, team.standard, team.cycle, [index % 7, 2, 1])
    return team


def test_dashboard_queries(client, sized_team, carol, django_assert_num_queries):
    client.force_login(carol.user)
    # SCOPE; newest cycle; stage counts; the page's count and rows of assessments with
    # progress and plan progress; the first few still to finish; the team's plan items;
    # cycle choices (read once for the options, the required-attribute check and the
    # validation); department choices.
    with django_assert_num_queries(SCOPE + 8):
        assert client.get(reverse("reports:dashboard")).status_code == 200


def test_heatmap_queries(client, sized_team, carol, django_assert_num_queries):
    client.force_login(carol.user)
    # SCOPE; newest cycle; its first standard; heatmap rows with their cells, columns;
    # cycle choices; standard choices; department choices (each read once, and
    # validated against what was read).
    with django_assert_num_queries(SCOPE + 7):
        assert client.get(reverse("reports:heatmap")).status_code == 200


@pytest.mark.parametrize("levels", ["self", "manager", "reviewed"])
def test_heatmap_of_a_chosen_cycle_and_standard_queries(
    client, sized_team, carol, production, levels, django_assert_num_queries
):
    client.force_login(carol.user)
    params = {
        "cycle": sized_team.cycle.pk,
        "standard": sized_team.standard.pk,
        "department": production.pk,
        "levels": levels,
    }
    # SCOPE; heatmap rows with their cells, columns; cycle, standard and department
    # choices. No default is read for what was asked for.
    with django_assert_num_queries(SCOPE + 5):
        response = client.get(reverse("reports:heatmap"), params)
    assert response.status_code == 200
    # No one is reviewed here: the manager's levels leave no rows.
    assert bool(response.context["heatmap"].rows) == (levels != "manager")


def test_training_needs_queries(client, sized_team, carol, django_assert_num_queries):
    client.force_login(carol.user)
    # SCOPE; newest cycle; knowledge ranking and the page's items; skill ranking and
    # the page's items; cycle choices; standard choices; department choices.
    with django_assert_num_queries(SCOPE + 8):
        assert client.get(reverse("reports:training_needs")).status_code == 200


def test_training_need_detail_queries(client, sized_team, carol, django_assert_num_queries):
    client.force_login(carol.user)
    k01 = sized_team.standard.knowledge_items.get(code="K01")
    # SCOPE; the item; newest cycle; the people and tasks (count, page); how many
    # people; cycle choices; standard choices; department choices; the courses serving
    # the item (the list, and the plan form's choices).
    with django_assert_num_queries(SCOPE + 10):
        url = reverse("reports:training_need", args=["knowledge", k01.pk])
        assert client.get(url).status_code == 200


def test_trends_queries(client, sized_team, carol, django_assert_num_queries):
    client.force_login(carol.user)
    # SCOPE; the newest assessment's standard; the standards to choose from (read once,
    # for validation and options); per cycle; each version's tasks; per task and cycle;
    # department choices; employee choices.
    with django_assert_num_queries(SCOPE + 7):
        assert client.get(reverse("reports:trends")).status_code == 200


def test_gap_report_queries(client, sized_team, carol, django_assert_num_queries):
    client.force_login(carol.user)
    # SCOPE; the assessment; its review; its ratings with manager levels and tasks, the
    # tasks' indicators, the evidence files; the tasks earlier development plans
    # targeted (none here).
    with django_assert_num_queries(SCOPE + 6):
        assert client.get(reverse("reports:person", args=[sized_team.alice.pk])).status_code == 200


@needs_pdf_renderer
def test_gap_report_pdf_queries(client, sized_team, carol, django_assert_num_queries):
    client.force_login(carol.user)
    # SCOPE; the assessment; its review with the reviewer; its ratings with manager
    # levels and tasks; the tasks' behaviour indicators; the evidence files.
    with django_assert_num_queries(SCOPE + 5):
        assert (
            client.get(reverse("reports:person_pdf", args=[sized_team.alice.pk])).status_code == 200
        )


def test_shared_review_queries(client, sized_team, carol, alice, django_assert_num_queries):
    review_save(assessment=sized_team.alice, reviewer=carol, ratings={}, comment="", share=True)
    client.force_login(alice.user)
    # session, user, the employee with HR's permission, alice's reports (none), the
    # assessment with its review and reviewer, marking the review seen (the first time
    # only), the ratings with manager levels and tasks, the tasks' indicators, the
    # evidence files.
    url = reverse("reports:shared_review", args=[sized_team.alice.pk])
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
