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
from .queue import mail_batch_settle, mail_send, retry_delay
from .services import MailDeferred


@shared_task(bind=True, name="notifications.deliver", acks_late=True, ignore_result=True)
def deliver(
    self: Any,  # noqa: ANN401
    name: str,
    arguments: dict[str, Any],
    batch: tuple[int, int] | None = None,
) -> str:
    """Send the message; "sent", "skipped" (nothing due, or sent already) or "failed".
    A message of a mail job's `batch` (job id, position) settles its count there."""
    retries = self.request.retries
    try:
        notification = mail_send(name, arguments, defer_transient=not self.request.is_eager)
    except MailDeferred as exc:
        if retries >= settings.MAIL_MAX_RETRIES:
            # recorded by notification_send, with no next attempt
            return _settled(batch, "failed", exc.notification.last_error)
        delay = retry_delay(retries)
        Notification.objects.filter(pk=exc.notification.pk).update(
            next_attempt_at=timezone.now() + datetime.timedelta(seconds=delay)
        )
        raise self.retry(countdown=delay, max_retries=settings.MAIL_MAX_RETRIES) from exc
    if notification is None:
        return _settled(batch, "skipped")
    if not notification.is_sent:
        return _settled(batch, "failed", notification.last_error)
    return _settled(batch, "sent")


def _settled(batch: tuple[int, int] | None, result: str, error: str = "") -> str:
    if batch is not None:
        mail_batch_settle(*batch, result, error)
    return result
