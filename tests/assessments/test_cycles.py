"""HR opens cycles and assigns standards to employees or whole departments."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import Assessment, Cycle, Department
from tests.assessments.helpers import open_cycle
from tests.conftest import make_employee

pytestmark = pytest.mark.django_db


def test_hr_opens_a_cycle(client, hannah):
    client.force_login(hannah.user)

    response = client.post(
        reverse("assessments:cycles"),
        {"name": "2027 上半年", "opens_on": "2027-01-01", "closes_on": "2027-02-28"},
    )

    cycle = Cycle.objects.get()
    assert response.url == reverse("assessments:cycle", args=[cycle.pk])
    assert (cycle.opens_on, cycle.closes_on) == (
        datetime.date(2027, 1, 1),
        datetime.date(2027, 2, 28),
    )


def test_a_cycle_closing_before_it_opens_is_refused(client, hannah):
    client.force_login(hannah.user)

    response = client.post(
        reverse("assessments:cycles"),
        {"name": "倒過來", "opens_on": "2027-03-01", "closes_on": "2027-02-28"},
    )

    assert response.status_code == 200
    assert not Cycle.objects.exists()


def test_hr_assigns_a_standard_to_a_department_and_its_sub_departments(
    client, hannah, small_standard, alice, bob, erin, production
):
    team = Department.objects.create(code="PM-1", name="一課", parent=production)
    nested = make_employee("nested", "P9", "子部門員工", team)
    cycle = open_cycle()
    client.force_login(hannah.user)

    response = client.post(
        reverse("assessments:cycle", args=[cycle.pk]),
        {"standard": small_standard.pk, "department": production.pk},
    )

    assert response.status_code == 302
    assigned = set(Assessment.objects.values_list("employee__user__username", flat=True))
    # carol is in production too; erin (sales) is not.
    assert assigned == {"alice", "bob", "carol", nested.user.username}
    assert Assessment.objects.filter(employee=alice).get().ratings.count() == 3


def test_hr_assigns_a_standard_to_chosen_employees(client, hannah, small_standard, alice, erin):
    cycle = open_cycle()
    client.force_login(hannah.user)

    client.post(
        reverse("assessments:cycle", args=[cycle.pk]),
        {"standard": small_standard.pk, "employees": [erin.pk]},
    )

    assert list(Assessment.objects.values_list("employee", flat=True)) == [erin.pk]


def test_hr_can_open_the_employee_import_in_the_admin(client, hannah):
    client.force_login(hannah.user)

    response = client.get(reverse("admin:assessments_employee_import"))

    assert response.status_code == 200


def test_the_hr_group_holds_the_permissions_on_the_organisation_and_assessments(db):
    from django.contrib.auth.models import Group

    codenames = set(Group.objects.get(name="HR").permissions.values_list("codename", flat=True))

    for model in ["department", "employee", "cycle", "assessment", "taskrating"]:
        for action in ["add", "change", "delete", "view"]:
            assert f"{action}_{model}" in codenames
