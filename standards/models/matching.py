from django.db import models
from django.utils.translation import gettext_lazy as _

from ..matching import KEY_LENGTH


class ItemNameMatch(models.Model):
    """HR's word that knowledge (or skill) items with match key `key` are the same
    competence as those with key `same_as`; see `standards.matching`."""

    class Kind(models.TextChoices):
        KNOWLEDGE = "knowledge", _("knowledge")
        SKILL = "skill", _("skill")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    key = models.CharField(_("name as matched"), max_length=KEY_LENGTH)
    same_as = models.CharField(_("counts as"), max_length=KEY_LENGTH)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("merged knowledge or skill name")
        verbose_name_plural = _("merged knowledge and skill names")
        ordering = ["kind", "same_as", "key"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="itemnamematch_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.same_as}"
