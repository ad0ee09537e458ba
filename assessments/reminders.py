"""Reminders: the e-mails that tell people an assessment is waiting or due, and tell
managers a submitted one waits for their review. Each goes through `notification_send`
under a key naming its event, so running `send_reminders` twice a day sends nothing new
and a failed send is tried again by the next run."""

from __future__ import annotations

import datetime
from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification
from notifications.queue import Message, mail_batch_start, mail_queue, mail_send, mailer, outcome
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


def _tell(
    employee: Employee, kind: str, key: str, *, defer_transient: bool = False, **context: object
) -> Notification:
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
        defer_transient=defer_transient,
    )


def closing_window(cycle: Cycle, today: datetime.date) -> int | None:
    """Which closing reminder applies today (7 or 1 days before), or None."""
    return closing_window_days(cycle.closes_on, today)


def closing_window_days(closes_on: datetime.date, today: datetime.date) -> int | None:
    days_left = (closes_on - today).days
    for days in sorted(CLOSING_REMINDER_DAYS):
        if 0 <= days_left <= days:
            return days
    return None


def reminders_due(*, today: datetime.date) -> list[Message]:
    """Every reminder due `today`, as messages for a mailer (sent inline by
    `reminders_send`, or by a worker through `reminders_queue`):

    - A cycle's opening day (or the first run after it, while it is open): each person
      with an assessment not yet submitted in it is told, once.
    - 7 days and 1 day before it closes: those not finished are reminded, once each.
    - A submitted assessment without a review: the employee's manager is told, once
      per submission.
    """
    messages: list[Message] = []
    unfinished = (
        Assessment.objects.filter(cycle__opens_on__lte=today, cycle__closes_on__gte=today)
        .exclude(stage=Assessment.Stage.SUBMITTED)
        .filter(employee__user__is_active=True)
        .order_by("cycle_id", "employee_id")
        .distinct()
        .values_list("cycle_id", "cycle__closes_on", "employee_id", "employee__name")
    )
    for cycle_id, closes_on, employee_id, name in unfinished:
        days = closing_window_days(closes_on, today)
        if days is not None:
            kind, key = Notification.Kind.CYCLE_CLOSING, f"cycle-closing-{days}"
        else:
            kind, key = Notification.Kind.CYCLE_OPENED, "cycle-opened"
        arguments = {"cycle": cycle_id, "employee": employee_id, "kind": kind}
        messages.append(
            (name, "cycle_reminder", {**arguments, "key": f"{key}:{cycle_id}:{employee_id}"})
        )
    for assessment in waiting_for_review(today=today):
        key = f"review-waiting:{assessment.pk}:{assessment.submitted_at.timestamp():.0f}"
        name = assessment.employee.manager.name
        messages.append((name, "review_waiting", {"assessment": assessment.pk, "key": key}))
    return messages


@mailer("cycle_reminder")
def cycle_reminder_mail(
    *, cycle: int, employee: int, kind: str, key: str, defer_transient: bool = False
) -> Notification | None:
    """A cycle's opening or closing reminder to `employee`, listing what they have not
    finished in it (nothing is sent if they finished meanwhile or left)."""
    assessments = list(
        Assessment.objects.filter(cycle=cycle, employee=employee, employee__user__is_active=True)
        .exclude(stage=Assessment.Stage.SUBMITTED)
        .select_related("cycle", "standard", "employee__user")
        .order_by("standard__code")
    )
    if not assessments:
        return None
    return _tell(
        assessments[0].employee,
        kind,
        key,
        cycle=assessments[0].cycle,
        assessments=assessments,
        defer_transient=defer_transient,
    )


@mailer("review_waiting")
def review_waiting_mail(
    *, assessment: int, key: str, defer_transient: bool = False
) -> Notification | None:
    """Tell the manager that `assessment` waits for their review (unless reviewed since)."""
    waiting = (
        Assessment.objects.filter(pk=assessment, review__isnull=True)
        .select_related("cycle", "standard", "employee__manager__user")
        .first()
    )
    if waiting is None or waiting.employee.manager is None:
        return None
    manager = waiting.employee.manager
    return notification_send(
        recipient=manager.user,
        kind=Notification.Kind.REVIEW_WAITING,
        event_key=key,
        language=manager.mail_language,
        context={
            "employee": manager,
            "assessment": waiting,
            "link": portal_link(
                "reports:person", language=manager.mail_language, args=(waiting.pk,)
            ),
        },
        defer_transient=defer_transient,
    )


KIND_OF_MAILER = {"review_waiting": Notification.Kind.REVIEW_WAITING}


def reminders_send(*, today: datetime.date | None = None) -> Counter:
    """Send every reminder due today (`reminders_due`), here and now; returns how many
    of each kind this run sent and how many failed (keys like "cycle_opened sent",
    "cycle_closing failed")."""
    today = today or timezone.localdate()
    started = timezone.now()
    counts: Counter = Counter()
    for _name, name, arguments in reminders_due(today=today):
        kind = arguments.get("kind") or KIND_OF_MAILER[name]
        result = outcome(mail_send(name, arguments), started)
        if result != "skipped":
            counts[f"{kind} {result}"] += 1
    return counts


def reminders_queue(*, today: datetime.date | None = None):  # noqa: ANN201 - a Job
    """With a broker: a job sends today's reminders in a worker (Celery beat starts it
    daily; `send_reminders` too), its counts on its page."""
    today = today or timezone.localdate()
    return mail_batch_start(batch="reminders", user=None, messages=reminders_due(today=today))


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
    *, assessment: Assessment, today: datetime.date | None = None, defer_transient: bool = False
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
        defer_transient=defer_transient,
    )
    return notification, notification.is_sent and not before


@mailer("reminder")
def reminder_mail(
    *, assessment: int, day: str, defer_transient: bool = False
) -> Notification | None:
    """A queued reminder (the remind button): nothing if the assessment was submitted since."""
    found = Assessment.objects.select_related("cycle").filter(pk=assessment).first()
    if found is None or found.is_submitted:
        return None
    notification, _sent = reminder_send(
        assessment=found, today=datetime.date.fromisoformat(day), defer_transient=defer_transient
    )
    return notification


def reminder_queue(*, assessment: Assessment) -> bool:
    """With a broker: hand the remind button's e-mail to a worker. False when the
    person was reminded today already (nothing queued). Raises ValidationError for a
    submitted assessment."""
    if assessment.is_submitted:
        raise ValidationError(ALREADY_SUBMITTED, code="submitted")
    today = timezone.localdate()
    key = f"reminder:{assessment.employee_id}:{today.isoformat()}"
    if Notification.objects.filter(event_key=key, sent_at__isnull=False).exists():
        return False
    mail_queue("reminder", {"assessment": assessment.pk, "day": today.isoformat()})
    return True
