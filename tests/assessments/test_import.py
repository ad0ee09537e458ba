"""Importing the organisation from CSV/XLSX (django-import-export), all or nothing."""

import io
import zipfile

import pytest
import tablib
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Department, EmailChange, Employee
from assessments.resources import (
    LOGIN_TAKEN,
    PRIVILEGED_EMAIL,
    PRIVILEGED_LOGIN,
    DepartmentResource,
    EmployeeResource,
    import_employees,
)
from common.spreadsheets import FILE_TOO_LARGE, MAX_IMPORT_BYTES, XLSX_TOO_BIG

pytestmark = pytest.mark.django_db

HEADERS = ["employee_number", "name", "username", "email", "department", "job_title", "manager"]


def dataset(*rows: tuple) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=HEADERS)


def invalid_rows(result) -> dict[int, dict]:
    return {row.number: row.error_dict for row in result.invalid_rows}


def test_import_creates_employees_with_departments_and_managers_listed_later(production):
    result = import_employees(
        dataset(
            ("E100", "王員工", "wang", "wang@example.com", "PM", "專員", "M100"),
            ("M100", "陳主管", "chen", "", "PM", "課長", ""),
        )
    )

    assert not result.has_errors() and not result.has_validation_errors()
    worker = Employee.objects.select_related("user", "manager").get(employee_number="E100")
    assert (worker.name, worker.department, worker.job_title) == ("王員工", production, "專員")
    assert worker.manager.employee_number == "M100"
    assert (worker.user.username, worker.user.email) == ("wang", "wang@example.com")
    assert not worker.user.has_usable_password()


def test_import_updates_employees_matched_by_employee_number(alice, bob, carol):
    result = import_employees(
        dataset(("E001", "王愛麗（新）", "alice", "", "PM", "資深專員", "E002"))
    )

    assert not result.has_errors() and not result.has_validation_errors()
    alice.refresh_from_db()
    assert (alice.name, alice.job_title, alice.manager) == ("王愛麗（新）", "資深專員", bob)
    assert Employee.objects.count() == 3


def test_an_unknown_manager_rejects_the_whole_file(production, alice, carol):
    result = import_employees(
        dataset(
            ("E100", "王員工", "wang", "", "PM", "", "M001"),
            ("E101", "李員工", "li", "", "PM", "", "X999"),
        )
    )

    assert list(invalid_rows(result)) == [2]
    assert "X999" in invalid_rows(result)[2]["manager"][0]
    assert not Employee.objects.filter(employee_number__in=["E100", "E101"]).exists()


def test_a_reporting_cycle_in_the_file_is_rejected_on_each_of_its_rows(production):
    result = import_employees(
        dataset(
            ("A1", "甲", "a1", "", "PM", "", "A2"),
            ("A2", "乙", "a2", "", "PM", "", "A3"),
            ("A3", "丙", "a3", "", "PM", "", "A1"),
            ("A4", "丁", "a4", "", "PM", "", "A1"),
        )
    )

    assert sorted(invalid_rows(result)) == [1, 2, 3]
    assert not Employee.objects.filter(employee_number="E1").exists()


def test_a_cycle_through_existing_reporting_lines_is_rejected(alice, carol):
    # alice reports to carol; making carol report to alice closes the loop.
    result = import_employees(dataset(("M001", "陳卡蘿", "carol", "", "PM", "", "E001")))

    assert list(invalid_rows(result)) == [1]
    carol.refresh_from_db()
    assert carol.manager is None


def test_an_employee_cannot_manage_themselves(production):
    result = import_employees(dataset(("A1", "甲", "a1", "", "PM", "", "A1")))

    assert list(invalid_rows(result)) == [1]


def test_an_unknown_department_rejects_the_whole_file(production):
    result = import_employees(
        dataset(("A1", "甲", "a1", "", "PM", "", ""), ("A2", "乙", "a2", "", "NOPE", "", ""))
    )

    assert result.has_errors() or result.has_validation_errors()
    assert not Employee.objects.filter(employee_number="E1").exists()


def test_export_writes_the_manager_as_an_employee_number(alice, carol):
    exported = EmployeeResource().export(queryset=Employee.objects.order_by("employee_number"))

    assert exported.headers == HEADERS
    assert [row[0] for row in exported] == ["E001", "M001"]
    assert exported[0][HEADERS.index("manager")] == "M001"
    assert exported[0][HEADERS.index("username")] == "alice"

    # The export is importable as it is.
    result = import_employees(exported)
    assert not result.has_errors() and not result.has_validation_errors()


def admin_import(client, text: str):
    """Upload a CSV through the admin's import page: the preview (a dry run)."""
    url = reverse("admin:assessments_employee_import")
    choices = client.get(url).context["form"].fields["format"].choices
    csv_format = next(value for value, title in choices if title.lower() == "csv")
    upload = SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")
    return client.post(url, {"resource": "0", "format": csv_format, "import_file": upload})


