"""E-mails through the task queue: each message is named by a *mailer* (a function an
app registers, rebuilding the message from ids) and its JSON arguments, so a Celery task
can send it in a worker, retry it when the mail server fails, and never send it twice
(the Notification's unique event key, locked while it is sent).

Without a broker (no REDIS_URL) everything here runs inline, in the request or command,
as a plain call: one attempt, the failure recorded and counted.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from jobs.kinds import job_kind
from jobs.models import Job
from jobs.services import job_progress, job_result_change, job_start, runs_inline

from .models import Notification
from .services import MailDeferred

# A mailer sends (once) the message its keyword arguments name and returns its record,
# or None when nothing is to be sent any more (the person has a password by now, the
# assessment was submitted meanwhile). It passes `defer_transient` to notification_send.
Mailer = Callable[..., Notification | None]
_MAILERS: dict[str, Mailer] = {}

# One message of a batch: (who it is for, as the job's page shows it; mailer; arguments).
Message = tuple[str, str, dict[str, Any]]


def mailer(name: str) -> Callable[[Mailer], Mailer]:
    """Register the function that sends the messages named `name`."""

    def register(function: Mailer) -> Mailer:
        _MAILERS[name] = function
        return function

    return register


def mail_send(name: str, arguments: dict[str, Any], *, defer_transient: bool = False):  # noqa: ANN201
    """Send one message now (see Mailer); the one call inline runs and the task makes."""
    return _MAILERS[name](**arguments, defer_transient=defer_transient)


def mail_queue(name: str, arguments: dict[str, Any]) -> None:
    """Hand one message to a worker once the current transaction commits (it retries
    on SMTP failures); without a broker, send it now."""
    from .tasks import deliver

    if runs_inline():
        mail_send(name, arguments)
    else:
        transaction.on_commit(lambda: deliver.delay(name, arguments))


def outcome(notification: Notification | None, since: datetime.datetime) -> str:
    """ "sent" (by this run), "failed", or "skipped" (sent earlier, or nothing due)."""
    if notification is None:
        return "skipped"
    if not notification.is_sent:
        return "failed"
    return "sent" if notification.sent_at >= since else "skipped"


def mail_batch_start(
    *, batch: str, user: AbstractBaseUser | None, messages: Iterable[Message]
) -> Job:
    """A job that sends `messages` in a worker (HR follows it on its page). A message
    the mail server fails is handed to the retrying task and counted as "retrying"."""
    return job_start(
        kind=Job.Kind.MAIL,
        user=user,
        arguments={"batch": batch, "messages": [list(message) for message in messages]},
    )


@job_kind(Job.Kind.MAIL)
def mail_batch(job: Job) -> None:
    """Send the job's messages in order, counting in the job's result what came of
    each as it goes. A message the mail server fails is handed to the retrying task
    and counted as "retrying" until that task settles it (`mail_batch_settle`), so the
    counts stay true after the job has finished. A job run again after its worker was
    lost sends nothing twice (the event keys), counts a message an earlier attempt
    sent as sent, and ignores what the earlier attempt's retries settle."""
    from .tasks import deliver

    messages = job.arguments["messages"]
    job_progress(job, total=len(messages), done=0)
    job_result_change(job.pk, _counts_reset)
    for position, (label, name, arguments) in enumerate(messages):
        try:
            notification = mail_send(name, arguments, defer_transient=True)
        except MailDeferred as exc:
            Notification.objects.filter(pk=exc.notification.pk).update(
                next_attempt_at=timezone.now() + datetime.timedelta(seconds=retry_delay(0))
            )
            error = exc.notification.last_error
            job_result_change(job.pk, _counted("retrying", label, position, error), step_done=True)
            deliver.apply_async(
                (name, arguments), {"batch": [job.pk, position]}, countdown=retry_delay(0)
            )
        else:
            result = outcome(notification, job.created_at)
            error = notification.last_error if result == "failed" else ""
            job_result_change(job.pk, _counted(result, label, position, error), step_done=True)


def mail_batch_settle(job_id: int, position: int, result: str, error: str = "") -> None:
    """The retrying task's last word on a batch's message at `position`: "sent",
    "failed" (with the mail server's `error`) or "skipped". Counted once; nothing if
    the message is not waiting (settled already, or the batch was run again)."""

    def settle(counts: dict[str, Any]) -> None:
        label = counts.get("pending", {}).pop(str(position), None)
        if label is None:
            return
        counts["retrying"] -= 1
        counts[result] += 1
        failures = [f for f in counts["failures"] if f.get("position") != position]
        if result == "failed":
            failures.append({"position": position, "to": label, "error": error})
        counts["failures"] = failures

    job_result_change(job_id, settle)


FAILURES_KEPT = 200  # the job's page lists at most this many failed recipients


def _counts_reset(counts: dict[str, Any]) -> None:
    counts.clear()
    counts.update(sent=0, failed=0, skipped=0, retrying=0, failures=[], pending={})


def _counted(result: str, label: str, position: int, error: str) -> Callable[[dict], None]:
    def count(counts: dict[str, Any]) -> None:
        counts[result] += 1
        if result == "retrying":
            counts["pending"][str(position)] = label
        if error and len(counts["failures"]) < FAILURES_KEPT:
            counts["failures"].append({"position": position, "to": label, "error": error})

    return count


def retry_delay(retries: int) -> float:
    """Seconds before the attempt after `retries` failed ones: exponential backoff
    (MAIL_RETRY_SECONDS × 2^retries, at most MAIL_RETRY_MAX_SECONDS)."""
    return min(settings.MAIL_RETRY_MAX_SECONDS, settings.MAIL_RETRY_SECONDS * 2**retries)
