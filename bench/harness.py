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
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection, reset_queries
from django.http import HttpRequest, HttpResponse
from django.template import RequestContext, Template
from django.test import Client
from django.test.utils import (
    CaptureQueriesContext,
    override_settings,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import path
from django.utils.html import escape
from django.utils.safestring import mark_safe

from assessments.models import Assessment, Cycle, Employee, TaskRating
from assessments.shortfalls import shortfalls_refresh
from portal import urls as portal_urls
from standards.models import Standard, Task


def floor_view(request: HttpRequest) -> HttpResponse:
    """The trivial page: the same middleware, the session and the logged-in user loaded
    (as every real page does), nothing else."""
    return HttpResponse(f"ok {request.user.pk}")


HEATMAP_FLOOR_PAGE = Template(
    '{% extends "base.html" %}{% block content %}{{ table }}{% endblock %}'
)


def heatmap_floor_view(request: HttpRequest) -> HttpResponse:
    """The heatmap's floor: the same people × tasks read by one raw SQL query and
    rendered as the same cells in the portal's page, with nothing else (no scoping, no
    filters, no summaries)."""
    rating, assessment, employee = (
        model._meta.db_table for model in (TaskRating, Assessment, Employee)
    )
    sql = f"""
        SELECT e.employee_number, e.name, r.required_level, r.self_level
        FROM {rating} r
        JOIN {assessment} a ON a.id = r.assessment_id
        JOIN {employee} e ON e.id = a.employee_id
        WHERE a.cycle_id = %s AND a.standard_id = %s AND e.department_id = %s
          AND a.stage = %s
        ORDER BY e.name, e.employee_number, r."order"
    """  # noqa: S608 - table names from the models, values as parameters
    params = [request.GET[name] for name in ("cycle", "standard", "department")]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, Assessment.Stage.SUBMITTED])
        rows: dict[str, list[str]] = {}
        for number, name, required, own in cursor.fetchall():
            cells = rows.setdefault(number, [f'<th scope="row">{escape(name)} {number}</th>'])
            gap = required - own if own is not None else None
            cells.append(
                f'<td class="heat" title="{required:d}, {own:d}">{gap:+d}</td>'
                if gap is not None
                else '<td class="heat unrated"></td>'
            )
    table = "".join(f"<tr>{''.join(cells)}</tr>" for cells in rows.values())
    context = RequestContext(request, {"table": mark_safe(f"<table>{table}</table>")})  # noqa: S308
    return HttpResponse(HEATMAP_FLOOR_PAGE.render(context))


FLOOR_URL = "/bench-floor/"
HEATMAP_FLOOR_URL = "/bench-heatmap-floor/"

# The benchmarks' URLconf: the portal's, plus the trivial pages that give the floors.
urlpatterns = [
    path(FLOOR_URL.strip("/") + "/", floor_view),
    path(HEATMAP_FLOOR_URL.strip("/") + "/", heatmap_floor_view),
    *portal_urls.urlpatterns,
]


@contextlib.contextmanager
def bench_environment() -> Iterator[None]:
    """A throwaway test database of the configured engine, destroyed afterwards.

    On SQLite it is a file in a temporary folder rather than in memory, so that the
    HTTP server the pages are also timed through (bench/server.py) reads it too.
    """
    setup_test_environment()
    folder = tempfile.TemporaryDirectory(prefix="portal-bench-db-")
    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{folder.name}/bench.sqlite3"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    if connection.vendor == "sqlite":
        # A throwaway file: no flush to the disk at each of the generator's thousands of
        # commits (an in-memory database never had them), readers not blocked by a writer.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = OFF")
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
        folder.cleanup()


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


def time_page(
    client: Client, url: str | Callable[[int], str], repeat: int, budget: float = 30.0
) -> Timing:
    """p50 and p95 of `repeat` GETs of `url` after one warm-up, and its query count.

    `url` may be a function of the request's number (0 for the warm-up), for a page that
    must be asked for differently each time (a first-time search, past the cache). A
    page slow enough to spend `budget` seconds stops early, after at least 5 requests,
    so that the whole run stays bounded; `requests` says how many were made.
    """
    urls = url if callable(url) else lambda _number: url
    response = client.get(urls(0))  # warm caches (templates, translations)
    if response.status_code != 200:
        raise SystemExit(f"{urls(0)} answered {response.status_code}")
    times: list[float] = []
    counts = set()
    while len(times) < repeat and (len(times) < 5 or sum(times) < budget):
        reset_queries()  # the log keeps 9,000 queries; a full one would count none
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            client.get(urls(len(times) + 1))
            times.append(time.perf_counter() - start)
        counts.add(len(queries))
    if len(counts) != 1:
        raise SystemExit(f"{urls(0)} made a varying number of queries: {sorted(counts)}")
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
    # What assessment_save does at each submission, for all of them at once.
    shortfalls_refresh(assessment.pk for assessment in assessments)
    return len(ratings)
