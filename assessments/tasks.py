"""Scheduled work of this app, named by Celery beat (portal/settings.py: CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .reminders import reminders_queue


@shared_task(name="assessments.send_reminders", ignore_result=True)
def send_reminders() -> int:
    """Today's reminders, as `send_reminders` sends them: a job a worker runs; its id."""
    return reminders_queue().pk
