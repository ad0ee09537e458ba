"""Print one stored standard in the JSON interchange form."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from standards.models import Standard
from standards.services import standard_export


class Command(BaseCommand):
    help = "Print the standard with the given code (e.g. AVA4322-001v4) as interchange JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", metavar="CODE")

    def handle(self, *args: Any, code: str, **options: Any) -> None:
        try:
            standard = Standard.objects.get(code=code)
        except Standard.DoesNotExist:
            raise CommandError(f"no standard has the code {code!r}") from None
        self.stdout.write(
            json.dumps(standard_export(standard=standard), ensure_ascii=False, indent=2)
        )
