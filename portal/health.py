"""/healthz: whether this app server can reach what it needs, for load balancers and
monitoring. No personal data, no authentication, never cached."""

from __future__ import annotations

import logging
import secrets
import time

import redis
from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

OK, INLINE, DOWN = "ok", "inline", "down"


def heartbeat_key() -> str:
    """The sorted set in the broker's Redis of each worker's last heartbeat (a time)."""
    return f"{settings.REDIS_KEY_PREFIX}:workers"


def _broker_redis() -> redis.Redis:
    return redis.Redis.from_url(
        current_app.conf.broker_url, socket_timeout=2, socket_connect_timeout=2
    )


def worker_heartbeat(hostname: str) -> None:
    """Record that the worker `hostname` is alive (its heartbeat, every 2 s: portal/celery.py)."""
    with _broker_redis() as client:
        client.zadd(heartbeat_key(), {hostname: time.time()})


def worker_gone(hostname: str) -> None:
    """A worker shutting down is no longer counted."""
    with _broker_redis() as client:
        client.zrem(heartbeat_key(), hostname)


def workers_alive(client: redis.Redis) -> int:
    """How many workers sent a heartbeat in the last WORKER_HEARTBEAT_SECONDS; older
    entries (a worker killed without shutting down) are dropped."""
    now = time.time()
    client.zremrangebyscore(heartbeat_key(), "-inf", now - settings.WORKER_HEARTBEAT_SECONDS)
    return client.zcard(heartbeat_key())


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health check: the database is down")
        return DOWN
    return OK


def cache_state() -> str:
    key, value = "healthz:" + secrets.token_hex(8), secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=10)
        found = cache.get(key)
        cache.delete(key)
    except Exception:
        logger.exception("health check: the cache is down")
        return DOWN
    return OK if found == value else DOWN


def broker_state() -> tuple[str, int]:
    """The broker's state and how many workers are alive ("inline", 0 without one).

    Workers are counted by their heartbeats in the broker's Redis, not by a broadcast
    ping: nothing is waited for, so a busy machine answers as fast as Redis does."""
    if current_app.conf.task_always_eager:
        return INLINE, 0
    try:
        with _broker_redis() as client:
            client.ping()
            return OK, workers_alive(client)
    except Exception:
        logger.exception("health check: the broker is down")
        return DOWN, 0


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """{"database", "cache", "broker": "ok" | "inline" | "down", "workers": N}: 200 when
    nothing is down, else 503 with "down" naming what is."""
    broker, workers = broker_state()
    body: dict = {
        "database": database_state(),
        "cache": cache_state(),
        "broker": broker,
        "workers": workers,
    }
    down = [name for name in ("database", "cache", "broker") if body[name] == DOWN]
    if down:
        body["down"] = down
    response = JsonResponse(body, status=503 if down else 200)
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store"
    return response
