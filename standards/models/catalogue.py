"""The public catalogue's version: one number, raised whenever what it shows may change."""

from __future__ import annotations

import time

from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _


class CatalogueVersion(models.Model):
    """A single row whose `number` names the published catalogue's current state.

    Rendered catalogue and standard pages are cached under this number
    (standards.caching), so raising it (`bump`) retires every cached page at once, in
    every server process, in the same transaction as the change that caused it.
    """

    number = models.PositiveBigIntegerField(_("number"), default=0)

    class Meta:
        verbose_name = _("catalogue version")
        verbose_name_plural = _("catalogue versions")

    def __str__(self) -> str:
        return str(self.number)

    @classmethod
    def current(cls) -> int:
        """The current number (0 before anything was ever published): one query."""
        return cls.objects.filter(pk=1).values_list("number", flat=True).first() or 0

    @classmethod
    def bump(cls) -> None:
        """Raise the number, so every page cached under the old one is read afresh.

        The new number is the current time in microseconds, or one more than the old
        number if that is larger: a database restored from a backup goes back to an older
        number, and a plain "+ 1" would then reuse the numbers of the changes made after
        the backup, whose pages may still be in the cache. A number taken from the clock
        is one no change before has had (docs/deployment.md, restoring a backup).
        """
        now = Value(time.time_ns() // 1000, output_field=models.PositiveBigIntegerField())
        if not cls.objects.filter(pk=1).update(number=Greatest(F("number") + 1, now)):
            cls.objects.get_or_create(pk=1, defaults={"number": now.value})
