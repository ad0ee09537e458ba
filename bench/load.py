"""Load test of the portal as deployed (run by `make load`; installs nothing itself).

Against PostgreSQL (DATABASE_URL, by default postgres://postgres@127.0.0.1:5432/portal_load,
created when missing; no server is started): migrates, loads the demo and LOAD_EMPLOYEES
generated employees under five managers, each with a draft assessment of their own in a
load cycle and a submitted one in an earlier cycle, all through the product's services;
collects the static files into a temporary folder; starts gunicorn on a free port of
127.0.0.1 with DEBUG off and the production settings, as behind a TLS-terminating proxy;
then runs locust headless (bench/locustfile.py) with LOAD_USERS users spawned at
LOAD_SPAWN_RATE a second for LOAD_RUN_TIME seconds, each waiting LOAD_THINK_TIME ("1-4")
seconds between two actions, and one more user, a probe, asks for the trivial page of
bench/harness.py twice a second all through the run. Prints throughput, p50/p95/p99 and
the errors, total and per endpoint; the pages' p50 and p95 as multiples of the floor (the
probe's p50, measured under the same load) against the target of p95 <= 20x the floor;
then the time the workers spent per endpoint.

With LOAD_TARGET=cluster (`make load-cluster`) the same users go through haproxy to two
app servers of LOAD_WORKERS gunicorn workers each, with Redis (REDIS_URL, by default
redis://127.0.0.1:6379/0, under a key prefix of the run's own) and a Celery worker:
ops/cluster.py, the deployment of docs/deployment.md §6 on one machine.

Exits 1 on any error: a failed request, an exception in a locust task, or a traceback in
the server's log. Every process it started is stopped at the end, whatever happens, and
the whole run is cut off after LOAD_TIMEOUT seconds. Traffic goes to 127.0.0.1 only.

Usage: python bench/load.py   (the load data itself comes from bench/load_seed.py)
"""

from __future__ import annotations

import csv
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from load_seed import PASSWORD

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_load"
HOST = "127.0.0.1"

