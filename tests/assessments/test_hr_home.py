"""HR lands on the HR home: the open cycles with their completion, and the next actions."""

import pytest
from django.urls import reverse

from assessments.models import Cycle
from assessments.services import RatingInput, assessment_save, assessments_assign
from tests.assessments.helpers import days_from_today, open_cycle, ratings
from tests.conftest import make_employee
from tests.factories import small_standard

pytestmark = pytest.mark.django_db


def test_after_login_hr_lands_on_the_hr_home(client, hannah):
    client.force_login(hannah.user)

    assert client.get(reverse("home")).url == reverse("assessments:hr_home")


def test_a_superuser_lands_on_the_hr_home_too(client, sophie):
    client.force_login(sophie.user)

    assert client.get(reverse("home")).url == reverse("assessments:hr_home")


@pytest.mark.parametrize("persona", ["alice", "carol", "stan"])
def test_employees_managers_and_staff_without_permissions_land_on_their_assessments(
    client, persona, request
):
    employee = request.getfixturevalue(persona)
    client.force_login(employee.user)

    assert client.get(reverse("home")).url == reverse("assessments:mine")


def test_the_login_form_brings_hr_to_the_hr_home(client, hannah):
    response = client.post(
        reverse("login"), {"username": "hannah", "password": "password"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("assessments:hr_home")


def progress_in(cycle: Cycle, *, submitted: int, in_progress: int, not_started: int) -> None:
    standard = small_standard(f"TST{cycle.pk:04}-001v1")
    people = [
        make_employee(f"c{cycle.pk}p{i}", f"C{cycle.pk}P{i:03}", f"員工{i}")
        for i in range(submitted + in_progress + not_started)
    ]
    created = assessments_assign(cycle=cycle, standard=standard, employees=people).created
    for index, assessment in enumerate(created[: submitted + in_progress]):
        assessment_save(
            assessment=assessment,
            version=0,
            ratings={r.pk: RatingInput(self_level=3) for r in ratings(assessment)},
            submit=index < submitted,
        )


def test_the_hr_home_shows_each_open_cycle_with_its_completion(client, hannah):
    cycle = open_cycle("2026 下半年")
    progress_in(cycle, submitted=2, in_progress=1, not_started=1)
    Cycle.objects.create(
        name="早已結束", opens_on=days_from_today(-100), closes_on=days_from_today(-50)
    )
    client.force_login(hannah.user)

    response = client.get(reverse("assessments:hr_home"))

    html = response.content.decode()
    assert [c.name for c in response.context["cycles"]] == ["2026 下半年"]
    assert "早已結束" not in html
    assert 'data-count="submitted">2<' in html
    assert 'data-count="in-progress">1<' in html
    assert 'data-count="not-started">1<' in html
    # The bar's parts, and the same numbers for a screen reader.
    assert 'style="width: 50.0%"' in html
    assert 'style="width: 25.0%"' in html
    assert 'aria-label="2 份已送出、1 份進行中、1 份未開始"' in html


def test_the_hr_home_lists_the_next_actions(client, hannah):
    client.force_login(hannah.user)

    html = client.get(reverse("assessments:hr_home")).content.decode()

    for url in [
        reverse("admin:standards_standard_upload"),
        reverse("assessments:cycles"),
        reverse("admin:assessments_employee_changelist"),
        reverse("reports:dashboard"),
    ]:
        assert f'href="{url}"' in html


def test_without_an_open_cycle_the_hr_home_says_how_to_start(client, hannah):
    client.force_login(hannah.user)

    html = client.get(reverse("assessments:hr_home")).content.decode()

    assert reverse("assessments:cycles") + "#create" in html


def test_the_navigation_links_hr_to_the_hr_home_and_to_assigning(client, hannah, alice):
    client.force_login(hannah.user)
    hr_page = client.get(reverse("standards:list")).content.decode()
    client.force_login(alice.user)
    employee_page = client.get(reverse("standards:list")).content.decode()

    for url in [reverse("assessments:hr_home"), reverse("assessments:cycles")]:
        assert f'href="{url}"' in hr_page
        assert f'href="{url}"' not in employee_page


def test_the_admin_cycle_pages_link_to_assigning(client, hannah):
    cycle = open_cycle()
    client.force_login(hannah.user)

    changelist = client.get(reverse("admin:assessments_cycle_changelist")).content.decode()
    change = client.get(reverse("admin:assessments_cycle_change", args=[cycle.pk]))

    assert f'href="{reverse("assessments:cycles")}"' in changelist
    assert f'href="{reverse("assessments:cycle", args=[cycle.pk])}"' in change.content.decode()


@pytest.mark.parametrize("cycles", [1, 4])
def test_the_hr_home_costs_the_same_queries_whatever_the_number_of_cycles(
    client, hannah, django_assert_num_queries, cycles
):
    for index in range(cycles):
        progress_in(open_cycle(f"週期 {index}"), submitted=1, in_progress=1, not_started=index)
    client.force_login(hannah.user)
    # session, user, user permissions, group permissions, the open cycles with their
    # counts by stage
    with django_assert_num_queries(5):
        response = client.get(reverse("assessments:hr_home"))
    assert len(response.context["cycles"]) == cycles


@pytest.mark.parametrize("cycles", [1, 4])
def test_the_cycle_list_costs_the_same_queries_whatever_the_number_of_cycles(
    client, hannah, django_assert_num_queries, cycles
):
    for index in range(cycles):
        progress_in(open_cycle(f"週期 {index}"), submitted=index, in_progress=1, not_started=1)
    client.force_login(hannah.user)
    # session, user, user permissions, group permissions, the cycles with their counts
    with django_assert_num_queries(5):
        response = client.get(reverse("assessments:cycles"))
    assert len(response.context["cycles"]) == cycles
