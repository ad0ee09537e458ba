"""The rows of a standard's document: duties, tasks and what each task lists, the
knowledge and skill items, attitudes, notes, the version table and the importer's
warnings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..codes import task_code_error, validate_code
from ..levels import LEVEL_VALIDATORS, level_constraint
from ..matching import KEY_LENGTH, match_key
from ..parsing.document import ParseWarning
from .standard import Standard


def standard_of(row: models.Model | None) -> Standard | None:
    """The standard version a row of the library belongs to; a standard is its own.

    None for a new row not yet given its parent.
    """
    if row is None or isinstance(row, Standard):
        return row
    try:
        return row.standard
    except ObjectDoesNotExist:
        return None


class ContentQuerySet(models.QuerySet):
    """Rows of a standard's document: each model names the path to its standard."""

    def of_standard(self, standard: Standard | int) -> ContentQuerySet:
        return self.filter(**{self.model.STANDARD_PATH: standard})

    def unlocked(self) -> ContentQuerySet:
        """Rows of drafts only: the rows a writer may change."""
        path = f"{self.model.STANDARD_PATH}__publication"
        return self.filter(**{path: Standard.Publication.DRAFT})


class VersionRecord(models.Model):
    """A row of the document's own version table, kept even when that version is absent."""

    standard = models.ForeignKey(
        Standard, models.CASCADE, related_name="version_records", verbose_name=_("standard")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    version = models.CharField(_("version"), max_length=20)
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("status"), max_length=40, blank=True)
    note = models.TextField(_("update note"), blank=True)
    date = models.DateField(_("date"), null=True, blank=True)

    STANDARD_PATH = "standard"
    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("version record")
        verbose_name_plural = _("version records")
        ordering = ["standard", "order"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "order"], name="versionrecord_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.code}"


class Duty(models.Model):
    """主要職責: a duty (T1) grouping tasks."""

    standard = models.ForeignKey(
        Standard, models.CASCADE, related_name="duties", verbose_name=_("standard")
    )
    code = models.CharField(_("code"), max_length=20, validators=[validate_code])
    title = models.CharField(_("title"), max_length=500)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    STANDARD_PATH = "standard"
    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["standard", "order"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="duty_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class CompetencyItemBase(models.Model):
    """A knowledge or skill entry; codes are local to one standard."""

    code = models.CharField(_("code"), max_length=20, validators=[validate_code])
    name = models.TextField(_("name"))
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # The name as items are matched across standards (`standards.matching.match_key`).
    match_key = models.CharField(
        _("name as matched"), max_length=KEY_LENGTH, blank=True, db_index=True, editable=False
    )

    STANDARD_PATH = "standard"
    objects = ContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.match_key = match_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "match_key"}
        super().save(*args, **kwargs)


class KnowledgeItem(CompetencyItemBase):
    standard = models.ForeignKey(
        Standard, models.CASCADE, related_name="knowledge_items", verbose_name=_("standard")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("knowledge item")
        verbose_name_plural = _("knowledge items")
        ordering = ["standard", "order"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="knowledgeitem_code_unique")
        ]


class SkillItem(CompetencyItemBase):
    standard = models.ForeignKey(
        Standard, models.CASCADE, related_name="skill_items", verbose_name=_("standard")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("skill item")
        verbose_name_plural = _("skill items")
        ordering = ["standard", "order"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="skillitem_code_unique")
        ]


