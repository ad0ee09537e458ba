"""Set up the demo: the built-in standards and a small organisation with its accounts."""

import datetime
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.evidence import evidence_attach
from assessments.models import Assessment, Cycle, Department, Employee
from assessments.services import RatingInput, assessment_save, assessments_assign
from standards.levels import HIGHEST
from standards.models import Standard
from standards.parsing.document import ParseError
from standards.reader import read_document
from standards.services import standard_import

DATA_DIR = Path(__file__).resolve().parents[3] / "standards" / "data"
DEFAULT_PASSWORD = "demo1234"  # noqa: S105 - the documented password of the local demo
HR_GROUP = "HR"

DEPARTMENTS = {"HR": "人力資源部", "PM": "生產管理部"}

DEMO_CYCLE = "2026 年度職能自評（示範）"
DEMO_STANDARD = "AVA4322-001v4"
# employee1's own level relative to each task's required level, repeating.
DEMO_OFFSETS = [0, -1, 1, 0, -2, 0, 1, -1]


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
                result = standard_import(document=document, publish=True)
            except ParseError as exc:
                raise CommandError(f"{path}:{exc.line}: {exc.message}") from exc
            except ValidationError as exc:
                raise CommandError(f"{path}: {'; '.join(exc.messages)}") from exc
            self.stdout.write(f"{result.outcome} {document.code} {document.name}")

        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        create_demo_organisation(password=password)
        cycle = create_demo_cycle()
        self.stdout.write(f"\nDemo cycle: {cycle.name} ({cycle.opens_on} – {cycle.closes_on})")
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
            defaults={
                "email": f"{account.username}@example.com",
                "is_staff": account.is_staff,
                "is_superuser": False,
                "is_active": True,
            },
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


@transaction.atomic
def create_demo_cycle() -> Cycle:
    """Open the demo cycle once: the manager's team assesses itself against DEMO_STANDARD,
    employee1 has submitted, employee2 has saved a draft, employee3 has not started."""
    today = datetime.date.today()
    cycle, _ = Cycle.objects.get_or_create(
        name=DEMO_CYCLE,
        defaults={
            "opens_on": today - datetime.timedelta(days=14),
            "closes_on": today + datetime.timedelta(days=45),
        },
    )
    team = Employee.objects.filter(manager__user__username="manager")
    assessments_assign(
        cycle=cycle, standard=Standard.objects.get(code=DEMO_STANDARD), employees=team
    )
    demo = Assessment.objects.filter(cycle=cycle, standard__code=DEMO_STANDARD)
    first = demo.get(employee__user__username="employee1")
    if first.stage == Assessment.Stage.PENDING:
        ratings = list(first.ratings.select_related("task").order_by("order"))
        answers = {}
        for index, rating in enumerate(ratings):
            level = min(
                HIGHEST, max(0, rating.required_level + DEMO_OFFSETS[index % len(DEMO_OFFSETS)])
            )
            indicators = rating.task.indicators.all() if rating.task else []
            answers[rating.pk] = RatingInput(
                self_level=level,
                comment="已獨立完成多次，可提供工作紀錄。" if index % 4 == 0 else "",
                indicator_checks={i.code: level >= rating.required_level for i in indicators},
            )
        evidence_attach(
            rating=ratings[0],
            upload=SimpleUploadedFile("工作紀錄.pdf", demo_pdf("Work record: three runs")),
            output_code=next((o.code for o in ratings[0].task.outputs.all()), ""),
        )
        first.refresh_from_db()
        assessment_save(assessment=first, version=first.version, ratings=answers, submit=True)
    second = demo.get(employee__user__username="employee2")
    if second.stage == Assessment.Stage.PENDING:
        ratings = list(second.ratings.order_by("order"))
        answers = {
            rating.pk: RatingInput(self_level=min(HIGHEST, rating.required_level + index % 2 - 1))
            for index, rating in enumerate(ratings[: len(ratings) // 2])
        }
        assessment_save(assessment=second, version=second.version, ratings=answers)
    return cycle


def demo_pdf(text: str) -> bytes:
    """A one-page PDF showing `text` (ASCII), for the demo's evidence file."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)
