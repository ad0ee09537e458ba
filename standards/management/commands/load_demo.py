"""Set up the demo: the built-in standards and a small organisation with its accounts."""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.models import Department, Employee
from standards.parsing.document import ParseError
from standards.reader import read_document
from standards.services import import_standard

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DEFAULT_PASSWORD = "demo1234"  # noqa: S105 - the documented password of the local demo
HR_GROUP = "HR"

DEPARTMENTS = {"HR": "人力資源部", "PM": "生產管理部"}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    employee_number: str
    name: str
    department: str
    job_title: str
    manager: str | None = None
    is_staff: bool = False


# Managers come before the people who report to them.
DEMO_ACCOUNTS = [
    DemoAccount("hr", "HR staff", "E001", "林怡君", "HR", "人資專員", is_staff=True),
    DemoAccount("manager", "manager", "E002", "陳志明", "PM", "生產管理課長"),
    DemoAccount("employee1", "employee", "E003", "王小明", "PM", "生產管理專員", "manager"),
    DemoAccount("employee2", "employee", "E004", "李美玲", "PM", "生產管理專員", "manager"),
    DemoAccount("employee3", "employee", "E005", "張家豪", "PM", "生產管理專員", "manager"),
]


class Command(BaseCommand):
    help = (
        "Import the built-in standards (published) and create the demo accounts; "
        "running it again changes nothing but the accounts' password (DEMO_PASSWORD)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for path in sorted(DATA_DIR.glob("*.txt")):
            try:
                document = read_document(name=path.name, data=path.read_bytes())
                result = import_standard(document=document, publish=True)
            except ParseError as exc:
                raise CommandError(f"{path}:{exc.line}: {exc.message}") from exc
            except ValidationError as exc:
                raise CommandError(f"{path}: {'; '.join(exc.messages)}") from exc
            self.stdout.write(f"{result.outcome} {document.code} {document.name}")

        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        create_demo_organisation(password=password)
        self.stdout.write("\nDemo accounts:")
        self.stdout.write(f"  {'username':<10}  {'password':<10}  role")
        for account in DEMO_ACCOUNTS:
            role = account.role + (f", reports to {account.manager}" if account.manager else "")
            self.stdout.write(f"  {account.username:<10}  {password:<10}  {role}")


@transaction.atomic
def create_demo_organisation(*, password: str) -> None:
    """Create or update the demo departments, accounts and employees."""
    departments = {
        code: Department.objects.update_or_create(code=code, defaults={"name": name})[0]
        for code, name in DEPARTMENTS.items()
    }
    hr_group, _ = Group.objects.get_or_create(name=HR_GROUP)
    employees: dict[str, Employee] = {}
    for account in DEMO_ACCOUNTS:
        user, _ = get_user_model().objects.update_or_create(
            username=account.username,
            defaults={"is_staff": account.is_staff, "is_superuser": False, "is_active": True},
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        if account.is_staff:
            user.groups.add(hr_group)
        employees[account.username], _ = Employee.objects.update_or_create(
            user=user,
            defaults={
                "employee_number": account.employee_number,
                "name": account.name,
                "department": departments[account.department],
                "job_title": account.job_title,
                "manager": employees[account.manager] if account.manager else None,
            },
        )
