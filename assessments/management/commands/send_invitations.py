"""Invite everyone who has never set a password and was not invited in the last week."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from assessments.accounts import invitations_due, invitations_queue, invitations_send
from jobs.services import runs_inline


class Command(BaseCommand):
    help = (
        "E-mail an invitation (a one-time link to choose a password) to every active person "
        "who has never set a password and was not invited in the last 7 days."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not runs_inline():
            job = invitations_queue(employees=invitations_due(), user=None)
            self.stdout.write(queued_message(job))
            return
        count = invitations_send(employees=invitations_due())
        self.stdout.write(f"{count.sent} invitations sent, {count.failed} failed")
        if count.failed:
            # Reported through the exit status too, so cron mails it; the next run retries.
            raise CommandError(
                f"{count.failed} invitations could not be sent; see the e-mails sent in the "
                "admin. The next run tries them again."
            )


def queued_message(job: Any) -> str:  # noqa: ANN401 - a Job
    """What a command prints when a worker sends its e-mails."""
    return (
        f"{len(job.arguments['messages'])} e-mails queued as job {job.pk}; "
        f"a worker sends them (follow it at {job.get_absolute_url()})"
    )
