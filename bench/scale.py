"""Scale benchmark (run by `make bench`): a whole country's catalogue and a large company.

On a throwaway test database of the configured engine (DATABASE_URL; SQLite by default)
it generates, deterministically, BENCH_STANDARDS standard versions (3,000) with 10–30
tasks each and BENCH_EMPLOYEES employees (10,000) in a department tree, one department
of 1,000 people assessed on a 30-task standard in two cycles and half the other
departments on their own standard. BENCH_IMPORTS of the documents (200) go through the
real parser and writer as plain-text renderings of official documents, timed (documents
per second and queries per document are printed); the rest go through the same writer
from their interchange form. It then prints one table: for each page, p50 and p95 over
BENCH_REPEAT requests (20) through gunicorn with DEBUG off (bench/server.py), each as a
multiple of the floor's p50 (the same stack answering a trivial view, measured in the
same run), then the p50 through the test client and the number of queries the test
client counted. A page that has spent 30 s stops after at least 5 requests (column n).
Last it prints the CPU time one login's password check takes with the portal's hasher.
BENCH_PG_RANDOM_PAGE_COST sets the PostgreSQL planner's random_page_cost for the run
(1.1 is the usual value on SSD; the default is 4). On PostgreSQL the generated data is
vacuumed and analysed before any page is timed, as autovacuum would do on a live server.
"""

from __future__ import annotations

import gc
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import check_password, get_hasher, make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from assessments.models import Assessment, Cycle, Department, Employee, TaskRating  # noqa: E402
from assessments.services import assessments_assign  # noqa: E402
from bench.catalogue import bulk_load, documents, render_text  # noqa: E402
from bench.harness import (  # noqa: E402
    FLOOR_URL,
    HEATMAP_FLOOR_URL,
    bench_environment,
    database_label,
    make_users,
    percentile,
    submit_assessments,
    time_page,
)
from bench.server import Server, served, time_http  # noqa: E402
from standards.models import Standard, Task  # noqa: E402
from standards.reader import read_document  # noqa: E402
from standards.services import standard_import  # noqa: E402