def test_hr_imports_employees_through_the_admin_after_a_preview(client, hannah, production):
    client.force_login(hannah.user)
    text = ",".join(HEADERS) + "\nE100,王員工,wang,,PM,專員,M100\nM100,陳主管,chen,,PM,課長,\n"

    preview = admin_import(client, text)

    confirm = preview.context["confirm_form"]
    assert not Employee.objects.filter(employee_number="E100").exists()
    client.post(reverse("admin:assessments_employee_process_import"), confirm.initial)
    worker = Employee.objects.get(employee_number="E100")
    assert worker.manager.employee_number == "M100"


def test_the_admin_preview_lists_row_errors_and_offers_no_import(client, hannah, production):
    client.force_login(hannah.user)
    text = ",".join(HEADERS) + "\nA1,甲,a1,,PM,,A2\nA2,乙,a2,,PM,,A1\n"

    preview = admin_import(client, text)

    assert preview.context.get("confirm_form") is None
    assert preview.context["result"].has_validation_errors()
    assert not Employee.objects.filter(employee_number__in=["A1", "A2"]).exists()


@pytest.mark.parametrize("login", ["stan", "sophie"])
def test_an_import_cannot_link_a_staff_or_superuser_login(production, stan, sophie, login):
    Employee.objects.filter(user__username=login).delete()

    result = import_employees(dataset(("E100", "冒名", login, "x@example.com", "PM", "", "")))

    assert invalid_rows(result)[1]["username"] == [str(PRIVILEGED_LOGIN % {"username": login})]
    assert not Employee.objects.filter(employee_number="E100").exists()
    assert User.objects.get(username=login).email == ""


def test_an_import_cannot_link_a_login_of_another_employee(production, alice):
    result = import_employees(dataset(("E100", "冒名", "alice", "", "PM", "", "")))

    assert invalid_rows(result)[1]["username"] == [str(LOGIN_TAKEN % {"username": "alice"})]
    assert not Employee.objects.filter(employee_number="E100").exists()


def test_an_import_cannot_change_a_staff_accounts_e_mail(hannah):
    result = import_employees(dataset(("H001", "黃漢娜", "hannah", "evil@example.com", "", "", "")))

    assert invalid_rows(result)[1]["email"] == [str(PRIVILEGED_EMAIL % {"username": "hannah"})]
    hannah.user.refresh_from_db()
    assert hannah.user.email == ""
    assert not EmailChange.objects.exists()


def test_an_import_changes_an_employees_e_mail_and_records_the_change(alice, carol):
    User.objects.filter(pk=alice.user_id).update(email="old@example.com")

    result = import_employees(
        dataset(("E001", "王愛麗", "alice", "new@example.com", "PM", "", "M001"))
    )

    assert not result.has_errors() and not result.has_validation_errors()
    [change] = EmailChange.objects.all()
    assert (change.user, change.old_email, change.new_email, change.changed_by) == (
        alice.user,
        "old@example.com",
        "new@example.com",
        None,
    )


def test_an_import_links_an_existing_ordinary_login_without_an_employee(production):
    newcomer = User.objects.create_user("newcomer")

    result = import_employees(dataset(("E100", "新人", "newcomer", "", "PM", "", "")))

    assert not result.has_errors() and not result.has_validation_errors()
    assert Employee.objects.get(employee_number="E100").user == newcomer


def test_the_hr_admin_import_records_who_changed_an_e_mail(client, hannah, alice, carol):
    client.force_login(hannah.user)
    text = ",".join(HEADERS) + "\nE001,王愛麗,alice,alice@example.com,PM,,M001\n"

    preview = admin_import(client, text)
    client.post(
        reverse("admin:assessments_employee_process_import"),
        preview.context["confirm_form"].initial,
    )

    [change] = EmailChange.objects.all()
    assert (change.user, change.new_email, change.changed_by) == (
        alice.user,
        "alice@example.com",
        hannah.user,
    )


def test_an_oversized_employee_file_is_refused_before_it_is_read(client, hannah, production):
    client.force_login(hannah.user)
    text = ",".join(HEADERS) + "\n" + "E1,甲,a,,PM,,\n" * (MAX_IMPORT_BYTES // 10)

    response = admin_import(client, text)

    assert str(FILE_TOO_LARGE % {"limit": MAX_IMPORT_BYTES // (1024 * 1024)}) in str(
        response.context["form"].errors
    )
    assert not Employee.objects.filter(employee_number="E1").exists()


def test_a_zip_bomb_is_refused_by_the_department_import(client, hannah):
    client.force_login(hannah.user)
    url = reverse("admin:assessments_department_import")
    choices = client.get(url).context["form"].fields["format"].choices
    xlsx = next(value for value, title in choices if title.lower() == "xlsx")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("xl/worksheets/sheet1.xml", b"0" * (20 * 1024 * 1024))
    upload = SimpleUploadedFile("bomb.xlsx", archive.getvalue())

    response = client.post(url, {"resource": "0", "format": xlsx, "import_file": upload})

    assert str(XLSX_TOO_BIG) in str(response.context["form"].errors)


def test_a_department_file_with_one_bad_row_imports_nothing_outside_the_admin_too(db):
    departments = tablib.Dataset(
        ("PM", "生產管理部", ""), ("QA", "", ""), headers=["code", "name", "parent"]
    )

    result = DepartmentResource().import_data(departments)

    assert [row.number for row in result.invalid_rows] == [2]
    assert not Department.objects.exists()
