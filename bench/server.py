"""The benchmark's pages through a real HTTP server: gunicorn with DEBUG off, as deployed.

`served()` starts gunicorn (one sync worker, so requests are timed one at a time) on a
free port of 127.0.0.1 against the benchmark's own throwaway database, with the
production settings, the benchmark's URLconf (the portal's and the trivial floor page)
and the static files collected into a temporary folder; `time_http()` times GETs of a
page there, logged in by the session cookie of a test client that force_login gave.
The server is stopped when the block ends, whatever happens.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
SETTINGS = """\
import os
from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.harness"
STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
"""


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log: Path


def database_url() -> str:
    """The URL of the database the benchmark is filling (a file for SQLite)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return (
        f"postgres://{user}{password}@{settings.get('HOST') or '127.0.0.1'}:"
        f"{settings.get('PORT') or 5432}/{settings['NAME']}"
    )


@contextlib.contextmanager
def served() -> Iterator[Server]:
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
        folder = Path(tmp)
        (folder / "bench_settings.py").write_text(SETTINGS)
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DEBUG": "false",
            "SECRET_KEY": os.environ["SECRET_KEY"],  # the test clients' sessions hold
            "ALLOWED_HOSTS": HOST,
            "BEHIND_TLS_PROXY": "true",  # requests say X-Forwarded-Proto: https
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
            "BENCH_STATIC_ROOT": str(folder / "static"),
        }
        cost = os.environ.get("BENCH_PG_RANDOM_PAGE_COST")
        if cost:
            env["PGOPTIONS"] = f"-c random_page_cost={cost}"
        subprocess.run(  # noqa: S603 - our own command line
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            env=env,
            cwd=ROOT,
            check=True,
            timeout=300,
        )
        port = free_port()
        log = folder / "gunicorn.log"
        with open(log, "w") as out:
            process = subprocess.Popen(  # noqa: S603 - our own command line
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "portal.wsgi",
                    f"--bind={HOST}:{port}",
                    "--workers=1",
                    "--timeout=300",
                    "--no-control-socket",
                ],
                env=env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = Server(port, process, log)
        try:
            wait_until_up(server)
            yield server
        finally:
            stop(process)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def get(server: Server, path: str, session: str | None) -> tuple[int, float]:
    """GET `path` in a new connection (gunicorn's sync worker keeps none open): the
    status and the seconds until the whole answer was read."""
    headers = {"X-Forwarded-Proto": "https", "Host": HOST}
    if session:
        headers["Cookie"] = f"sessionid={session}"
    conn = http.client.HTTPConnection(HOST, server.port, timeout=300)
    try:
        start = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - start
    finally:
        conn.close()


def wait_until_up(server: Server, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"gunicorn exited:\n{server.log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            if get(server, "/bench-floor/", None)[0] == 200:
                return
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer within {seconds:.0f} s")


def stop(process: subprocess.Popen) -> None:
    """Stop gunicorn (started in its own session) and its worker."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, 15)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.wait(timeout=5)


def time_http(
    server: Server, urls: Callable[[int], str], session: str | None, repeat: int, budget: float
) -> list[float]:
    """Seconds of `repeat` GETs of urls(1), urls(2)… after one warm-up GET of urls(0),
    stopping early (after at least 5) once `budget` seconds are spent."""
    status, _ = get(server, urls(0), session)
    if status != 200:
        raise SystemExit(f"{urls(0)} answered {status} through gunicorn")
    times: list[float] = []
    while len(times) < repeat and (len(times) < 5 or sum(times) < budget):
        status, seconds = get(server, urls(len(times) + 1), session)
        if status != 200:
            raise SystemExit(f"{urls(len(times) + 1)} answered {status} through gunicorn")
        times.append(seconds)
    return times
