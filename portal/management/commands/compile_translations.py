"""Compile the translations (.po files) without GNU gettext.

Django's own ``compilemessages`` shells out to ``msgfmt``, which a fresh machine with
only Python on it does not have; polib writes the same ``.mo`` format in pure Python.
Like ``msgfmt``, polib leaves fuzzy and obsolete entries out of the compiled file.
"""

from argparse import ArgumentParser
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def po_files() -> list[Path]:
    """Every ``.po`` file under the directories in ``settings.LOCALE_PATHS``."""
    found: set[Path] = set()
    for locale_path in settings.LOCALE_PATHS:
        found.update(Path(locale_path).rglob("*.po"))
    return sorted(found)


def is_up_to_date(po_path: Path, mo_path: Path) -> bool:
    return mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime


class Command(BaseCommand):
    help = "Compile every .po file under LOCALE_PATHS into a .mo file next to it, using polib."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Recompile even when a .mo file is newer than its .po file.",
        )

    def handle(self, *args: object, force: bool, verbosity: int, **options: object) -> None:
        for po_path in po_files():
            mo_path = po_path.with_suffix(".mo")
            if not force and is_up_to_date(po_path, mo_path):
                continue
            try:
                translations = polib.pofile(str(po_path))
            except (OSError, ValueError) as exc:
                raise CommandError(f"{po_path} cannot be read: {exc}") from exc
            translations.save_as_mofile(str(mo_path))
            if verbosity >= 1:
                self.stdout.write(f"Compiled {mo_path}")
