"""Celery beat's schedule (portal/settings.py): every entry names a task a worker has,
and the daily reminders go at REMINDERS_AT, Asia/Taipei time."""

import pytest
from django.conf import settings

from portal.celery import app
from tests.test_settings import read_settings


def test_every_entry_of_the_beat_schedule_names_a_registered_task():
    app.loader.import_default_modules()

    tasks = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]

    assert "assessments.send_reminders" in tasks
    assert all(task in app.tasks for task in tasks), tasks


def test_the_daily_reminders_go_at_the_configured_time_in_taipei():
    result = read_settings(
        "s.CELERY_BEAT_SCHEDULE['daily-reminders']['schedule'], app.conf.timezone",
        REMINDERS_AT="07:05",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "<crontab: 5 7 * * * (m/h/dM/MY/d)> Asia/Taipei"


@pytest.mark.parametrize("value", ["8", "25:00", "08:61", "8.30"])
def test_a_reminder_time_that_is_not_hh_mm_stops_start_up(value):
    result = read_settings("s.REMINDERS_AT", REMINDERS_AT=value)

    assert result.returncode != 0
    assert "REMINDERS_AT must be a time as HH:MM" in result.stderr
