"""Real Celery workers for the tests: a worker process against the Redis server on
127.0.0.1:6379 (TEST_REDIS_URL), sharing the test database and media folder.

Every worker gets a key prefix of its own (REDIS_KEY_PREFIX), so parallel test runs and
other users of the same Redis server never see each other's queues; its keys are
deleted afterwards (by prefix: never FLUSHDB). The test process is switched to the same
broker for the duration by making a Celery app configured for it the current one.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from celery import Celery
from django.db import connection

from portal.celery import app as portal_app
from portal.settings import redis_settings

ROOT = Path(__file__).resolve().parents[2]
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
READY_SECONDS = 60


def require_redis() -> None:
    """Skip (fail, on CI) when the test Redis server cannot be reached."""
    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        reason = f"Redis is unreachable at {TEST_REDIS_URL}: {exc}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def database_url() -> str:
    """The URL of the test database this process uses, for another process to open."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def celery_environment(prefix: str, media_root: Path, **extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "true",
        "SECRET_KEY": "test-only-secret-key-not-for-deployment",
        "DATABASE_URL": database_url(),
        "REDIS_URL": TEST_REDIS_URL,
        "REDIS_KEY_PREFIX": prefix,
        "MEDIA_ROOT": str(media_root),
        "LOG_LEVEL": "INFO",
        **extra,
    }


@dataclass
class Worker:
    process: subprocess.Popen
    name: str
    log: Path

    def pool_pids(self) -> list[int]:
        """The pool processes that run the tasks (children of the worker)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def kill(self) -> None:
        """SIGKILL the worker and its pool, as the kernel's OOM killer would."""
        pids = self.pool_pids()
        self.process.send_signal(signal.SIGKILL)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # warm shutdown
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


class Broker:
    """The test process's view of the broker: start workers, wait for things."""

    def __init__(self, prefix: str, media_root: Path, log_dir: Path) -> None:
        self.prefix = prefix
        self.media_root = media_root
        self.log_dir = log_dir
        self.workers: list[Worker] = []

    def start_worker(self, **env: str) -> Worker:
        name = f"{self.prefix}-{len(self.workers)}@{socket.gethostname()}"
        log = self.log_dir / f"worker-{len(self.workers)}.log"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                f"--hostname={name}",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=celery_environment(self.prefix, self.media_root, **env),
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        worker = Worker(process=process, name=name, log=log)
        self.workers.append(worker)
        wait_for(lambda: b" ready." in log.read_bytes(), READY_SECONDS, worker)
        return worker

    def start_beat(self, **env: str) -> Worker:
        """Celery beat, its schedule file in the log folder, sending to this broker."""
        log = self.log_dir / f"beat-{len(self.workers)}.log"
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "portal", "beat",
                f"--schedule={self.log_dir / 'beat-schedule'}", "--loglevel=DEBUG",
            ],
            cwd=ROOT,
            env=celery_environment(self.prefix, self.media_root, **env),
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        beat = Worker(process=process, name="beat", log=log)
        self.workers.append(beat)
        wait_for(lambda: b"beat: Starting" in log.read_bytes(), READY_SECONDS, beat)
        return beat

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()


def wait_for(condition: Callable[[], bool], seconds: float, worker: Worker | None = None) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if worker is not None and worker.process.poll() is not None:
            raise AssertionError(f"the worker exited:\n{worker.log.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            log = worker.log.read_text()[-3000:] if worker else ""
            raise AssertionError(f"gave up after {seconds} s\n{log}")
        time.sleep(0.02)


@contextmanager
def broker_for_tests(media_root: Path, log_dir: Path) -> Iterator[Broker]:
    """A Celery app on the test Redis under a fresh prefix, current in this process."""
    require_redis()
    prefix = f"portal-test-{uuid.uuid4().hex[:12]}"
    app = Celery("portal", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    shared = redis_settings(TEST_REDIS_URL, prefix)
    app.conf.update(
        broker_url=shared["CELERY_BROKER_URL"],
        result_backend=shared["CELERY_RESULT_BACKEND"],
        broker_transport_options=shared["CELERY_BROKER_TRANSPORT_OPTIONS"],
        result_backend_transport_options=shared["CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS"],
        task_always_eager=False,
    )
    app.set_current()
    broker = Broker(prefix, media_root, log_dir)
    try:
        yield broker
    finally:
        broker.stop()
        portal_app.set_current()
        app.close()
        client = redis.Redis.from_url(TEST_REDIS_URL)
        for key in client.scan_iter(match=f"{prefix}*", count=500):
            client.delete(key)
