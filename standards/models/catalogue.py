"""The public catalogue's version: one number, raised whenever what it shows may change."""

from __future__ import annotations

from django.db import models
from django.db.models import F
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
        """Raise the number, so every page cached under the old one is read afresh."""
        if not cls.objects.filter(pk=1).update(number=F("number") + 1):
            cls.objects.get_or_create(pk=1, defaults={"number": 1})
