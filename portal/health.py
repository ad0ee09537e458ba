"""/healthz: whether this app server can reach what it needs, for load balancers and
monitoring. No personal data, no authentication, never cached."""

from __future__ import annotations

import logging
import secrets

from celery import current_app
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

OK, INLINE, DOWN = "ok", "inline", "down"
# How long the check waits for workers to answer a ping.
WORKER_PING_SECONDS = 0.5


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
    """The broker's state and how many workers answered a ping ("inline", 0 without one)."""
    app = current_app
    if app.conf.task_always_eager:
        return INLINE, 0
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        replies = app.control.inspect(timeout=WORKER_PING_SECONDS).ping() or {}
    except Exception:
        logger.exception("health check: the broker is down")
        return DOWN, 0
    return OK, len(replies)


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
