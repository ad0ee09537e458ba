"""Benchmark of the team reports with a whole company's data (run by `make bench`).

Creates a throwaway test database on the configured engine (DATABASE_URL, SQLite by
default), fills it with 1,000 employees in one department under 20 managers, each with
a 30-task assessment submitted in two cycles, and prints the time and query count of
the heatmap, training needs and trend pages as HR and as the director over everyone.
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)

from assessments.models import Assessment, Cycle, Department, Employee, TaskRating  # noqa: E402
from standards.models import (  # noqa: E402
    Duty,
    Industry,
    JobCategory,
    KnowledgeItem,
    Occupation,
    SkillItem,
    Standard,
    Task,
    TaskKnowledge,
    TaskSkill,
)

EMPLOYEES = 1000
MANAGERS = 20
DUTIES, TASKS_PER_DUTY = 6, 5  # 30 tasks
KNOWLEDGE, SKILLS = 24, 24


def make_standard() -> tuple[Standard, list[Task]]:
    standard = Standard.objects.create(
        code="BEN0001-001v1",
        family_code="BEN0001-001",
        name="效能測試職能基準",
        publication=Standard.Publication.PUBLISHED,
        category=JobCategory.objects.create(code="BEN", name="效能測試"),
        occupation=Occupation.objects.create(code="9999", name="效能測試"),
        industry=Industry.objects.create(code="B9999", name="效能測試"),
        base_level=3,
    )
    knowledge = KnowledgeItem.objects.bulk_create(
        KnowledgeItem(standard=standard, code=f"K{i:02}", name=f"知識{i}", order=i)
        for i in range(1, KNOWLEDGE + 1)
    )
    skills = SkillItem.objects.bulk_create(
        SkillItem(standard=standard, code=f"S{i:02}", name=f"技能{i}", order=i)
        for i in range(1, SKILLS + 1)
    )
    tasks = []
    for d in range(1, DUTIES + 1):
        duty = Duty.objects.create(standard=standard, code=f"T{d}", title=f"職責{d}", order=d)
        for t in range(1, TASKS_PER_DUTY + 1):
            tasks.append(
                Task.objects.create(
                    duty=duty,
                    code=f"T{d}.{t}",
                    title=f"任務{d}.{t}",
                    level=2 + (d + t) % 4,
                    order=t,
                )
            )
    for index, task in enumerate(tasks):
        TaskKnowledge.objects.bulk_create(
            TaskKnowledge(task=task, item=knowledge[(index + k) % KNOWLEDGE], order=k)
            for k in range(3)
        )
        TaskSkill.objects.bulk_create(
            TaskSkill(task=task, item=skills[(index * 2 + s) % SKILLS], order=s) for s in range(2)
        )
    return standard, tasks


def make_people(department: Department) -> tuple[Employee, Employee, list[Employee]]:
    password = make_password("bench")
    users = User.objects.bulk_create(
        User(username=f"bench{i:04}", password=password) for i in range(EMPLOYEES + 2)
    )
    director = Employee.objects.create(
        user=users[0], employee_number="D0000", name="總經理", department=department
    )
    hr = Employee.objects.create(user=users[1], employee_number="H0000", name="人資")
    hr.user.groups.add(Group.objects.get_or_create(name="HR")[0])
    managers = Employee.objects.bulk_create(
        Employee(
            user=users[2 + i],
            employee_number=f"M{i:04}",
            name=f"主管{i}",
            department=department,
            manager=director,
        )
        for i in range(MANAGERS)
    )
    staff = Employee.objects.bulk_create(
        Employee(
            user=users[2 + i],
            employee_number=f"E{i:04}",
            name=f"員工{i}",
            department=department,
            manager=managers[i % MANAGERS],
        )
        for i in range(MANAGERS, EMPLOYEES)
    )
    return director, hr, list(managers) + list(staff)


def make_assessments(standard: Standard, tasks: list[Task], people: list[Employee]) -> None:
    rng = random.Random(6)  # noqa: S311 - made-up levels, not secrets
    now = datetime.datetime.now(datetime.UTC)
    for year in (2025, 2026):
        cycle = Cycle.objects.create(
            name=f"{year} 年度自評",
            opens_on=datetime.date(year, 1, 1),
            closes_on=datetime.date(year, 12, 31),
        )
        assessments = Assessment.objects.bulk_create(
            Assessment(
                cycle=cycle,
                employee=person,
                standard=standard,
                status=Assessment.Status.SUBMITTED,
                submitted_at=now,
            )
            for person in people
        )
        TaskRating.objects.bulk_create(
            (
                TaskRating(
                    assessment=assessment,
                    task=task,
                    order=order,
                    duty_code=task.duty.code,
                    duty_title=task.duty.title,
                    task_code=task.code,
                    task_title=task.title,
                    required_level=task.level,
                    self_level=max(0, min(6, task.level + rng.randint(-3, 2) + (year - 2025))),
                )
                for assessment in assessments
                for order, task in enumerate(tasks)
            ),
            batch_size=5000,
        )


def measure(client: Client, label: str, url: str) -> None:
    client.get(url)  # warm caches (templates, translations)
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    print(f"  {label:<28} {elapsed * 1000:8.0f} ms  {len(queries):3d} queries  {url}")


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
        start = time.perf_counter()
        department = Department.objects.create(code="BEN", name="效能測試部")
        standard, tasks = make_standard()
        director, hr, people = make_people(department)
        make_assessments(standard, tasks, people)
        print(
            f"Generated {len(people)} employees, {Assessment.objects.count()} assessments, "
            f"{TaskRating.objects.count()} task ratings in {time.perf_counter() - start:.1f} s"
        )
        cycle = Cycle.objects.get(name="2026 年度自評")
        for who, employee in (("HR", hr), ("director", director)):
            client = Client()
            client.force_login(employee.user)
            print(f"As {who}:")
            query = f"?cycle={cycle.pk}&standard={standard.pk}&department={department.pk}"
            measure(client, "heatmap (1,000 people)", f"/reports/heatmap/{query}")
            measure(client, "training needs", f"/reports/training-needs/?cycle={cycle.pk}")
            measure(client, "trends", f"/reports/trends/?standard={standard.pk}")
            measure(client, "dashboard", f"/reports/?cycle={cycle.pk}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