USERS = int(os.environ.get("LOAD_USERS", "50"))
SPAWN_RATE = float(os.environ.get("LOAD_SPAWN_RATE", "10"))
RUN_TIME = int(os.environ.get("LOAD_RUN_TIME", "60"))
WORKERS = int(os.environ.get("LOAD_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
TIMEOUT = int(os.environ.get("LOAD_TIMEOUT", "600"))
THINK_TIME = os.environ.get("LOAD_THINK_TIME", "1-4")  # seconds between a user's actions
FLOOR_NAME = "/bench-floor/"  # the locustfile's name for the trivial page's requests
FLOOR_TARGET = 20  # issue 16: p95 of the pages <= 20 x the floor's p50 in the same run
# "single": one gunicorn; "cluster" (make load-cluster): haproxy in front of two app
# servers of LOAD_WORKERS workers each, a Celery worker and Redis (ops/cluster.py).
TARGET = os.environ.get("LOAD_TARGET", "single")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
SERVERS = 2 if TARGET == "cluster" else 1

# The production settings, with the static files in the run's own folder and server
# errors logged with their traceback to the gunicorn log.
SETTINGS = """\
import os
from portal.settings import *  # noqa: F403

STATIC_ROOT = os.environ["LOAD_STATIC_ROOT"]
# The portal's URLs plus the trivial floor page the probe user asks for (bench/harness.py).
ROOT_URLCONF = "bench.harness"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
"""


class RunTimeout(Exception):
    """The whole run took longer than LOAD_TIMEOUT."""


def log(message: str) -> None:
    print(f"[load] {message}", flush=True)


# -- The run --------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    """Create the database DATABASE_URL names when the server does not have it yet."""
    import psycopg
    from psycopg import sql

    name = psycopg.conninfo.conninfo_to_dict(url).get("dbname")
    if not name:
        raise SystemExit("DATABASE_URL names no database")
    with psycopg.connect(url, dbname="postgres", autocommit=True, connect_timeout=10) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            log(f"created database {name}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def run(args: list[str], env: dict[str, str], timeout: float) -> None:
    log(" ".join(args[1:] if args[0] == sys.executable else args))
    subprocess.run(args, env=env, cwd=ROOT, check=True, timeout=timeout)  # noqa: S603


def wait_until_up(url: str, server: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            # An http:// address of our own on the loopback, never anything else.
            request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds:.0f} s")


def stop(process: subprocess.Popen | None) -> None:
    """Stop a child started in its own session, and whatever it started."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def number(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return 0.0


def report(prefix: Path) -> int:
    """Print the locust figures; return the number of errors: failed requests, and
    exceptions raised in the users' tasks (a page the locustfile could not read)."""
    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(f"{prefix}_failures.csv", newline="") as f:
        failures = list(csv.DictReader(f))
    with open(f"{prefix}_exceptions.csv", newline="") as f:
        exceptions = list(csv.DictReader(f))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    endpoints = sorted(
        (row for row in rows if row["Name"] != "Aggregated"), key=lambda r: r["Name"]
    )

    print()
    print(
        f"Load: {USERS} users (spawn {SPAWN_RATE:g}/s, {THINK_TIME} s between actions) for "
        f"{RUN_TIME} s against {target()} (DEBUG off) and PostgreSQL on {HOST}; times in ms"
    )
    width = max(len(f"{row['Type']} {row['Name']}") for row in rows)
    header = f"{'endpoint':<{width}}  {'requests':>8}  {'errors':>6}  {'req/s':>6}"
    header += f"  {'p50':>6}  {'p95':>6}  {'p99':>6}  {'max':>6}"
    print(header)
    print("-" * len(header))
    for row in [*endpoints, total]:
        label = "all" if row is total else f"{row['Type']} {row['Name']}"
        print(
            f"{label:<{width}}  {int(row['Request Count']):>8}  {int(row['Failure Count']):>6}"
            f"  {number(row['Requests/s']):>6.1f}  {number(row['50%']):>6.0f}"
            f"  {number(row['95%']):>6.0f}  {number(row['99%']):>6.0f}"
            f"  {number(row['Max Response Time']):>6.0f}"
        )
    requests = int(total["Request Count"])
    failed = int(total["Failure Count"])
    raised = sum(int(row["Count"]) for row in exceptions)
    print()
    print(
        f"Throughput: {number(total['Requests/s']):.1f} req/s; "
        f"p50 {number(total['50%']):.0f} ms, p95 {number(total['95%']):.0f} ms, "
        f"p99 {number(total['99%']):.0f} ms; errors: {failed + raised} "
        f"({failed} failed requests of {requests}, {raised} exceptions in the users' tasks)"
    )
    for failure in failures:
        print(
            f"  error x{failure['Occurrences']}: {failure['Method']} {failure['Name']}: "
            f"{failure['Error']}"
        )
    for exception in exceptions:
        print(f"  exception x{exception['Count']}: {exception['Message']}")
        print("    " + exception["Traceback"].strip().replace("\n", "\n    "))
    if requests == 0:
        print("No request was made.")
        return 1
    return failed + raised


def main() -> int:
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(f"make load runs against PostgreSQL; DATABASE_URL is {url!r}")

    def out_of_time(signum: int, frame: object) -> None:
        raise RunTimeout(f"the load run took longer than LOAD_TIMEOUT={TIMEOUT} s")

    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(TIMEOUT)
    started: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="portal-load-") as tmp:
        try:
            return load_test(url, Path(tmp), started)
        finally:
            signal.alarm(0)
            for process in reversed(started):
                stop(process)


def load_test(url: str, folder: Path, started: list[subprocess.Popen]) -> int:
    """Set up, serve and drive the portal; return the exit status. Every process it
    starts is appended to `started` for the caller to stop, whatever happens."""
    (folder / "load_settings.py").write_text(SETTINGS)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        # As deployed behind a TLS-terminating proxy (docs/deployment.md): the locust
        # users send X-Forwarded-Proto: https, so HSTS, Secure cookies and CSRF's
        # HTTPS referer check are all on, and no request is redirected to https.
        "BEHIND_TLS_PROXY": "true",
        "DJANGO_SETTINGS_MODULE": "load_settings",
        "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
        "LOAD_STATIC_ROOT": str(folder / "static"),
        # Only successful logins are expected; a high limit keeps one slow failure
        # from locking an account out for the rest of the run.
        "AXES_FAILURE_LIMIT": os.environ.get("AXES_FAILURE_LIMIT", "1000"),
    }
    log(f"database {psycopg_name(url)}")
    ensure_database(url)
    manage = [sys.executable, "manage.py"]
    run([*manage, "migrate", "--noinput", "-v", "0"], env, 300)
    run([*manage, "load_demo"], {**env, "DEMO_PASSWORD": PASSWORD}, 300)
    plan = folder / "plan.json"
    run([sys.executable, str(Path(__file__).with_name("load_seed.py")), str(plan)], env, 300)
    run([*manage, "collectstatic", "--noinput", "-v", "0"], env, 300)

    log(f"load average before the run (1, 5, 15 min): {load_average()}")
    if TARGET == "cluster":
        base = start_cluster(url, env, folder, started)
    else:
        base = start_gunicorn(env, folder, started)

    prefix = folder / "locust"
    locust_log = folder / "locust.log"
    log(f"locust: {USERS} users, spawn rate {SPAWN_RATE:g}/s, {RUN_TIME} s")
    with open(locust_log, "w") as locust_out:
        locust = subprocess.Popen(  # noqa: S603 - our own command line
            [
                sys.executable,
                "-m",
                "locust",
                "--locustfile",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--host",
                base,
                "--users",
                str(USERS + 1),  # the portal's users and the floor's probe
                "--spawn-rate",
                str(SPAWN_RATE),
                "--run-time",
                f"{RUN_TIME}s",
                "--stop-timeout",
                "10",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={
                **os.environ,
                "LOAD_PLAN": str(plan),
                "LOAD_THINK_TIME": THINK_TIME,
                "LOAD_TIMES": str(folder / "times.json"),
            },
            cwd=ROOT,
            stdout=locust_out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    started.append(locust)
    locust.wait(timeout=RUN_TIME + 60)
    for process in started[:-1]:
        stop(process)  # so that the servers' logs are complete

    locust_lines = locust_log.read_text().splitlines()
    if locust.returncode not in (0, 1) or not Path(f"{prefix}_stats.csv").exists():
        print("\n".join(locust_lines[-60:]))
        print(f"locust exited with {locust.returncode}")
        return 1
    errors = report(prefix)
    errors += against_floor(folder / "times.json")
    print(f"Load average after the run (1, 5, 15 min): {load_average()} on {os.cpu_count()} cores")
    for line in locust_lines:
        if "WARNING" in line or "ERROR" in line:
            print(f"locust: {line.strip()}")
    server_times(sorted(folder.glob("**/*access.log")))
    server_lines = [
        line
        for name in ("gunicorn.log", "cluster/app1.log", "cluster/app2.log", "cluster/worker.log")
        if (folder / name).exists()
        for line in (folder / name).read_text(errors="replace").splitlines()
    ]
    tracebacks = sum("Traceback" in line for line in server_lines)
    print(f"Server errors (tracebacks) in the gunicorn log: {tracebacks}")
    if errors or tracebacks:
        print("\nLast lines of the servers' logs:")
        print("\n".join(server_lines[-60:]))
    return 1 if errors or tracebacks else 0


def start_gunicorn(env: dict[str, str], folder: Path, started: list[subprocess.Popen]) -> str:
    """One gunicorn on a free port; its address."""
    port = free_port()
    base = f"http://{HOST}:{port}"
    server_log = folder / "gunicorn.log"
    log(f"gunicorn portal.wsgi on {base} with {WORKERS} workers")
    with open(server_log, "w") as server_out:
        server = subprocess.Popen(  # noqa: S603 - our own command line
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi",
                f"--bind={HOST}:{port}",
                f"--workers={WORKERS}",
                "--timeout=30",
                "--graceful-timeout=5",
                "--no-control-socket",  # nothing outside the run's folder
                f"--access-logfile={folder / 'access.log'}",
                "--access-logformat=%(m)s %(U)s %(s)s %(M)s",
            ],
            env=env,
            cwd=ROOT,
            stdout=server_out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    started.append(server)
    wait_until_up(f"{base}/standards/", server, 60)
    return base


def start_cluster(
    url: str, env: dict[str, str], folder: Path, started: list[subprocess.Popen]
) -> str:
    """haproxy, two app servers and a worker on the same database (ops/cluster.py); the
    balancer's address."""
    sys.path.insert(0, str(ROOT))
    from ops.cluster import Cluster

    (folder / "cluster").mkdir()
    cluster = Cluster(
        folder=folder / "cluster",
        database_url=url,
        redis_url=REDIS_URL,
        prefix=f"portal-load-{secrets.token_hex(6)}",
        gunicorn_workers=WORKERS,
        demo_password=PASSWORD,
        extra_env={"AXES_FAILURE_LIMIT": env["AXES_FAILURE_LIMIT"]},
        extra_settings='ROOT_URLCONF = "bench.harness"\n',
    )
    log(f"cluster: haproxy, 2 app servers of {WORKERS} gunicorn workers, 1 Celery worker")
    try:
        cluster.start()
    finally:
        started.extend(cluster.processes.values())
    log(f"haproxy on {cluster.url}")
    return cluster.url


def percentile(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * percent / 100))]


def against_floor(times_file: Path) -> int:
    """Print the pages' p50/p95 (every request but the floor's) as multiples of the
    floor's p50 in the same run, against the target p95 <= FLOOR_TARGET x the floor;
    return 1 when the probe made no request (no floor to compare with), else 0."""
    times = json.loads(times_file.read_text(encoding="utf-8")) if times_file.exists() else {}
    floor = times.pop(FLOOR_NAME, [])
    pages = [value for values in times.values() for value in values]
    if not floor or not pages:
        print("No floor measured: the probe user made no request.")
        return 1
    floor_p50 = max(percentile(floor, 50), 0.1)
    p50, p95 = percentile(pages, 50), percentile(pages, 95)
    verdict = "met" if p95 <= FLOOR_TARGET * floor_p50 else "NOT met"
    print(
        f"Floor (the trivial page, {len(floor)} requests by one probe user in the same run): "
        f"p50 {floor_p50:.0f} ms, p95 {percentile(floor, 95):.0f} ms"
    )
    print(
        f"The pages ({len(pages)} requests, the floor's left out): p50 {p50:.0f} ms = "
        f"x{p50 / floor_p50:.1f} the floor, p95 {p95:.0f} ms = x{p95 / floor_p50:.1f} the floor "
        f"(target p95 <= x{FLOOR_TARGET}: {verdict})"
    )
    return 0


def endpoint(method: str, path: str) -> str:
    """The locustfile's name for a request path, near enough."""
    path = re.sub(r"/\d+/", "/<pk>/", path)
    path = re.sub(r"^/standards/[^/]+/$", "/standards/<code>/", path)
    return f"{method} {re.sub(r'^/static/.*', '/static/<file>', path)}"


def server_times(access_logs: list[Path]) -> None:
    """Print the time gunicorn's workers spent on each endpoint (no queueing in it)."""
    times: dict[str, list[int]] = {}
    for line in (line for log in access_logs for line in log.read_text().splitlines()):
        method, path, _status, ms = line.split()
        times.setdefault(endpoint(method, path), []).append(int(ms))
    if not times:
        return
    print("\nTime in the application per request (gunicorn workers, no queueing), ms:")
    width = max(map(len, times))
    print(f"{'endpoint':<{width}}  {'requests':>8}  {'mean':>6}  {'p50':>6}  {'p95':>6}")
    for name, values in sorted(times.items()):
        values.sort()
        p50 = values[len(values) // 2]
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        mean = sum(values) / len(values)
        print(f"{name:<{width}}  {len(values):>8}  {mean:>6.0f}  {p50:>6}  {p95:>6}")
    busy = sum(sum(values) for values in times.values()) / 1000
    share = busy / (RUN_TIME * WORKERS * SERVERS)
    print(
        f"Workers busy {busy:.0f} s in all, {share:.0%} of {SERVERS} x {WORKERS} workers "
        f"x {RUN_TIME} s"
    )


def target() -> str:
    if TARGET == "cluster":
        return f"haproxy and 2 app servers of {WORKERS} gunicorn workers, Redis"
    return f"gunicorn ({WORKERS} workers)"


def psycopg_name(url: str) -> str:
    """The database's name and server, without any password."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.path.lstrip('/')} on {parts.hostname}:{parts.port or 5432}"


def load_average() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
