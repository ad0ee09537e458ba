"""The daily reminders (run by cron once a day; running it again the same day sends
nothing new)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from assessments.management.commands.send_invitations import queued_message
from assessments.reminders import reminders_queue, reminders_send
from jobs.services import runs_inline


class Command(BaseCommand):
    help = (
        "E-mail today's reminders: a cycle opening, 7 days and 1 day before it closes to "
        "those not finished, and managers whose team members submitted and wait for a "
        "review. Idempotent within a day; a failed send is tried again by the next run."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not runs_inline():
            self.stdout.write(queued_message(reminders_queue()))
            return
        counts = reminders_send()
        if not counts:
            self.stdout.write("No reminders due today.")
        for label, number in sorted(counts.items()):
            self.stdout.write(f"{label}: {number}")
        failed = sum(number for label, number in counts.items() if label.endswith("failed"))
        if failed:
            raise CommandError(
                f"{failed} e-mails could not be sent; see the e-mails sent in the admin. "
                "The next run tries them again."
            )
