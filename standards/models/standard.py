"""A standard version and the shared classifications it is filed under."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..codes import split_code, validate_code
from ..levels import LEVEL_VALIDATORS, level_constraint

PUBLISHED_READ_ONLY = _(
    "%(code)s is published and cannot be changed; create its next version and edit the draft."
)


class PrintedClassification(NamedTuple):
    """An occupation or industry as one version printed it: its code and that name."""

    code: str
    name: str


class StandardQuerySet(models.QuerySet):
    def published(self) -> StandardQuerySet:
        return self.filter(publication=Standard.Publication.PUBLISHED)

    def drafts(self) -> StandardQuerySet:
        return self.filter(publication=Standard.Publication.DRAFT)


class ClassificationBase(models.Model):
    """A shared reference row (code + name) from Taiwan's official classifications."""

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[validate_code])
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class JobCategory(ClassificationBase):
    class Meta(ClassificationBase.Meta):
        verbose_name = _("job category")
        verbose_name_plural = _("job categories")


class Occupation(ClassificationBase):
    class Meta(ClassificationBase.Meta):
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")


class Industry(ClassificationBase):
    class Meta(ClassificationBase.Meta):
        verbose_name = _("industry")
        verbose_name_plural = _("industries")


class Standard(models.Model):
    """One version of a competency standard (職能基準), e.g. AVA4322-001v4."""

    class Status(models.TextChoices):
        LATEST = "latest", _("latest version")
        HISTORICAL = "historical", _("historical version")

    class Publication(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[validate_code])
    family_code = models.CharField(_("family code"), max_length=40, db_index=True)
    version_number = models.PositiveSmallIntegerField(_("version number"), default=1)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.LATEST
    )
    date = models.DateField(_("date"), null=True, blank=True)
    publication = models.CharField(
        _("publication"), max_length=12, choices=Publication.choices, default=Publication.DRAFT
    )
    category = models.ForeignKey(
        JobCategory, models.PROTECT, related_name="standards", verbose_name=_("job category")
    )
    # The job category's name as this version printed it (the category's own name is
    # the newest any version printed); blank when chosen by hand: the category's name.
    category_name = models.CharField(
        _("printed job category name"), max_length=200, blank=True, editable=False
    )
    occupation = models.ForeignKey(
        Occupation, models.PROTECT, related_name="standards", verbose_name=_("occupation")
    )
    industry = models.ForeignKey(
        Industry, models.PROTECT, related_name="standards", verbose_name=_("industry")
    )
    description = models.TextField(_("work description"), blank=True)
    base_level = models.PositiveSmallIntegerField(_("base level"), validators=LEVEL_VALIDATORS)
    supersedes = models.OneToOneField(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    content_digest = models.CharField(_("content digest"), max_length=64, blank=True)
    # Folded text of the whole document (standards.search.fold) for keyword search.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = StandardQuerySet.as_manager()

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        permissions = [
            ("import_standards", _("Can import standards and their contents")),
            ("export_standards", _("Can export standards and their contents")),
            ("publish_standard", _("Can publish a draft standard version")),
        ]
        ordering = ["code"]
        constraints = [
            level_constraint("base_level", "standard_base_level_1_6"),
            models.UniqueConstraint(
                fields=["family_code", "version_number"], name="standard_family_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs) -> None:
        self.set_family_from_code()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude: Any = None) -> None:
        # Before the fields are checked: family_code is required and comes from the code.
        self.set_family_from_code()
        super().clean_fields(exclude)

    def clean(self) -> None:
        super().clean()
        self.set_family_from_code()

    @property
    def is_published(self) -> bool:
        return self.publication == self.Publication.PUBLISHED

    @property
    def is_locked(self) -> bool:
        """A published version never changes (self-assessments point at it): the writer,
        import-export, versioning and the admin all ask this."""
        return self.is_published

    def check_unlocked(self) -> None:
        """Raise ValidationError when this version is published and so read-only."""
        if self.pk is not None and self.is_locked:
            raise ValidationError(PUBLISHED_READ_ONLY % {"code": self.code}, code="locked")

    def choose_category(self, category_id: int) -> None:
        """File this version under a job category chosen by hand (the admin's form, the
        header sheet's import): a category it did not print, so it is printed with that
        category's own name. Unchanged when it is the category it has."""
        if category_id != self.category_id:
            self.category_id = category_id
            self.category_name = ""

    @property
    def printed_category(self) -> PrintedClassification:
        """The job category with the name this version printed."""
        return PrintedClassification(self.category.code, self.category_name or self.category.name)

    @property
    def occupations(self) -> list[PrintedClassification]:
        """Every occupation this version is filed under, in document order, with the
        names it printed (prefetch `occupation_links` for a list of standards)."""
        return self._printed(self.occupation_links.all(), "occupation")

    @property
    def industries(self) -> list[PrintedClassification]:
        """Every industry this version is filed under, as `occupations`."""
        return self._printed(self.industry_links.all(), "industry")

    def _printed(self, links: Any, field: str) -> list[PrintedClassification]:
        # A version stored before the links existed has only its own classification.
        printed = [PrintedClassification(getattr(link, field).code, link.name) for link in links]
        if printed:
            return printed
        row = getattr(self, field)
        return [PrintedClassification(row.code, row.name)]

    def set_family_from_code(self) -> None:
        """The family code and version number are read from the code, never set apart."""
        self.family_code, self.version_number = split_code(self.code)


class ClassificationLinkBase(models.Model):
    """One of the classifications a version is filed under, with the name it printed.

    The classification's own name is the newest one any version printed for its code
    (what the catalogue shows); the version keeps its own (what its export gives back).
    """

    name = models.CharField(_("printed name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["standard", "order"]


class StandardOccupation(ClassificationLinkBase):
    standard = models.ForeignKey(
        Standard, models.CASCADE, related_name="occupation_links", verbose_name=_("standard")
    )
    occupation = models.ForeignKey(
        Occupation, models.PROTECT, related_name="standard_links", verbose_name=_("occupation")
    )

    class Meta(ClassificationLinkBase.Meta):
        verbose_name = _("occupation of a standard")
        verbose_name_plural = _("occupations of standards")
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "occupation"], name="standard_occupation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.occupation.code})"


class StandardIndustry(ClassificationLinkBase):
    standard = models.ForeignKey(
        Standard, models.CASCADE, related_name="industry_links", verbose_name=_("standard")
    )
    industry = models.ForeignKey(
        Industry, models.PROTECT, related_name="standard_links", verbose_name=_("industry")
    )

    class Meta(ClassificationLinkBase.Meta):
        verbose_name = _("industry of a standard")
        verbose_name_plural = _("industries of standards")
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "industry"], name="standard_industry_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.industry.code})"
