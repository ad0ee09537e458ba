"""Reads of what was sent."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from .models import Notification


def last_sent(kinds: list[str], *, recipient: str = "pk") -> Subquery:
    """A subquery for annotating a queryset: when the newest message of `kinds` went to
    the login at the outer query's field `recipient` (None if none went)."""
    sent: QuerySet[Notification] = Notification.objects.filter(
        recipient=OuterRef(recipient), kind__in=kinds, sent_at__isnull=False
    ).order_by("-sent_at")
    return Subquery(sent.values("sent_at")[:1])
