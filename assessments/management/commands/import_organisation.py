"""Import departments and employees from files (the nightly sync from an HR system)."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.accounts import invitations_due, invitations_queue, invitations_send
from assessments.management.commands.send_invitations import queued_message
from assessments.organisation import organisation_import, read_dataset
from jobs.services import runs_inline


class Command(BaseCommand):
    help = (
        "Import departments (code,name,parent) and employees (employee_number,name,username,"
        "email,department,job_title,manager) from CSV, XLSX or JSON files, all or nothing, "
        "with the same rules as the admin's import; print what was created, changed and "
        "left alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--departments", metavar="FILE", help="the departments file")
        parser.add_argument("--employees", metavar="FILE", help="the employees file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, but write nothing"
        )
        parser.add_argument(
            "--invite",
            action="store_true",
            help="then invite everyone who has never set a password (as send_invitations)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files = {kind: options[kind] for kind in ("departments", "employees") if options[kind]}
        if not files:
            raise CommandError("Give --departments FILE, --employees FILE or both.")
        try:
            datasets = {kind: (path, read_dataset(Path(path))) for kind, path in files.items()}
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        dry_run = options["dry_run"]
        outcomes = organisation_import(**datasets, dry_run=dry_run)
        verbs = ("would create", "would change") if dry_run else ("created", "changed")
        for outcome in outcomes:
            self.stdout.write(
                f"{outcome.name}: {len(outcome.created)} {verbs[0]}, {len(outcome.changed)} "
                f"{verbs[1]}, {len(outcome.unchanged)} left alone"
            )
            for label, ids in zip(verbs, (outcome.created, outcome.changed), strict=True):
                if ids:
                    self.stdout.write(f"  {label}: {', '.join(ids)}")
            for error in outcome.errors:
                self.stderr.write(f"  {error}")
        if any(outcome.errors for outcome in outcomes):
            raise CommandError("Nothing was imported: fix the rows above and run it again.")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        elif options["invite"] and not runs_inline():
            job = invitations_queue(employees=invitations_due(), user=None)
            self.stdout.write(queued_message(job))
        elif options["invite"]:
            count = invitations_send(employees=invitations_due())
            self.stdout.write(f"{count.sent} invitations sent, {count.failed} failed")
