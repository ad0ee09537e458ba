"""Import standard documents (official PDF, ODT or Word forms, plain-text renderings or
interchange JSON) into the library, and workbooks of whole documents (XLSX, as the
admin exports them), recognised by their content."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from jobs.services import job_message
from standards.background import documents_import_start
from standards.parsing.document import ParsedStandard, ParseError
from standards.parsing.documents import is_workbook
from standards.reader import read_document
from standards.services import ImportResult, standard_import
from standards.services.workbook import workbook_import
from standards.uploads import UploadedDocument

WORKBOOK_AT_ONCE = "a workbook is imported at once, all or nothing: give it without --background"
DRY_RUN_OUTCOMES = {"created": "would create", "updated": "would update", "unchanged": "unchanged"}


class Command(BaseCommand):
    help = (
        "Import standard documents (the official PDF, ODT or Word form, a .txt rendering or "
        "the interchange .json), each in its own transaction, and workbooks of whole "
        "documents (.xlsx, as the admin exports them), each all or nothing. A file that "
        "fails is reported and leaves the database as it was."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths",
            nargs="+",
            metavar="PATH",
            help="a .pdf, .odt, .docx, .txt or .json document, or an .xlsx workbook of documents",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="parse and report, but write nothing"
        )
        parser.add_argument(
            "--draft", action="store_true", help="import as drafts instead of publishing"
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="queue one background job importing every file and print its id "
            "(run at once when no broker is configured)",
        )

    def handle(
        self,
        *args: Any,
        paths: list[str],
        dry_run: bool,
        draft: bool,
        background: bool,
        **options: Any,
    ) -> None:
        if background:
            if dry_run:
                raise CommandError("--dry-run and --background cannot be used together")
            self.queue(paths, publish=not draft)
            return
        failed = 0
        for path in paths:
            try:
                data = read_bytes(path)
                if is_workbook(data):
                    self.import_workbook(path, data, publish=not draft, dry_run=dry_run)
                    continue
                document = read_document(name=path, data=data)
                result = run_import(document, publish=not draft, dry_run=dry_run)
            except ParseError as exc:
                self.error(path, exc.line, exc.message)
                failed += 1
            except ValidationError as exc:
                self.error(path, 0, "; ".join(exc.messages))
                failed += 1
            else:
                self.report(path, document, result, dry_run=dry_run)
        if failed:
            raise CommandError(f"{failed} of {len(paths)} files could not be imported")

    def import_workbook(self, path: str, data: bytes, *, publish: bool, dry_run: bool) -> None:
        """Every document of the workbook, all or nothing (the admin's workbook import)."""
        results = workbook_import(data=data, publish=publish, dry_run=dry_run)
        for result in results:
            outcome = DRY_RUN_OUTCOMES[result.outcome] if dry_run else result.outcome
            standard = result.standard
            self.stdout.write(f"{path}: {outcome} {standard.code} {standard.name}")
            for warning in result.warnings:
                self.stdout.write(
                    self.style.WARNING(f"{path}: {standard.code}: warning: {warning.message}")
                )

    def queue(self, paths: list[str], *, publish: bool) -> None:
        """One job importing every file; nothing is queued when a file cannot be read."""
        documents, unreadable = [], 0
        for path in paths:
            try:
                data = read_bytes(path)
                if is_workbook(data):
                    raise ParseError(WORKBOOK_AT_ONCE)
                documents.append(UploadedDocument(name=path, data=data))
            except ParseError as exc:
                self.error(path, 0, exc.message)
                unreadable += 1
        if unreadable:
            raise CommandError(f"{unreadable} of {len(paths)} files cannot be read; nothing queued")
        job = documents_import_start(documents=documents, publish=publish, user=None)
        self.stdout.write(str(job.pk))
        # The id alone on stdout (JOB=$(… --background …)); where to follow it on stderr.
        self.stderr.write(
            f"{job_message(job)} ({len(documents)} documents): {job.get_absolute_url()}"
        )

    def report(
        self, path: str, document: ParsedStandard, result: ImportResult, *, dry_run: bool
    ) -> None:
        outcome = DRY_RUN_OUTCOMES[result.outcome] if dry_run else result.outcome
        tasks = sum(len(duty.tasks) for duty in document.duties)
        self.stdout.write(
            f"{path}: {outcome} {document.code} {document.name} "
            f"({len(document.duties)} duties, {tasks} tasks)"
        )
        for warning in result.warnings:
            self.stdout.write(
                self.style.WARNING(f"{path}:{warning.line}: warning: {warning.message}")
            )

    def error(self, path: str, line: int, message: str) -> None:
        where = f"{path}:{line}" if line else path
        self.stderr.write(f"{where}: error: {message}")


def read_bytes(path: str) -> bytes:
    """The bytes of the file at `path`; ParseError when it cannot be read."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise ParseError("no such file") from None
    except IsADirectoryError:
        raise ParseError("this is a directory, not a file") from None
    except OSError as exc:
        raise ParseError(f"cannot read the file: {exc.strerror}") from exc


def run_import(document: ParsedStandard, *, publish: bool, dry_run: bool) -> ImportResult:
    """Import `document`; with `dry_run`, inside a transaction that is then rolled back."""
    if not dry_run:
        return standard_import(document=document, publish=publish)
    with transaction.atomic():
        result = standard_import(document=document, publish=publish)
        transaction.set_rollback(True)
    return result