STANDARDS = int(os.environ.get("BENCH_STANDARDS", "3000"))
IMPORTS = int(os.environ.get("BENCH_IMPORTS", "200"))
EMPLOYEES = int(os.environ.get("BENCH_EMPLOYEES", "10000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
TEAM = min(1000, EMPLOYEES - 6)  # the department the heatmap shows
UNIT_DEPARTMENTS = 250  # people per department outside the team
PER_LEAD = 50  # people per team lead
# Words every generated standard uses; the selective search is the name of one standard.
COMMON_WORDS = "客戶需求 改善建議"
# Where the figures go as JSON (BENCH_JSON_DIR to keep a scaled-down run apart).
JSON_FOLDER = Path(
    os.environ.get("BENCH_JSON_DIR", Path(__file__).resolve().parents[1] / "docs" / "performance")
)


@dataclass
class Row:
    label: str
    timing: BothTimings
    note: str


def import_documents(docs: list[dict]) -> tuple[list[float], list[int]]:
    """Feed plain-text renderings through read_document + standard_import, one by one.

    Timed as a server runs it, with DEBUG off: Django's debug query log would otherwise
    quote every parameter of every INSERT, which is not the importer's cost. Queries are
    counted by a wrapper around the database cursor instead.
    """
    texts = [render_text(doc).encode() for doc in docs]
    times, counts = [], []
    counter = QueryCounter()
    with override_settings(DEBUG=False), connection.execute_wrapper(counter):
        for doc, data in zip(docs, texts, strict=True):
            counter.count = 0
            start = time.perf_counter()
            document = read_document(name=f"{doc['code']}.txt", data=data)
            standard_import(document=document)
            times.append(time.perf_counter() - start)
            counts.append(counter.count)
    return times, counts


class QueryCounter:
    """A database execute wrapper that counts the statements sent."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # noqa: ANN001, ANN204
        self.count += 1
        return execute(sql, params, many, context)


@dataclass
class Organisation:
    hr: Employee
    team: Department
    team_head: Employee
    team_people: list[Employee]
    other_departments: list[tuple[Department, list[Employee]]]


def make_organisation() -> Organisation:
    """A company of EMPLOYEES people: the chief, the team of TEAM people under its head and
    20 leads, and the rest in departments of 250 grouped in four divisions."""
    users = iter(make_users("bench", EMPLOYEES + 1))
    number = iter(range(1, EMPLOYEES + 2))

    def person(department: Department | None, manager: Employee | None, title: str) -> Employee:
        n = next(number)
        return Employee(
            user=next(users),
            employee_number=f"E{n:05}",
            name=f"{title}{n}",
            department=department,
            manager=manager,
            job_title=title,
        )

    root = Department.objects.create(code="D00", name="總公司")
    team = Department.objects.create(code="D01", name="效能測試部", parent=root)
    hr = person(root, None, "人資")
    chief = person(root, None, "總經理")
    Employee.objects.bulk_create([hr, chief])
    hr.user.groups.add(Group.objects.get(name="HR"))

    rest = EMPLOYEES - 2 - TEAM
    divisions = Department.objects.bulk_create(
        Department(code=f"D1{i}", name=f"第{i}事業處", parent=root) for i in range(1, 5)
    )
    heads = [person(team, chief, "部門主管")] + [
        person(division, chief, "事業處主管") for division in divisions
    ]
    Employee.objects.bulk_create(heads)
    team_head, division_heads = heads[0], heads[1:]
    rest -= len(division_heads)

    sizes = [UNIT_DEPARTMENTS] * (rest // UNIT_DEPARTMENTS)
    if rest % UNIT_DEPARTMENTS:
        sizes.append(rest % UNIT_DEPARTMENTS)
    departments = Department.objects.bulk_create(
        Department(code=f"D2{i:03}", name=f"第{i}部", parent=divisions[i % 4])
        for i in range(len(sizes))
    )
    department_heads = [
        person(department, division_heads[i % 4], "經理")
        for i, department in enumerate(departments)
    ]
    Employee.objects.bulk_create(department_heads)

    team_leads = [person(team, team_head, "組長") for _ in range(max(1, TEAM // PER_LEAD))]
    unit_leads = [
        [person(department, head, "組長") for _ in range(lead_count(size))]
        for department, head, size in zip(departments, department_heads, sizes, strict=True)
    ]
    Employee.objects.bulk_create(team_leads + [lead for leads in unit_leads for lead in leads])

    team_staff = [
        person(team, team_leads[i % len(team_leads)], "專員")
        for i in range(TEAM - 1 - len(team_leads))
    ]
    unit_staff = [
        [person(department, leads[i % len(leads)], "專員") for i in range(size - 1 - len(leads))]
        for department, leads, size in zip(departments, unit_leads, sizes, strict=True)
    ]
    Employee.objects.bulk_create(
        team_staff + [staff for people in unit_staff for staff in people], batch_size=2000
    )
    return Organisation(
        hr=hr,
        team=team,
        team_head=team_head,
        team_people=[team_head, *team_leads, *team_staff],
        other_departments=[
            (department, [head, *leads, *staff])
            for department, head, leads, staff in zip(
                departments, department_heads, unit_leads, unit_staff, strict=True
            )
        ],
    )


def assign_everyone(client: Client, standard: Standard) -> None:
    """Time one POST of the cycle page assigning `standard` to everyone in a new cycle
    (the "everyone the search found" box with an empty search)."""
    cycle = Cycle.objects.create(name="指派測試", opens_on="2026-01-01", closes_on="2026-12-31")
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        response = client.post(
            f"/assessments/cycles/{cycle.pk}/",
            {"standard": standard.pk, "everyone_found": "on", "q": ""},
        )
        seconds = time.perf_counter() - start
    if response.status_code != 302:
        raise SystemExit(f"assigning everyone answered {response.status_code}")
    people = Assessment.objects.filter(cycle=cycle).count()
    tasks = TaskRating.objects.filter(assessment__cycle=cycle).count()
    print(
        f"Assigning {standard.code} to everyone: {people:,} assessments with {tasks:,} "
        f"task ratings in {seconds:.1f} s, {counter.count} queries"
    )


def lead_count(size: int) -> int:
    """Team leads of a department of `size` people with its head: one per 50, at least one."""
    return min(size - 1, max(1, (size - 1) // PER_LEAD))


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # each line as soon as it is measured
    print(f"Scale benchmark on {database_label()}")
    rng = random.Random(7)  # noqa: S311 - made-up levels, not secrets
    start = time.perf_counter()
    docs = documents(STANDARDS)
    # The generated catalogue (millions of objects) is not the importer's: keep it out of
    # the garbage collector's full passes, as the page timings below do.
    gc.freeze()
    imported = docs[:IMPORTS]
    import_times, import_queries = import_documents(imported)
    bulk_start = time.perf_counter()
    with override_settings(DEBUG=False):
        bulk_load(docs[IMPORTS:])
    bulk_seconds = time.perf_counter() - bulk_start
    tasks = Task.objects.count()
    families = Standard.objects.values("family_code").distinct().count()
    print(
        f"Catalogue: {Standard.objects.count():,} standard versions in {families:,} families, "
        f"{tasks:,} tasks; {len(imported)} imported through read_document + standard_import "
        f"from their plain-text rendering ({sum(import_times):.1f} s), "
        f"{len(docs) - len(imported):,} written from the same generated documents "
        f"by the same writer without the parser ({bulk_seconds:.1f} s)"
    )
    print(
        f"Import: {len(imported) / sum(import_times):.1f} documents/s through read_document + "
        f"standard_import, {statistics.median(import_queries):.0f} queries per document "
        f"(median; at most {max(import_queries)})"
    )

    org = make_organisation()
    latest = Standard.objects.filter(status=Standard.Status.LATEST).annotate(
        task_count=Count("duties__tasks")
    )
    team_standard = (
        latest.filter(task_count=30).order_by("code").first()
        or latest.order_by("-task_count", "code").first()
    )
    choices = list(latest.order_by("code").values_list("pk", flat=True))
    cycles = [
        Cycle.objects.create(
            name=f"{year} 年度自評", opens_on=f"{year}-01-01", closes_on=f"{year}-12-31"
        )
        for year in (2025, 2026)
    ]
    ratings = 0
    for progress, cycle in enumerate(cycles):
        ratings += submit_assessments(
            cycle=cycle, standard=team_standard, people=org.team_people, rng=rng, progress=progress
        )
    for _department, people in org.other_departments[::2]:
        standard = Standard.objects.get(pk=rng.choice(choices))
        for progress, cycle in enumerate(cycles):
            ratings += submit_assessments(
                cycle=cycle, standard=standard, people=people, rng=rng, progress=progress
            )
    # The assessment form: a draft of a 30-task standard, assigned by the real service.
    employee = org.team_people[-1]
    other = latest.exclude(pk=team_standard.pk).order_by("-task_count", "code").first()
    draft = assessments_assign(cycle=cycles[1], standard=other, employees=[employee]).created[0]
    print(
        f"Organisation: {Employee.objects.count():,} employees in "
        f"{Department.objects.count()} departments; {Assessment.objects.count():,} assessments "
        f"with {TaskRating.objects.count():,} task ratings in 2 cycles "
        f"(the heatmap's department: {len(org.team_people):,} people on {team_standard.code}, "
        f"{team_standard.task_count} tasks)"
    )
    analyse()
    # A server's worker does not hold the generator's million objects: keep them out of
    # the garbage collector's full passes, which would otherwise land on timed requests.
    imported_count = len(imported)
    del docs, imported
    gc.collect()
    gc.freeze()
    print(f"Generated in {time.perf_counter() - start:.0f} s; {REPEAT} requests per page")

    clients: dict[str, Client] = {}
    for name, who in (("employee", employee), ("head", org.team_head), ("hr", org.hr)):
        clients[name] = Client()
        clients[name].force_login(who.user)
    detail = (
        Standard.objects.filter(status=Standard.Status.LATEST, version_number__gt=1)
        .annotate(task_count=Count("duties__tasks"))
        .order_by("-task_count", "code")
        .first()
    )
    cycle = cycles[1]
    heatmap_query = urlencode(
        {"cycle": cycle.pk, "standard": team_standard.pk, "department": org.team.pk}
    )
    common = "/standards/?" + urlencode({"q": COMMON_WORDS})
    pages: list[tuple[str, str, str | Callable[[int], str]]] = [
        ("browse", "employee", "/standards/"),
        ("search: a standard's name", "employee", "/standards/?" + urlencode({"q": detail.name})),
        ("search: two common words", "employee", common),
        # A query string never asked before, so the rendered page is not in the cache: the
        # same words, followed by n spaces (the catalogue's cache key holds only what its
        # filters read, so an unknown parameter would not do; the search strips them).
        (
            "search: two common words, first",
            "employee",
            lambda n: "/standards/?" + urlencode({"q": COMMON_WORDS + " " * n}),
        ),
        ("standard detail", "employee", f"/standards/{detail.code}/"),
        ("standard detail, first", "employee", lambda n: f"/standards/{detail.code}/?first={n}"),
        ("assessment form", "employee", f"/assessments/{draft.pk}/"),
        (
            f"team heatmap ({len(org.team_people):,} people)",
            "head",
            f"/reports/heatmap/?{heatmap_query}",
        ),
        ("heatmap floor: one raw SQL query", "head", f"{HEATMAP_FLOOR_URL}?{heatmap_query}"),
        ("training needs (HR, everyone)", "hr", f"/reports/training-needs/?cycle={cycle.pk}"),
        ("trends (HR)", "hr", f"/reports/trends/?family={team_standard.family_code}"),
        ("dashboard (HR)", "hr", f"/reports/?cycle={cycle.pk}"),
        ("HR home (HR)", "hr", "/assessments/hr/"),
        ("assigning: everyone, a page (HR)", "hr", f"/assessments/cycles/{cycle.pk}/"),
        (
            "assigning: a people search (HR)",
            "hr",
            f"/assessments/cycles/{cycle.pk}/?" + urlencode({"q": org.team.name}),
        ),
    ]
    sessions = {name: client.cookies["sessionid"].value for name, client in clients.items()}
    with served() as server:
        print(f"Load average before the pages (1, 5, 15 min): {load_average()}")
        floor = Row(
            "floor: trivial view",
            time_both(clients["employee"], server, sessions["employee"], FLOOR_URL, 50),
            FLOOR_URL,
        )
        print()
        print(
            f"{'':<34}{'HTTP p50':>9}{'':>7}{'p95':>9}{'':>7}"
            f"{'client p50':>11}{'':>7}{'queries':>8}{'n':>4}  url"
        )
        print_row(floor, floor)
        measured = []
        for label, who, url in pages:
            timing = time_both(clients[who], server, sessions[who], url, REPEAT)
            row = Row(label, timing, url(1) if callable(url) else url)
            print_row(row, floor)
            measured.append(row)
        print(f"Load average after the pages (1, 5, 15 min): {load_average()}")
    print(
        f"import, per document: p50 {percentile(import_times, 50) * 1000:.1f} ms, "
        f"p95 {percentile(import_times, 95) * 1000:.1f} ms, "
        f"{round(percentile(import_queries, 50))} queries; "
        f"{imported_count / sum(import_times):.1f} documents/s through "
        "read_document + standard_import"
    )
    assign_everyone(clients["hr"], other)
    login_cpu = password_check_cpu()
    print(
        f"login: one password check with {get_hasher().algorithm} "
        f"({get_hasher().__class__.__name__}) takes {login_cpu * 1000:.1f} ms of CPU (median "
        f"of {LOGIN_CHECKS}; target <= 25 ms)"
    )
    write_json(
        measured,
        floor,
        docs_per_s=imported_count / sum(import_times),
        queries_per_doc=statistics.median(import_queries),
        login_cpu_ms=login_cpu * 1000,
    )


LOGIN_CHECKS = 20


def password_check_cpu() -> float:
    """The CPU seconds one login spends checking a password with the portal's hasher
    (the median of LOGIN_CHECKS checks, by process_time: what the check costs a core,
    whatever else the machine is doing)."""
    encoded = make_password("correct horse battery staple")
    times = []
    for _ in range(LOGIN_CHECKS):
        started = time.process_time()
        if not check_password("correct horse battery staple", encoded):
            raise SystemExit("the password check failed")
        times.append(time.process_time() - started)
    return statistics.median(times)


@dataclass
class BothTimings:
    """A page timed through gunicorn (p50, p95: the figures) and the test client."""

    p50: float
    p95: float
    client_p50: float
    queries: int
    requests: int


def time_both(
    client: Client, server: Server, session: str, url: str | Callable[[int], str], repeat: int
) -> BothTimings:
    """The page through the test client (its query count, and its time for comparison
    with older runs), then through gunicorn with the same visitor's session."""
    by_client = time_page(client, url, repeat)
    urls = url if callable(url) else lambda _number: url
    # Through the server, numbers past the test client's: every "first" page is new to
    # the server's cache too.
    times = time_http(server, lambda n: urls(n + 1000), session, repeat, budget=30.0)
    return BothTimings(
        p50=statistics.median(times),
        p95=percentile(times, 95),
        client_p50=by_client.p50,
        queries=by_client.queries,
        requests=len(times),
    )


def load_average() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def write_json(
    rows: list[Row], floor: Row, *, docs_per_s: float, queries_per_doc: float, login_cpu_ms: float
) -> None:
    """The figures as docs/performance/bench-<engine>.json, to compare one run with another."""
    figures = {
        "engine": connection.vendor,
        "pages": [
            {
                "page": row.label,
                "p50_ms": round(row.timing.p50 * 1000, 1),
                "p95_ms": round(row.timing.p95 * 1000, 1),
                "floor_p50_ms": round(floor.timing.p50 * 1000, 2),
                "queries": row.timing.queries,
                "client_p50_ms": round(row.timing.client_p50 * 1000, 1),
                "client_floor_p50_ms": round(floor.timing.client_p50 * 1000, 2),
            }
            for row in rows
        ],
        "import_docs_per_s": round(docs_per_s, 1),
        "import_queries_per_doc": queries_per_doc,
        "login_cpu_ms": round(login_cpu_ms, 1),
    }
    path = JSON_FOLDER / f"bench-{connection.vendor}.json"
    path.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n")
    print(f"Figures written to {path}")


def analyse() -> None:
    """On PostgreSQL, do what autovacuum does on a live server soon after a bulk load:
    gather the planner's statistics (without them it guesses one row per table) and
    merge the search index's pending entries (until then every search reads them all)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def print_row(row: Row, floor: Row) -> None:
    """One line of the table, printed as soon as it is measured: through gunicorn, p50
    and p95 (each as a multiple of the floor's p50), then the test client's p50."""
    t, f = row.timing, floor.timing
    print(
        f"{row.label:<34}{t.p50 * 1000:>9.1f}{ratio(t.p50, f.p50):>7}"
        f"{t.p95 * 1000:>9.1f}{ratio(t.p95, f.p50):>7}"
        f"{t.client_p50 * 1000:>11.1f}{ratio(t.client_p50, f.client_p50):>7}"
        f"{t.queries:>8}{t.requests:>4}  {row.note}",
        flush=True,
    )


def ratio(value: float, floor: float) -> str:
    multiple = value / floor
    return f"×{multiple:,.1f}" if multiple < 10 else f"×{multiple:,.0f}"


if __name__ == "__main__":
    with bench_environment():
        main()
