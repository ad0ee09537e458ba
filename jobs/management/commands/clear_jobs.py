"""Delete old finished jobs and their files (Celery beat does it nightly; or cron)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jobs.services import jobs_clear


class Command(BaseCommand):
    help = (
        "Delete the background jobs that finished more than --days days ago (default "
        "JOB_KEEP_DAYS), with the files they made; running and waiting jobs stay."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="age in days (at least 1)")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else settings.JOB_KEEP_DAYS
        if days < 1:
            raise CommandError("--days must be at least 1")
        self.stdout.write(f"{jobs_clear(days=days)} jobs deleted (finished over {days} days ago)")
