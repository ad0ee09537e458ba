"""A whole deployment on the loopback (run by `make cluster`; tests/test_cluster.py drives
one): haproxy in front of two gunicorn app servers, a Celery worker, Celery beat,
PostgreSQL and Redis, as docs/deployment.md §6 describes.

PostgreSQL and Redis are the machine's own servers (127.0.0.1:5432 and :6379 unless
CLUSTER_DATABASE_URL / REDIS_URL say otherwise); the cluster migrates its database
(created when missing), loads the demo, and keeps its job files in one folder every
process shares, as a shared volume would be. The app servers run with DEBUG off and the
production settings, behind haproxy as behind a TLS-terminating proxy: haproxy adds
X-Forwarded-Proto: https and X-Forwarded-For, and names the server that answered in
X-Served-By; a request with `X-Portal-Server: app1` (or app2) goes to that server.

Usage: python ops/cluster.py   (Ctrl-C stops everything)
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
SERVERS = ("app1", "app2")

SETTINGS = """\
import os
from portal.settings import *  # noqa: F403

STATIC_ROOT = os.environ["CLUSTER_STATIC_ROOT"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
"""

HAPROXY = """\
global
    maxconn 1024

defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    # A check waits for the server like a request does: under load /healthz queues
    # behind the pages, so a short timeout would take both servers out together.
    timeout check 10s
    option forwardfor

frontend portal
    bind {host}:{port}
    # TLS would end here in production: the app servers are told the request was HTTPS.
    http-request set-header X-Forwarded-Proto https
    http-response set-header X-Served-By %[srv_name]
    default_backend apps

backend apps
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host {host}
    http-check expect status 200
{use_servers}
{servers}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def log(message: str) -> None:
    print(f"[cluster] {message}", flush=True)


@dataclass
class Cluster:
    """The processes of one cluster, started by `start()` and stopped by `stop()`."""

    folder: Path
    database_url: str
    redis_url: str
    prefix: str
    port: int = 0
    app_ports: tuple[int, ...] = ()
    gunicorn_workers: int = 2
    demo_password: str = os.environ.get("DEMO_PASSWORD", "demo1234")
    quiet: bool = False
    extra_env: dict[str, str] = field(default_factory=dict)
    extra_settings: str = ""  # lines appended to the servers' settings module
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.port = self.port or free_port()
        self.app_ports = self.app_ports or tuple(free_port() for _ in SERVERS)
        self.secret_key = secrets.token_urlsafe(50)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def server_url(self, name: str) -> str:
        return f"http://{HOST}:{self.app_ports[SERVERS.index(name)]}"

    def env(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_SETTINGS_MODULE": "cluster_settings",
            "PYTHONPATH": os.pathsep.join([str(self.folder), str(ROOT)]),
            "CLUSTER_STATIC_ROOT": str(self.folder / "static"),
            "DEBUG": "false",
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "REDIS_KEY_PREFIX": self.prefix,
            "MEDIA_ROOT": str(self.folder / "media"),
            "BEHIND_TLS_PROXY": "true",
            "TRUSTED_PROXY_COUNT": "1",
            "DEMO_PASSWORD": self.demo_password,
            "LOG_LEVEL": "WARNING",
            **self.extra_env,
        }

    # -- Starting and stopping ------------------------------------------------------

    def start(self) -> None:
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        if not Path(haproxy).exists():
            raise SystemExit("haproxy is not installed (Debian: apt-get install haproxy)")
        (self.folder / "cluster_settings.py").write_text(SETTINGS + self.extra_settings)
        (self.folder / "media").mkdir(exist_ok=True)
        ensure_database(self.database_url)
        manage = [sys.executable, "manage.py"]
        self.run([*manage, "migrate", "--noinput", "-v", "0"])
        self.run([*manage, "load_demo"])
        self.run([*manage, "collectstatic", "--noinput", "-v", "0"])
        for name, port in zip(SERVERS, self.app_ports, strict=True):
            self.spawn(
                name,
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "portal.wsgi",
                    f"--bind={HOST}:{port}",
                    f"--workers={self.gunicorn_workers}",
                    "--timeout=60",
                    "--graceful-timeout=5",
                    "--no-control-socket",
                    f"--access-logfile={self.folder / f'{name}-access.log'}",
                    "--access-logformat=%(m)s %(U)s %(s)s %(M)s",
                ],
            )
        self.spawn(
            "worker",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--concurrency=1",
                f"--hostname={self.prefix}@%h",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
        )
        # One beat per deployment: the daily reminders and the nightly cleanup of jobs.
        self.spawn(
            "beat",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "beat",
                f"--schedule={self.folder / 'celerybeat-schedule'}",
                "--loglevel=INFO",
            ],
        )
        config = self.folder / "haproxy.cfg"
        config.write_text(
            HAPROXY.format(
                host=HOST,
                port=self.port,
                use_servers="\n".join(
                    f"    use-server {name} if {{ req.hdr(X-Portal-Server) -m str {name} }}"
                    for name in SERVERS
                ),
                servers="\n".join(
                    f"    server {name} {HOST}:{port} check inter 2s fall 3 rise 1"
                    for name, port in zip(SERVERS, self.app_ports, strict=True)
                ),
            )
        )
        self.spawn("haproxy", [haproxy, "-f", str(config), "-db"])
        for name in SERVERS:
            self.wait_until_up(f"{self.server_url(name)}/healthz", name)
        self.wait_until_up(f"{self.url}/healthz", "haproxy")
        self.wait_for_worker()

    def run(self, args: list[str]) -> None:
        if not self.quiet:
            log(" ".join(args[1:]))
        subprocess.run(args, env=self.env(), cwd=ROOT, check=True, timeout=600)  # noqa: S603

    def spawn(self, name: str, args: list[str]) -> None:
        out = (self.folder / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(  # noqa: S603 - our own command line
            args,
            env=self.env(),
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_up(self, url: str, name: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.check_running()
            try:
                # Our own http:// address on the loopback, nothing else.
                with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{name} did not answer {url} within {seconds:.0f} s\n{self.logs()}")

    def wait_for_worker(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        log_file = self.folder / "worker.log"
        while b" ready." not in log_file.read_bytes():
            self.check_running()
            if time.monotonic() > deadline:
                raise RuntimeError(f"the worker did not start\n{self.logs()}")
            time.sleep(0.2)

    def check_running(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}\n{self.logs()}")

    def logs(self, lines: int = 30) -> str:
        parts = []
        for path in sorted(self.folder.glob("*.log")):
            tail = path.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- {path.name}\n" + "\n".join(tail))
        return "\n".join(parts)

    def stop(self) -> None:
        """Stop every process this cluster started (each in its own session)."""
        for process in reversed(list(self.processes.values())):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)

    def forget_redis_keys(self) -> None:
        import redis

        client = redis.Redis.from_url(self.redis_url)
        for key in client.scan_iter(match=f"{self.prefix}*", count=500):
            client.delete(key)


def ensure_database(url: str) -> None:
    """Create the database `url` names when the server does not have it yet."""
    import psycopg
    from psycopg import sql

    name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    with psycopg.connect(url, dbname="postgres", autocommit=True, connect_timeout=10) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    with psycopg.connect(url, dbname="postgres", autocommit=True, connect_timeout=10) as conn:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        conn.execute(drop.format(sql.Identifier(name)))


def main() -> int:
    port = int(os.environ.get("CLUSTER_PORT", "8080"))
    cluster = Cluster(
        folder=Path(tempfile.mkdtemp(prefix="portal-cluster-")),
        database_url=os.environ.get(
            "CLUSTER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_cluster"
        ),
        redis_url=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        prefix=os.environ.get("REDIS_KEY_PREFIX", "portal-cluster"),
        port=port,
        app_ports=(port + 1, port + 2),
        gunicorn_workers=int(os.environ.get("CLUSTER_GUNICORN_WORKERS", "3")),
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        cluster.start()
        log(f"haproxy on {cluster.url} in front of {', '.join(map(cluster.server_url, SERVERS))}")
        log(f"logs and job files in {cluster.folder}")
        log(f"demo accounts (hr, manager, employee1…), password {cluster.demo_password}")
        log("Ctrl-C stops everything")
        while True:
            cluster.check_running()
            time.sleep(1)
    except KeyboardInterrupt:
        return 0
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
