"""An organisation file downloaded from the admin imports back unchanged, formulas and all."""

import csv
import io

import openpyxl
import pytest

from assessments.models import Department, Employee
from assessments.resources import DepartmentResource, EmployeeResource, import_employees
from common.spreadsheets import SafeCSV, SafeXLSX

pytestmark = pytest.mark.django_db


def cells(exported: str | bytes) -> list[str]:
    """Every text cell of a CSV or XLSX download, as a spreadsheet would read it."""
    if isinstance(exported, str):
        return [cell for row in csv.reader(io.StringIO(exported)) for cell in row]
    sheet = openpyxl.load_workbook(io.BytesIO(exported)).active
    return [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell]


FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-1+1", "@SUM(A1)"]


@pytest.mark.parametrize("fmt", [SafeCSV, SafeXLSX], ids=["csv", "xlsx"])
@pytest.mark.parametrize("text", FORMULAS)
def test_an_employee_exported_and_imported_again_keeps_a_name_that_looks_like_a_formula(
    alice, fmt, text
):
    Employee.objects.filter(pk=alice.pk).update(name=text, job_title=text)
    exported = fmt().export_data(EmployeeResource().export(Employee.objects.all()))
    assert "'" + text in cells(exported)  # the download itself is neutralised

    result = import_employees(fmt().create_dataset(exported))

    assert not result.has_errors() and not result.has_validation_errors()
    alice.refresh_from_db()
    assert (alice.name, alice.job_title) == (text, text)


@pytest.mark.parametrize("text", FORMULAS)
def test_a_department_exported_and_imported_again_keeps_its_name(production, text):
    Department.objects.filter(pk=production.pk).update(name=text)
    exported = SafeCSV().export_data(DepartmentResource().export(Department.objects.all()))

    result = DepartmentResource().import_data(SafeCSV().create_dataset(exported), dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    production.refresh_from_db()
    assert production.name == text
