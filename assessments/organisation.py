"""The nightly sync from an HR system: departments and employees from files, through
the same import-export resources and all-or-nothing rules as the admin's import."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from import_export.results import Result

from common.spreadsheets import SafeCSV, SafeJSON, SafeXLSX

from .resources import AllOrNothingResource, DepartmentResource, EmployeeResource

FORMATS = {".csv": SafeCSV, ".xlsx": SafeXLSX, ".json": SafeJSON}
UNKNOWN_FORMAT = _("%(name)s: only .csv, .xlsx and .json files can be imported.")


@dataclass
class FileOutcome:
    """What importing one file did (or would do), row by row."""

    name: str
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_dataset(path: Path) -> tablib.Dataset:
    """A CSV, XLSX or JSON file as a dataset, through the formula-safe readers (size and
    zip-bomb limits included). Raises ValidationError for anything else."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ValidationError(UNKNOWN_FORMAT % {"name": path.name})
    fmt, data = kind(), path.read_bytes()
    if fmt.is_binary():
        return fmt.create_dataset(data)
    return fmt.create_dataset(data.decode("utf-8-sig"))


# What each resource's export reads, in one query whatever the number of rows.
RELATED = {DepartmentResource: ["parent"], EmployeeResource: ["user", "department", "manager"]}


def _snapshot(resource: AllOrNothingResource) -> dict[str, tuple]:
    """Every row as the resource exports it, by its id column."""
    model = resource._meta.model
    rows = model.objects.select_related(*RELATED[type(resource)])
    exported = resource.export(queryset=rows)
    key = resource._meta.import_id_fields[0]
    index = exported.headers.index(key)
    return {str(row[index]): tuple(row) for row in exported}


def _outcome(name: str, resource: AllOrNothingResource, dataset: tablib.Dataset) -> FileOutcome:
    before = _snapshot(resource)
    result = resource.import_data(dataset, dry_run=False)
    outcome = FileOutcome(name=name)
    outcome.errors = _errors(result)
    if outcome.errors:
        return outcome
    after = _snapshot(resource)
    key = resource._meta.import_id_fields[0]
    for row in dataset.dict:
        number = str(row.get(key) or "").strip()
        if number not in before:
            outcome.created.append(number)
        elif before[number] != after.get(number):
            outcome.changed.append(number)
        else:
            outcome.unchanged.append(number)
    return outcome


def _errors(result: Result) -> list[str]:
    errors = [str(error.error) for error in result.base_errors]
    for number, row_errors in result.row_errors():
        errors += [f"row {number}: {error.error}" for error in row_errors]
    for row in result.invalid_rows:
        for column, messages in row.error_dict.items():
            errors += [f"row {row.number}, {column}: {message}" for message in messages]
    return errors


def organisation_import(
    *,
    departments: tuple[str, tablib.Dataset] | None = None,
    employees: tuple[str, tablib.Dataset] | None = None,
    dry_run: bool = False,
) -> list[FileOutcome]:
    """Import departments, then employees (each a (file name, dataset) pair), all or
    nothing across both files: any error in either, or `dry_run`, leaves the database as
    it was. Returns each file's outcome: the ids created, changed and left alone."""
    outcomes = []
    with transaction.atomic():
        for named, resource in (
            (departments, DepartmentResource()),
            (employees, EmployeeResource()),
        ):
            if named is None:
                continue
            outcome = _outcome(named[0], resource, named[1])
            outcomes.append(outcome)
            if outcome.errors:
                break
        if dry_run or any(outcome.errors for outcome in outcomes):
            transaction.set_rollback(True)
    return outcomes