class Task(models.Model):
    """工作任務: a task (T1.1) with its required competency level."""

    duty = models.ForeignKey(Duty, models.CASCADE, related_name="tasks", verbose_name=_("duty"))
    code = models.CharField(_("code"), max_length=20, validators=[validate_code])
    title = models.CharField(_("title"), max_length=500)
    level = models.PositiveSmallIntegerField(_("competency level"), validators=LEVEL_VALIDATORS)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Folded title, indicators and K/S names: a keyword hit can name the task it matched.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    knowledge = models.ManyToManyField(
        KnowledgeItem,
        through="TaskKnowledge",
        related_name="tasks",
        verbose_name=_("knowledge"),
    )
    skills = models.ManyToManyField(
        SkillItem, through="TaskSkill", related_name="tasks", verbose_name=_("skills")
    )
    history = HistoricalRecords(excluded_fields=["search_text"])

    STANDARD_PATH = "duty__standard"
    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["duty__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["duty", "code"], name="task_code_unique"),
            level_constraint("level", "task_level_1_6"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def standard(self) -> Standard | None:
        return self.duty.standard if self.duty_id else None

    def clean(self) -> None:
        super().clean()
        if self.duty_id and self.code:
            message = task_code_error(self.code, self.duty.code)
            if message:
                raise ValidationError({"code": message})


class TaskKnowledge(models.Model):
    """A knowledge item listed under a task, in the order the document lists it."""

    task = models.ForeignKey(
        Task, models.CASCADE, related_name="knowledge_links", verbose_name=_("task")
    )
    item = models.ForeignKey(
        KnowledgeItem, models.CASCADE, related_name="task_links", verbose_name=_("knowledge item")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    STANDARD_PATH = "task__duty__standard"
    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("task knowledge")
        verbose_name_plural = _("task knowledge")
        ordering = ["task", "order"]
        constraints = [
            models.UniqueConstraint(fields=["task", "item"], name="taskknowledge_unique")
        ]

    def __str__(self) -> str:
        return f"{self.task.code} {self.item.code}"

    @property
    def standard(self) -> Standard | None:
        return self.task.standard if self.task_id else None


class TaskSkill(models.Model):
    """A skill item listed under a task, in the order the document lists it."""

    task = models.ForeignKey(
        Task, models.CASCADE, related_name="skill_links", verbose_name=_("task")
    )
    item = models.ForeignKey(
        SkillItem, models.CASCADE, related_name="task_links", verbose_name=_("skill item")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    STANDARD_PATH = "task__duty__standard"
    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("task skill")
        verbose_name_plural = _("task skills")
        ordering = ["task", "order"]
        constraints = [models.UniqueConstraint(fields=["task", "item"], name="taskskill_unique")]

    def __str__(self) -> str:
        return f"{self.task.code} {self.item.code}"

    @property
    def standard(self) -> Standard | None:
        return self.task.standard if self.task_id else None


class TaskTextBase(models.Model):
    code = models.CharField(_("code"), max_length=20, validators=[validate_code])
    text = models.TextField(_("text"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    STANDARD_PATH = "task__duty__standard"
    objects = ContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def standard(self) -> Standard | None:
        return self.task.standard if self.task_id else None


class WorkOutput(TaskTextBase):
    """工作產出 (O1.1.1)."""

    task = models.ForeignKey(Task, models.CASCADE, related_name="outputs", verbose_name=_("task"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("work output")
        verbose_name_plural = _("work outputs")
        ordering = ["task", "order"]
        constraints = [
            models.UniqueConstraint(fields=["task", "code"], name="workoutput_code_unique")
        ]


class BehaviourIndicator(TaskTextBase):
    """行為指標 (P1.1.1)."""

    task = models.ForeignKey(
        Task, models.CASCADE, related_name="indicators", verbose_name=_("task")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("behaviour indicator")
        verbose_name_plural = _("behaviour indicators")
        ordering = ["task", "order"]
        constraints = [
            models.UniqueConstraint(fields=["task", "code"], name="behaviourindicator_code_unique")
        ]


class Attitude(models.Model):
    """職能內涵 A: listed once per document. Codes may repeat in the source, so order is the key."""

    standard = models.ForeignKey(
        Standard, models.CASCADE, related_name="attitudes", verbose_name=_("standard")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    # None means the document prints the attitude without a description, which the
    # interchange form keeps apart from an empty one.
    description = models.TextField(_("description"), blank=True, null=True)  # noqa: DJ001
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    STANDARD_PATH = "standard"
    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attitude")
        verbose_name_plural = _("attitudes")
        ordering = ["standard", "order"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "order"], name="attitude_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Note(models.Model):
    """說明與補充事項: one supplementary note."""

    standard = models.ForeignKey(
        Standard, models.CASCADE, related_name="notes", verbose_name=_("standard")
    )
    text = models.TextField(_("text"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    STANDARD_PATH = "standard"
    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["standard", "order"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "order"], name="note_order_unique")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class DocumentWarning(models.Model):
    """Something the parser repaired or flagged while reading the document, with its line."""

    standard = models.ForeignKey(
        Standard, models.CASCADE, related_name="document_warnings", verbose_name=_("standard")
    )
    line = models.PositiveIntegerField(_("line"))
    message = models.TextField(_("message"))
    # The parser's message template and its parameters, to say it in the reader's
    # language (ParseWarning.translated); empty for warnings stored before they existed.
    template = models.TextField(_("message template"), blank=True, editable=False)
    params = models.JSONField(_("message parameters"), default=dict, blank=True, editable=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    STANDARD_PATH = "standard"
    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document warning")
        verbose_name_plural = _("document warnings")
        ordering = ["standard", "order"]

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"

    def translated(self, translate: Callable[[str], str]) -> str:
        """The message in the language of `translate` (gettext)."""
        return ParseWarning(
            self.line, self.message, template=self.template, params=self.params
        ).translated(translate)

    @property
    def text(self) -> str:
        """The message in the active language."""
        return self.translated(gettext)

    text.fget.short_description = _("message")
