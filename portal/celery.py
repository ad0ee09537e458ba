"""The Celery application: background jobs run by workers that share Redis and the database.

Start a worker with `celery -A portal worker`; its settings are Django's CELERY_* ones
(portal/settings.py). Without REDIS_URL the app runs every task inline (always eager),
so `make run` needs no worker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
