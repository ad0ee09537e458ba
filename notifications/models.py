"""The record of every e-mail the portal sends: to whom, for which event, and whether
it went. One row per event (`event_key` is unique), so no event is mailed twice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message for one event; unsent (`sent_at` empty) until a send succeeds."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("invitation")
        CYCLE_OPENED = "cycle_opened", _("cycle opened")
        CYCLE_CLOSING = "cycle_closing", _("cycle closing soon")
        REVIEW_WAITING = "review_waiting", _("assessment waiting for a review")
        REMINDER = "reminder", _("reminder")
        PASSWORD_RESET = "password_reset", _("password reset")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # What the message is about, e.g. "reminder:12:2026-05-04": a second send for the
    # same key finds this row and sends nothing.
    event_key = models.CharField(_("event"), max_length=200, unique=True)
    language = models.CharField(_("language"), max_length=10)
    address = models.EmailField(_("e-mail address"), blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # Set while the task queue waits to try a failed send again; empty once it was sent
    # or the queue gave up (then `last_error` says why).
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail sent")
        verbose_name_plural = _("e-mails sent")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "kind", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.address or self.recipient}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None

    @property
    def state(self) -> str:
        """Sent, waiting to be tried again, or failed (for the admin's list)."""
        if self.is_sent:
            return _("sent")
        if self.next_attempt_at is not None:
            return _("will be tried again")
        return _("failed")
