"""The load test's data (bench/load.py runs this in a child process, Django set up).

Creates LOAD_EMPLOYEES generated employees (by default LOAD_USERS, at least 50) under
five managers, each with a draft assessment in a load cycle and a submitted one in an
earlier cycle, all through the product's services (idempotent), and writes the locust
plan to the file it is given.

Usage: python bench/load_seed.py PLAN
"""

from __future__ import annotations

import datetime
import json
import os
import sys
from pathlib import Path

USERS = int(os.environ.get("LOAD_USERS", "50"))
EMPLOYEES = int(os.environ.get("LOAD_EMPLOYEES", str(max(50, USERS))))
MANAGERS = 5
PASSWORD = "demo1234"  # noqa: S105 - the demo's documented password, on a throwaway database


def seed(plan_path: str) -> None:
    """Create the load organisation and cycles (idempotent) and write the locust plan."""
    import django

    django.setup()

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from assessments.models import Assessment, Cycle, Department, Employee
    from assessments.services import RatingInput, assessment_save, assessments_assign
    from standards.levels import HIGHEST
    from standards.models import Standard
    from standards.selectors import published_standards

    User = get_user_model()
    today = timezone.localdate()  # the portal's day (Asia/Taipei), not the machine's
    standard = Standard.objects.get(code="AVA4322-001v4")
    password = make_password(PASSWORD)

    def account(username: str, number: str, name: str, manager: Employee | None) -> Employee:
        user, _ = User.objects.update_or_create(username=username, defaults={"password": password})
        employee, _ = Employee.objects.update_or_create(
            user=user,
            defaults={
                "employee_number": number,
                "name": name,
                "department": department,
                "job_title": "生產管理專員" if manager else "生產管理課長",
                "manager": manager,
            },
        )
        return employee

    with transaction.atomic():
        department, _ = Department.objects.get_or_create(
            code="LOAD", defaults={"name": "壓力測試部"}
        )
        managers = [
            account(f"loadmgr{m:02}", f"LM{m:02}", f"測試主管{m:02}", None)
            for m in range(1, MANAGERS + 1)
        ]
        employees = [
            account(f"load{e:03}", f"LE{e:03}", f"測試員工{e:03}", managers[e % MANAGERS])
            for e in range(1, EMPLOYEES + 1)
        ]
        past, _ = Cycle.objects.get_or_create(
            name="壓力測試上期",
            defaults={
                "opens_on": today - datetime.timedelta(days=200),
                "closes_on": today - datetime.timedelta(days=150),
            },
        )
        current, _ = Cycle.objects.get_or_create(
            name="壓力測試本期",
            defaults={
                "opens_on": today - datetime.timedelta(days=7),
                "closes_on": today + datetime.timedelta(days=60),
            },
        )
        assessments_assign(cycle=past, standard=standard, employees=employees)
        assessments_assign(cycle=current, standard=standard, employees=employees)

    # Last cycle's assessments are submitted, so the reports have something to show.
    for index, assessment in enumerate(
        Assessment.objects.filter(cycle=past, stage=Assessment.Stage.PENDING)
    ):
        answers = {
            rating.pk: RatingInput(
                self_level=min(HIGHEST, max(0, rating.required_level + (index + order) % 3 - 1))
            )
            for order, rating in enumerate(assessment.ratings.order_by("order"))
        }
        assessment_save(
            assessment=assessment,
            version=assessment.version,
            ratings=answers,
            submit=True,
            today=past.opens_on,  # answered while last cycle was open
        )

    drafts = dict(
        Assessment.objects.filter(cycle=current, employee__in=employees)
        .exclude(stage=Assessment.Stage.SUBMITTED)
        .values_list("employee__user__username", "pk")
    )
    if len(drafts) != len(employees):
        raise SystemExit(f"{len(employees) - len(drafts)} load assessments are submitted")
    hr = User.objects.filter(groups__name="HR", username="hr").exists()
    names = list(published_standards().values_list("code", "name"))
    terms = sorted({name[:2] for _, name in names} | {code[:3] for code, _ in names})
    plan = {
        "password": PASSWORD,
        "standards": [code for code, _ in names],
        "search_terms": terms + ["職能", "管理", "不存在的詞"],
        "employees": sorted(drafts.items()),
        "managers": [e.user.username for e in managers] + (["hr"] if hr else []),
        "cycles": [current.pk, past.pk],
    }
    Path(plan_path).write_text(json.dumps(plan, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    seed(sys.argv[1])
