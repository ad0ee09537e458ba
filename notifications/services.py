"""The one way the portal sends an e-mail: `notification_send`.

Every message is rendered in its recipient's language from three templates
(notifications/<kind>_subject.txt, <kind>.txt and <kind>.html), sent as plain text
with an HTML alternative, and recorded (`Notification`) under its event key: a second
call for the same event sends nothing once the first went, and sends again if it
failed, so the next run of a command retries what failed.

The record stays locked while the message goes out, so two runs at once cannot both
send it; nothing of the message's text is kept (an invitation or a password reset
carries a one-time link, and HR reads these records).
"""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification

logger = logging.getLogger(__name__)

NO_ADDRESS = "the recipient has no e-mail address"


class MailDeferred(Exception):
    """A send failed for a reason that may pass (the mail server down, busy or
    answering 4xx): the record says so, and a task queue may try again later."""

    def __init__(self, notification: Notification) -> None:
        super().__init__(notification.last_error)
        self.notification = notification


def is_transient(exc: Exception) -> bool:
    """Whether a failed send may succeed later: connection errors and the SMTP server's
    temporary (4xx) answers; not a missing address nor a permanent (5xx) refusal."""
    if isinstance(exc, ValueError):
        return False
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return any(code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code < 500
    return isinstance(exc, (smtplib.SMTPException, OSError))


def notification_send(
    *,
    recipient: AbstractBaseUser,
    kind: str,
    event_key: str,
    context: dict[str, Any],
    language: str | None = None,
    defer_transient: bool = False,
) -> Notification:
    """Mail `recipient` about the event `event_key` (once), in `language` (the portal's
    default unless given), and return the record; `is_sent` says whether it went.

    A send that fails (no address, the mail server refusing or unreachable) is logged
    and recorded with its error; the same call later tries again. Safe to call from a
    task queue: everything it needs is in its arguments. With `defer_transient`, a
    failure that may pass raises MailDeferred once it is recorded (notifications.tasks
    retries it).
    """
    language = language or settings.LANGUAGE_CODE
    transient = False
    with transaction.atomic():
        notification = _claim(recipient=recipient, kind=kind, event_key=event_key)
        if notification.is_sent:
            return notification
        with translation.override(language):
            context = {**context, "recipient": recipient, "portal_url": settings.PORTAL_URL}
            subject = " ".join(
                render_to_string(f"notifications/{kind}_subject.txt", context).split()
            )
            text = render_to_string(f"notifications/{kind}.txt", context)
            html = render_to_string(f"notifications/{kind}.html", context)
        notification.language = language
        notification.subject = subject[:300]
        notification.address = recipient.email
        notification.attempts += 1
        try:
            if not recipient.email:
                raise ValueError(NO_ADDRESS)
            message = EmailMultiAlternatives(subject, text, to=[recipient.email])
            message.attach_alternative(html, "text/html")
            message.send()
        except (smtplib.SMTPException, OSError, ValueError) as exc:
            logger.warning("e-mail %s to %s not sent: %s", event_key, recipient.email, exc)
            notification.last_error = str(exc)[:2000] or exc.__class__.__name__
            transient = is_transient(exc)
        else:
            notification.sent_at = timezone.now()
            notification.last_error = ""
        notification.next_attempt_at = None
        notification.save()
    if transient and defer_transient:
        raise MailDeferred(notification)
    return notification


def _claim(*, recipient: AbstractBaseUser, kind: str, event_key: str) -> Notification:
    """The event's record, created if new, locked until the caller's transaction ends so
    that two runs at once cannot both send it."""
    existing = Notification.objects.select_for_update().filter(event_key=event_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Notification.objects.create(recipient=recipient, kind=kind, event_key=event_key)
    except IntegrityError:  # another run created it meanwhile
        return Notification.objects.select_for_update().get(event_key=event_key)
