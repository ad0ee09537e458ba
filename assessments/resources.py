"""Importing and exporting the organisation with django-import-export.

Employees are matched by employee number; the `manager` column holds the manager's
employee number and the `department` column the department's code. A file is imported
all or nothing: any row error (an unknown manager or department, a reporting cycle, a
login already used by someone else…) leaves the database as it was, and the result
lists every failing row.
"""

from __future__ import annotations

from typing import Any

import tablib
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources
from import_export.results import Result
from import_export.widgets import ForeignKeyWidget

from .models import Department, Employee

PRIVILEGED_LOGIN = gettext_lazy(
    "The login %(username)s is a staff or superuser account; an import cannot link it to "
    "an employee."
)
LOGIN_TAKEN = gettext_lazy("The login %(username)s already belongs to another employee.")
PRIVILEGED_EMAIL = gettext_lazy(
    "The login %(username)s is a staff or superuser account; an import cannot change its "
    "e-mail address."
)


class AllOrNothingResource(resources.ModelResource):
    """A resource whose every import, from the admin or not, is all or nothing."""

    def import_data(self, dataset: tablib.Dataset, **kwargs: Any) -> Result:
        kwargs.update(use_transactions=True, rollback_on_validation_errors=True)
        return super().import_data(dataset, **kwargs)


class DepartmentResource(AllOrNothingResource):
    """Departments by code; `parent` is the parent department's code (listed earlier)."""

    parent = fields.Field(
        attribute="parent", column_name="parent", widget=ForeignKeyWidget(Department, "code")
    )

    class Meta:
        model = Department
        fields = ("code", "name", "parent")
        import_id_fields = ("code",)
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True


def _cell(row: dict[str, Any], column: str) -> str:
    value = row.get(column)
    return "" if value is None else str(value).strip()


class EmployeeResource(AllOrNothingResource):
    """Employees by employee number, with their login, department and manager."""

    username = fields.Field(column_name="username")
    email = fields.Field(column_name="email")
    department = fields.Field(
        attribute="department",
        column_name="department",
        widget=ForeignKeyWidget(Department, "code"),
    )
    # Set after every row is saved (a manager may come later in the file).
    manager = fields.Field(column_name="manager")

    class Meta:
        model = Employee
        fields = (
            "employee_number",
            "name",
            "username",
            "email",
            "department",
            "job_title",
            "manager",
        )
        export_order = (
            "employee_number",
            "name",
            "username",
            "email",
            "department",
            "job_title",
            "manager",
        )
        import_id_fields = ("employee_number",)
        clean_model_instances = True
        skip_unchanged = False

    def dehydrate_username(self, employee: Employee) -> str:
        return employee.user.get_username() if employee.user_id else ""

    def dehydrate_email(self, employee: Employee) -> str:
        return employee.user.email if employee.user_id else ""

    def dehydrate_manager(self, employee: Employee) -> str:
        return employee.manager.employee_number if employee.manager_id else ""

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        """Check the reporting lines the file would make, before any row is written."""
        super().before_import(dataset, **kwargs)
        self._has_managers = "manager" in (dataset.headers or [])
        self._managers: dict[str, str] = {}
        self._manager_errors: dict[str, str] = {}
        if not self._has_managers:
            return
        for row in dataset.dict:
            self._managers[_cell(row, "employee_number")] = _cell(row, "manager")
        lines: dict[str, str] = {
            number: manager or ""
            for number, manager in Employee.objects.values_list(
                "employee_number", "manager__employee_number"
            )
        }
        lines.update(self._managers)
        for number, manager in self._managers.items():
            error = _reporting_line_error(number, manager, lines)
            if error:
                self._manager_errors[number] = error

    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
        super().before_import_row(row, **kwargs)
        error = self._manager_errors.get(_cell(row, "employee_number"))
        if error:
            raise ValidationError({"manager": error})

    def import_instance(self, instance: Employee, row: dict[str, Any], **kwargs: Any) -> None:
        """Link the row's login, never a privileged one or one of another employee, and
        change an e-mail address only on an ordinary employee's account."""
        super().import_instance(instance, row, **kwargs)
        username = _cell(row, "username") or instance.employee_number
        email = _cell(row, "email")
        if instance.user_id is None:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                # No password: HR sets or resets it, nobody logs in with an imported account.
                user = get_user_model().objects.create_user(username=username, email=email)
            elif user.is_staff or user.is_superuser:
                raise ValidationError({"username": PRIVILEGED_LOGIN % {"username": username}})
            elif Employee.objects.filter(user=user).exists():
                raise ValidationError({"username": LOGIN_TAKEN % {"username": username}})
            instance.user = user
        user = instance.user
        if email and user.email != email:
            if user.is_staff or user.is_superuser:
                raise ValidationError({"email": PRIVILEGED_EMAIL % {"username": user.username}})
            # Saved through the model, so the change is recorded (EmailChange).
            user.email = email
            user.save(update_fields=["email"])

    def after_import(self, dataset: tablib.Dataset, result: Result, **kwargs: Any) -> None:
        super().after_import(dataset, result, **kwargs)
        if not self._has_managers or result.has_errors() or result.has_validation_errors():
            return
        ids = dict(
            Employee.objects.filter(
                employee_number__in=set(self._managers) | set(self._managers.values())
            ).values_list("employee_number", "pk")
        )
        for number, manager in self._managers.items():
            Employee.objects.filter(employee_number=number).update(
                manager_id=ids.get(manager) if manager else None
            )


def _reporting_line_error(number: str, manager: str, lines: dict[str, str]) -> str:
    """Why `number` cannot report to `manager` given all reporting lines, or ''."""
    if not manager:
        return ""
    if manager == number:
        return _("An employee cannot be their own manager.")
    if manager not in lines:
        return _("No employee has the number %(number)s.") % {"number": manager}
    # Walk up from the manager: coming back to `number` closes a cycle through it; a
    # cycle further up (not through this employee) is reported on its own rows.
    seen: set[str] = set()
    current = manager
    while current and current not in seen:
        if current == number:
            return _("Reporting to %(manager)s would make a reporting cycle.") % {
                "manager": manager
            }
        seen.add(current)
        current = lines.get(current, "")
    return ""


def import_employees(dataset: tablib.Dataset, *, dry_run: bool = False) -> Result:
    """Import employees from a dataset, all or nothing; the result lists the row errors."""
    return EmployeeResource().import_data(dataset, dry_run=dry_run)
