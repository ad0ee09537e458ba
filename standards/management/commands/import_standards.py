"""Import standard documents (official PDF, ODT or Word forms, plain-text renderings or
interchange JSON) into the library."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from standards.parsing.document import ParsedStandard, ParseError
from standards.reader import read_document
from standards.services import ImportResult, standard_import

DRY_RUN_OUTCOMES = {"created": "would create", "updated": "would update", "unchanged": "unchanged"}


class Command(BaseCommand):
    help = (
        "Import standard documents (the official PDF, ODT or Word form, a .txt rendering or "
        "the interchange .json), each in its own transaction. A file that fails is reported "
        "and leaves the database as it was."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="a .pdf, .odt, .docx, .txt or .json document"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="parse and report, but write nothing"
        )
        parser.add_argument(
            "--draft", action="store_true", help="import as drafts instead of publishing"
        )

    def handle(
        self, *args: Any, paths: list[str], dry_run: bool, draft: bool, **options: Any
    ) -> None:
        failed = 0
        for path in paths:
            try:
                document = read_path(path)
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


def read_path(path: str) -> ParsedStandard:
    """The parsed document at `path`; ParseError when it cannot be read or parsed."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ParseError("no such file") from None
    except IsADirectoryError:
        raise ParseError("this is a directory, not a file") from None
    except OSError as exc:
        raise ParseError(f"cannot read the file: {exc.strerror}") from exc
    return read_document(name=path, data=data)


def run_import(document: ParsedStandard, *, publish: bool, dry_run: bool) -> ImportResult:
    """Import `document`; with `dry_run`, inside a transaction that is then rolled back."""
    if not dry_run:
        return standard_import(document=document, publish=publish)
    with transaction.atomic():
        result = standard_import(document=document, publish=publish)
        transaction.set_rollback(True)
    return result
