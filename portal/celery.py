"""The Celery application: background jobs run by workers that share Redis and the database.

Start a worker with `celery -A portal worker`; its settings are Django's CELERY_* ones
(portal/settings.py). Without REDIS_URL the app runs every task inline (always eager),
so `make run` needs no worker.
"""

import logging
import os

from celery import Celery
from celery.signals import heartbeat_sent, worker_ready, worker_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
logger = logging.getLogger(__name__)


# Each worker's heartbeat (Celery's own, every 2 s, from the worker's main process) is
# written to Redis, where /healthz counts the workers without a broadcast ping.
@heartbeat_sent.connect
def _heartbeat(sender: object, **kwargs: object) -> None:
    _beat(sender.eventer.hostname)


@worker_ready.connect
def _ready(sender: object, **kwargs: object) -> None:
    _beat(sender.hostname)


@worker_shutdown.connect
def _shutdown(sender: object, **kwargs: object) -> None:
    from portal.health import worker_gone

    try:
        worker_gone(sender.hostname)
    except Exception:  # noqa: BLE001 - a heartbeat must never stop the worker
        logger.warning("could not remove the worker's heartbeat", exc_info=True)


def _beat(hostname: str) -> None:
    from portal.health import worker_heartbeat

    try:
        worker_heartbeat(hostname)
    except Exception:  # noqa: BLE001 - a heartbeat must never stop the worker
        logger.warning("could not record the worker's heartbeat", exc_info=True)
