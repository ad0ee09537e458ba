"""Reminders: the e-mails that tell people an assessment is waiting or due, and tell
managers a submitted one waits for their review. Each goes through `notification_send`
under a key naming its event, so running `send_reminders` twice a day sends nothing new
and a failed send is tried again by the next run."""

from __future__ import annotations

import datetime
from collections import Counter
from itertools import groupby

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification
from notifications.services import notification_send

from .models import Assessment, Cycle, Employee

# Those not finished are reminded this many days before their cycle closes.
CLOSING_REMINDER_DAYS = (7, 1)
# A submitted assessment older than this no longer makes its manager an e-mail.
REVIEW_WAITING_DAYS = 30
# The kinds a dashboard counts as "reminded".
REMINDER_KINDS = [Notification.Kind.REMINDER, Notification.Kind.CYCLE_CLOSING]

ALREADY_SUBMITTED = _("This assessment is submitted: there is nothing to remind.")


def portal_link(name: str, *, language: str, args: tuple = ()) -> str:
    with translation.override(language):
        return settings.PORTAL_URL + reverse(name, args=args)


def _tell(employee: Employee, kind: str, key: str, **context: object) -> Notification:
    return notification_send(
        recipient=employee.user,
        kind=kind,
        event_key=key,
        language=employee.mail_language,
        context={
            "employee": employee,
            "link": portal_link("assessments:mine", language=employee.mail_language),
            **context,
        },
    )


def closing_window(cycle: Cycle, today: datetime.date) -> int | None:
    """Which closing reminder applies today (7 or 1 days before), or None."""
    days_left = (cycle.closes_on - today).days
    for days in sorted(CLOSING_REMINDER_DAYS):
        if 0 <= days_left <= days:
            return days
    return None


def reminders_send(*, today: datetime.date | None = None) -> Counter:
    """Send every reminder due today; returns how many of each kind this run sent and
    how many failed (keys like "cycle_opened sent", "cycle_closing failed").

    - A cycle's opening day (or the first run after it, while it is open): each person
      with an assessment not yet submitted in it is told, once.
    - 7 days and 1 day before it closes: those not finished are reminded, once each.
    - A submitted assessment without a review: the employee's manager is told, once
      per submission.
    """
    today = today or timezone.localdate()
    started = timezone.now()
    counts: Counter = Counter()
    unfinished = (
        Assessment.objects.filter(cycle__opens_on__lte=today, cycle__closes_on__gte=today)
        .exclude(stage=Assessment.Stage.SUBMITTED)
        .filter(employee__user__is_active=True)
        .select_related("cycle", "standard", "employee__user")
        .order_by("cycle_id", "employee_id", "standard__code")
    )
    for (_cycle_id, _employee_id), group in groupby(
        unfinished, key=lambda a: (a.cycle_id, a.employee_id)
    ):
        assessments = list(group)
        cycle, employee = assessments[0].cycle, assessments[0].employee
        days = closing_window(cycle, today)
        if days is not None:
            kind, key = Notification.Kind.CYCLE_CLOSING, f"cycle-closing-{days}"
        else:
            kind, key = Notification.Kind.CYCLE_OPENED, "cycle-opened"
        sent = _tell(
            employee,
            kind,
            f"{key}:{cycle.pk}:{employee.pk}",
            cycle=cycle,
            assessments=assessments,
        )
        _count(counts, kind, sent, started)
    for assessment in waiting_for_review(today=today):
        manager = assessment.employee.manager
        sent = notification_send(
            recipient=manager.user,
            kind=Notification.Kind.REVIEW_WAITING,
            event_key=(f"review-waiting:{assessment.pk}:{assessment.submitted_at.timestamp():.0f}"),
            language=manager.mail_language,
            context={
                "employee": manager,
                "assessment": assessment,
                "link": portal_link(
                    "reports:person", language=manager.mail_language, args=(assessment.pk,)
                ),
            },
        )
        _count(counts, Notification.Kind.REVIEW_WAITING, sent, started)
    return counts


def _count(
    counts: Counter, kind: str, notification: Notification, started: datetime.datetime
) -> None:
    """Count what this run did: sent now, or failed; one sent by an earlier run is not
    counted (nothing was sent again)."""
    if not notification.is_sent:
        counts[f"{kind} failed"] += 1
    elif notification.sent_at >= started:
        counts[f"{kind} sent"] += 1


def waiting_for_review(*, today: datetime.date):  # noqa: ANN201 - a QuerySet
    """Submitted assessments of the last REVIEW_WAITING_DAYS without a manager's review,
    whose employee has a manager with an active login."""
    since = timezone.make_aware(
        datetime.datetime.combine(
            today - datetime.timedelta(days=REVIEW_WAITING_DAYS), datetime.time()
        )
    )
    return (
        Assessment.objects.filter(
            stage=Assessment.Stage.SUBMITTED,
            submitted_at__gte=since,
            review__isnull=True,
            employee__manager__user__is_active=True,
        )
        .select_related("cycle", "standard", "employee__manager__user")
        .order_by("pk")
    )


def reminder_send(
    *, assessment: Assessment, today: datetime.date | None = None
) -> tuple[Notification, bool]:
    """A manager's or HR's reminder to the person whose `assessment` is not finished: at
    most one a day per person, listing their unfinished assessments of that cycle.
    Returns the record and whether this call sent it (False: already sent today, or it
    failed: see `is_sent`). Raises ValidationError for a submitted assessment."""
    if assessment.is_submitted:
        raise ValidationError(ALREADY_SUBMITTED, code="submitted")
    today = today or timezone.localdate()
    employee = Employee.objects.select_related("user").get(pk=assessment.employee_id)
    key = f"reminder:{employee.pk}:{today.isoformat()}"
    before = Notification.objects.filter(event_key=key, sent_at__isnull=False).exists()
    assessments = list(
        Assessment.objects.filter(cycle=assessment.cycle_id, employee=employee)
        .exclude(stage=Assessment.Stage.SUBMITTED)
        .select_related("standard", "cycle")
        .order_by("standard__code")
    )
    notification = _tell(
        employee,
        Notification.Kind.REMINDER,
        key,
        cycle=assessment.cycle,
        assessments=assessments,
    )
    return notification, notification.is_sent and not before
