"""/healthz: the database, the cache and the broker, and how many workers answer.

With nothing configured (`make run`) the broker is "inline"; anything unreachable is
named with a 503 (against the real Redis with a real worker: tests/jobs/test_worker.py).
Never cached, and no personal data.
"""

import socket

import pytest
from celery import Celery

from portal.celery import app as portal_app

pytestmark = pytest.mark.django_db


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_single_server_without_redis_is_healthy_with_jobs_inline(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "broker": "inline", "workers": 0}
    assert response["Cache-Control"] == "no-store"


def test_healthz_refuses_a_post(client):
    assert client.post("/healthz").status_code == 405


def test_an_unreachable_cache_is_named_with_a_503(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{unused_port()}/0",
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["cache"] == "down"
    assert response.json()["down"] == ["cache"]


def test_an_unreachable_broker_is_named_with_a_503(client):
    app = Celery("portal", set_as_current=False)
    app.conf.update(
        broker_url=f"redis://127.0.0.1:{unused_port()}/0",
        task_always_eager=False,
        broker_connection_retry=False,
    )
    app.set_current()
    try:
        response = client.get("/healthz")
    finally:
        portal_app.set_current()
        app.close()

    assert response.status_code == 503
    assert response.json() == {
        "database": "ok",
        "cache": "ok",
        "broker": "down",
        "workers": 0,
        "down": ["broker"],
    }
