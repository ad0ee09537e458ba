"""python manage.py import_organisation: the nightly sync, through the admin's resources
and all-or-nothing rules."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import Department, Employee
from assessments.organisation import UNKNOWN_FORMAT

pytestmark = pytest.mark.django_db

DEPARTMENTS = "code,name,parent\nPM,生產管理部,\nQA,品質保證部,PM\n"
EMPLOYEES = (
    "employee_number,name,username,email,department,job_title,manager\n"
    "M100,陳主管,chen,chen@example.com,QA,課長,\n"
    "E100,王員工,wang,wang@example.com,QA,品管專員,M100\n"
)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_organisation", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_it_creates_departments_and_employees_and_says_what_it_did(tmp_path):
    out = run(
        "--departments", write(tmp_path, "d.csv", DEPARTMENTS),
        "--employees", write(tmp_path, "e.csv", EMPLOYEES),
    )  # fmt: skip

    assert "d.csv: 2 created, 0 changed, 0 left alone" in out
    assert "e.csv: 2 created, 0 changed, 0 left alone" in out
    worker = Employee.objects.select_related("manager", "department", "user").get(
        employee_number="E100"
    )
    assert (worker.manager.employee_number, worker.department.code) == ("M100", "QA")
    assert not worker.user.has_usable_password()


def test_a_second_run_changes_only_what_changed_in_the_file(tmp_path, production):
    departments = write(tmp_path, "d.csv", DEPARTMENTS)
    run("--departments", departments, "--employees", write(tmp_path, "e.csv", EMPLOYEES))
    changed = EMPLOYEES.replace("品管專員", "資深品管專員")

    out = run("--departments", departments, "--employees", write(tmp_path, "e2.csv", changed))

    assert "d.csv: 0 created, 0 changed, 2 left alone" in out
    assert "e2.csv: 0 created, 1 changed, 1 left alone" in out
    assert "changed: E100" in out


def test_a_dry_run_reports_and_writes_nothing(tmp_path):
    out = run("--departments", write(tmp_path, "d.csv", DEPARTMENTS), "--dry-run")

    assert "d.csv: 2 would create" in out
    assert "nothing was written" in out
    assert not Department.objects.exists()


def test_one_bad_row_in_the_employees_leaves_the_departments_unwritten_too(tmp_path):
    bad = EMPLOYEES + "E101,林員工,lin,,QA,,NOBODY\n"

    with pytest.raises(CommandError, match="Nothing was imported"):
        run(
            "--departments", write(tmp_path, "d.csv", DEPARTMENTS),
            "--employees", write(tmp_path, "e.csv", bad),
        )  # fmt: skip

    assert not Department.objects.exists()
    assert not Employee.objects.exists()


def test_a_staff_login_in_the_file_is_refused_as_in_the_admin(tmp_path, stan):
    Employee.objects.filter(user=stan.user).delete()
    file = EMPLOYEES.replace("wang,wang@example.com", "stan,")

    with pytest.raises(CommandError):
        run("--departments", write(tmp_path, "d.csv", DEPARTMENTS), "--employees",
            write(tmp_path, "e.csv", file))  # fmt: skip

    assert not Employee.objects.filter(employee_number="E100").exists()


def test_a_file_of_another_kind_is_refused(tmp_path):
    with pytest.raises(CommandError) as refused:
        run("--employees", write(tmp_path, "e.txt", EMPLOYEES))

    assert str(refused.value) == str(UNKNOWN_FORMAT % {"name": "e.txt"})


def test_without_a_file_it_says_what_it_needs():
    with pytest.raises(CommandError, match="--departments FILE"):
        run()


def test_invite_mails_everyone_created_without_a_password(tmp_path, mailoutbox):
    out = run(
        "--departments", write(tmp_path, "d.csv", DEPARTMENTS),
        "--employees", write(tmp_path, "e.csv", EMPLOYEES), "--invite",
    )  # fmt: skip

    assert "2 invitations sent, 0 failed" in out
    assert sorted(mail.to[0] for mail in mailoutbox) == ["chen@example.com", "wang@example.com"]
