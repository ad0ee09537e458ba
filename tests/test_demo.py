"""load_demo: the built-in standards and the demo organisation, set up any number of times."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from assessments.models import Department, Employee
from standards.models import Standard, Task
from standards.services import standard_export
from tests.factories import SAMPLES
from tests.standards.samples import expected_data, table_counts

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_imports_the_four_built_in_standards_published():
    load_demo()

    assert list(Standard.objects.values_list("code", "publication")) == [
        (code, Standard.Publication.PUBLISHED) for code in SAMPLES
    ]


def test_the_built_in_standards_match_their_expected_parses():
    load_demo()

    for code in SAMPLES:
        assert standard_export(standard=Standard.objects.get(code=code)) == expected_data(code)


def test_load_demo_creates_the_demo_accounts_and_prints_their_logins():
    out = load_demo()

    hr = User.objects.get(username="hr")
    assert hr.is_staff and not hr.is_superuser
    assert list(hr.groups.values_list("name", flat=True)) == ["HR"]
    manager = Employee.objects.get(user__username="manager")
    assert sorted(manager.reports.values_list("user__username", flat=True)) == [
        "employee1",
        "employee2",
        "employee3",
    ]
    assert manager.department.name == "生產管理部"
    assert Employee.objects.get(user__username="hr").department.name == "人力資源部"
    for username in ("hr", "manager", "employee1", "employee2", "employee3"):
        assert User.objects.get(username=username).check_password("demo1234")
        assert f"  {username:<10}  demo1234" in out
    assert not User.objects.filter(username__startswith="employee", is_staff=True).exists()


def test_every_demo_account_has_an_example_address_for_the_password_reset():
    load_demo()

    for username in ("hr", "manager", "employee1", "employee2", "employee3"):
        assert User.objects.get(username=username).email == f"{username}@example.com"


def test_the_demo_password_comes_from_DEMO_PASSWORD(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-secret")

    load_demo()

    user = User.objects.get(username="employee2")
    assert user.check_password("another-demo-secret")
    assert not user.check_password("demo1234")


def test_running_load_demo_again_changes_nothing():
    load_demo()
    counts = table_counts()
    task_pks = list(Task.objects.order_by("pk").values_list("pk", flat=True))
    people = (User.objects.count(), Employee.objects.count(), Department.objects.count())

    out = load_demo()

    assert out.count("unchanged ") == len(SAMPLES)
    assert table_counts() == counts
    assert list(Task.objects.order_by("pk").values_list("pk", flat=True)) == task_pks
    assert (User.objects.count(), Employee.objects.count(), Department.objects.count()) == people


def demo_assessments() -> dict[str, tuple[str, int, int]]:
    from assessments.models import Assessment

    return {
        a.employee.user.username: (
            a.stage,
            a.version,
            a.ratings.filter(self_level__isnull=False).count(),
        )
        for a in Assessment.objects.select_related("employee__user")
    }


def test_load_demo_opens_a_cycle_for_the_managers_team_with_one_submitted_and_one_draft():
    from assessments.models import Assessment, Cycle

    load_demo()

    cycle = Cycle.objects.get()
    assert cycle.opens_on <= timezone.localdate() <= cycle.closes_on
    assert set(Assessment.objects.values_list("standard__code", flat=True)) == {"AVA4322-001v4"}
    states = demo_assessments()
    assert states["employee1"][0] == Assessment.Stage.SUBMITTED
    assert states["employee1"][2] == 20
    assert states["employee2"][0] == Assessment.Stage.DRAFT
    assert 0 < states["employee2"][2] < 20
    assert states["employee3"] == (Assessment.Stage.PENDING, 0, 0)
    assert set(states) == {"employee1", "employee2", "employee3"}


def test_running_load_demo_again_leaves_the_demo_cycle_as_it_was():
    from assessments.models import Cycle, TaskRating

    load_demo()
    before = (demo_assessments(), Cycle.objects.count(), TaskRating.objects.count())

    load_demo()

    assert (demo_assessments(), Cycle.objects.count(), TaskRating.objects.count()) == before
