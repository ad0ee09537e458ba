"""What the benchmarks share: Django set up on a throwaway test database, timing of pages
through the test client, and generated people with submitted assessments.

Import it after django.setup(), as the benchmark scripts do first.
"""

from __future__ import annotations

import contextlib
import datetime
import math
import os
import random
import statistics
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection, reset_queries
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import (
    CaptureQueriesContext,
    override_settings,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import path

from assessments.models import Assessment, Cycle, Employee, TaskRating
from portal import urls as portal_urls
from standards.models import Standard, Task


def floor_view(request: HttpRequest) -> HttpResponse:
    """The trivial page: the same middleware, the session and the logged-in user loaded
    (as every real page does), nothing else."""
    return HttpResponse(f"ok {request.user.pk}")


FLOOR_URL = "/bench-floor/"

# The benchmarks' URLconf: the portal's, plus the trivial page that gives the floor.
urlpatterns = [
    path(FLOOR_URL.strip("/") + "/", floor_view),
    *portal_urls.urlpatterns,
]


@contextlib.contextmanager
def bench_environment() -> Iterator[None]:
    """A throwaway test database of the configured engine, destroyed afterwards."""
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        cost = os.environ.get("BENCH_PG_RANDOM_PAGE_COST")
        if cost and connection.vendor == "postgresql":
            # The planner's price of a random read: 4 by default (spinning disks); SSD
            # servers usually set 1.1, which makes it choose the search index.
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('random_page_cost', %s, false)", [cost])
        with override_settings(ROOT_URLCONF=__name__):
            yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def database_label() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
            cursor.execute("SHOW random_page_cost")
            cost = cursor.fetchone()[0]
        name = connection.settings_dict["NAME"]
        return f"PostgreSQL {version} ({name}, random_page_cost {cost})"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version} ({connection.settings_dict['NAME']})"


@dataclass
class Timing:
    p50: float  # seconds
    p95: float
    queries: int
    requests: int


def time_page(client: Client, url: str, repeat: int, budget: float = 30.0) -> Timing:
    """p50 and p95 of `repeat` GETs of `url` after one warm-up, and its query count.

    A page slow enough to spend `budget` seconds stops early, after at least 5 requests,
    so that the whole run stays bounded; `requests` says how many were made.
    """
    response = client.get(url)  # warm caches (templates, translations)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    times: list[float] = []
    counts = set()
    while len(times) < repeat and (len(times) < 5 or sum(times) < budget):
        reset_queries()  # the log keeps 9,000 queries; a full one would count none
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - start)
        counts.add(len(queries))
    if len(counts) != 1:
        raise SystemExit(f"{url} made a varying number of queries: {sorted(counts)}")
    return Timing(statistics.median(times), percentile(times, 95), counts.pop(), len(times))


def percentile(values: Sequence[float], percent: int) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def make_users(prefix: str, count: int) -> list[User]:
    """`count` accounts sharing one hashed password (hashing is the slow part)."""
    password = make_password("bench")
    return User.objects.bulk_create(
        (User(username=f"{prefix}{i:05}", password=password) for i in range(count)),
        batch_size=2000,
    )


def submit_assessments(
    *,
    cycle: Cycle,
    standard: Standard,
    people: Sequence[Employee],
    rng: random.Random,
    progress: int = 0,
) -> int:
    """Submitted assessments of `standard` for `people` in `cycle`, with made-up levels
    (`progress` raises them, for a later cycle). Returns the number of task ratings."""
    tasks = list(
        Task.objects.filter(duty__standard=standard)
        .select_related("duty")
        .order_by("duty__order", "order")
    )
    now = datetime.datetime.now(datetime.UTC)
    assessments = Assessment.objects.bulk_create(
        (
            Assessment(
                cycle=cycle,
                employee=person,
                standard=standard,
                stage=Assessment.Stage.SUBMITTED,
                submitted_at=now,
            )
            for person in people
        ),
        batch_size=2000,
    )
    ratings = [
        TaskRating(
            assessment=assessment,
            task=task,
            order=order,
            duty_code=task.duty.code,
            duty_title=task.duty.title,
            task_code=task.code,
            task_title=task.title,
            required_level=task.level,
            self_level=max(0, min(6, task.level + rng.randint(-3, 2) + progress)),
        )
        for assessment in assessments
        for order, task in enumerate(tasks)
    ]
    TaskRating.objects.bulk_create(ratings, batch_size=5000)
    return len(ratings)
