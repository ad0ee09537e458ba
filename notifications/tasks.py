"""The task that sends one e-mail in a worker, by its mailer's name and JSON arguments
(ids, never model instances): retried with exponential backoff while the mail server
fails for a reason that may pass, at most MAIL_MAX_RETRIES times; sent once however
often it is delivered (notification_send's event key)."""

from __future__ import annotations

import datetime
from typing import Any

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import Notification
from .queue import mail_send, retry_delay
from .services import MailDeferred


@shared_task(bind=True, name="notifications.deliver", acks_late=True, ignore_result=True)
def deliver(self: Any, name: str, arguments: dict[str, Any]) -> str:  # noqa: ANN401
    """Send the message; "sent", "skipped" (nothing due, or sent already) or "failed"."""
    retries = self.request.retries
    try:
        notification = mail_send(name, arguments, defer_transient=not self.request.is_eager)
    except MailDeferred as exc:
        if retries >= settings.MAIL_MAX_RETRIES:
            return "failed"  # recorded by notification_send, with no next attempt
        delay = retry_delay(retries)
        Notification.objects.filter(pk=exc.notification.pk).update(
            next_attempt_at=timezone.now() + datetime.timedelta(seconds=delay)
        )
        raise self.retry(countdown=delay, max_retries=settings.MAIL_MAX_RETRIES) from exc
    if notification is None or not notification.is_sent:
        return "skipped" if notification is None else "failed"
    return "sent"
