"""The organisation (departments, employees) and its self-assessments against standards."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from standards.levels import (
    LEVEL_VALIDATORS,
    OWN_LEVEL_VALIDATORS,
    level_constraint,
    own_level_constraint,
)


class Department(models.Model):
    """A unit of the organisation, possibly inside a larger one."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent department"),
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Employee(models.Model):
    """A person in the organisation, linked to the account they log in with."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="employee",
        verbose_name=_("user"),
    )
    employee_number = models.CharField(_("employee number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    department = models.ForeignKey(
        Department,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="employees",
        verbose_name=_("department"),
    )
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    manager = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("manager"),
    )
    # The language of the e-mails the portal sends them (empty: the portal's default).
    language = models.CharField(
        _("language of e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        blank=True,
    )

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["employee_number"]

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_number})"

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Employee:
        employee = super().from_db(db, field_names, values)
        # The title as loaded, so that saving can tell whether it changed without a query.
        employee._loaded_job_title = employee.__dict__.get("job_title")
        return employee

    @property
    def job_title_changed(self) -> bool:
        """Whether the job title differs from the one loaded (a new employee: any title)."""
        return self.job_title.strip() != (getattr(self, "_loaded_job_title", None) or "").strip()

    @property
    def mail_language(self) -> str:
        return self.language or settings.LANGUAGE_CODE


class Cycle(models.Model):
    """An assessment round HR opens: employees assess themselves between its two dates."""

    name = models.CharField(_("name"), max_length=100)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment cycle")
        verbose_name_plural = _("assessment cycles")
        ordering = ["-opens_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="cycle_closes_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_closed(self, today: datetime.date) -> bool:
        return self.closes_on < today

    def is_open_yet(self, today: datetime.date) -> bool:
        return self.opens_on <= today


class Assessment(models.Model):
    """One employee's self-assessment against one standard version in one cycle.

    Created when HR assigns the standard (pending); the employee saves drafts and
    finally submits it, which locks it. `version` counts saves, so a save based on
    stale data can be refused (optimistic locking).
    """

    class Stage(models.TextChoices):
        PENDING = "pending", _("not started")
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    cycle = models.ForeignKey(
        Cycle, models.PROTECT, related_name="assessments", verbose_name=_("cycle")
    )
    employee = models.ForeignKey(
        Employee, models.CASCADE, related_name="assessments", verbose_name=_("employee")
    )
    standard = models.ForeignKey(
        "standards.Standard",
        models.PROTECT,
        related_name="assessments",
        verbose_name=_("standard"),
    )
    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default=Stage.PENDING
    )
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # When the employee first opened it: until then "My assessments" marks it as new.
    opened_at = models.DateTimeField(_("first opened at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-cycle__opens_on", "standard__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "employee", "standard"], name="assessment_once_per_cycle"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee.name} · {self.standard.code} · {self.cycle.name}"

    @property
    def is_submitted(self) -> bool:
        return self.stage == self.Stage.SUBMITTED

    @property
    def is_new(self) -> bool:
        """Assigned, and not opened by the employee yet."""
        return self.opened_at is None

    @property
    def is_started(self) -> bool:
        """Saved at least once by the employee: from then on it cannot be withdrawn."""
        return self.stage != self.Stage.PENDING or self.version > 0


class JobTitleAssignment(models.Model):
    """HR's rule "everyone with this job title takes this standard in this cycle".

    Applied to the people holding the title when HR makes the rule, and to everyone who
    gets the title later, whatever path changes it (`assign_by_job_title`, called when
    an employee is saved), while the cycle has not closed.
    """

    cycle = models.ForeignKey(
        Cycle, models.CASCADE, related_name="job_title_assignments", verbose_name=_("cycle")
    )
    job_title = models.CharField(_("job title"), max_length=100)
    standard = models.ForeignKey(
        "standards.Standard",
        models.PROTECT,
        related_name="job_title_assignments",
        verbose_name=_("standard"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment by job title")
        verbose_name_plural = _("assignments by job title")
        ordering = ["job_title", "standard__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "job_title", "standard"], name="job_title_assignment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.job_title} → {self.standard.code} · {self.cycle.name}"


class AssessmentReturn(models.Model):
    """HR sending a submitted assessment back to the employee: who, when and why."""

    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="returns", verbose_name=_("assessment")
    )
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("returned by"),
    )
    returned_at = models.DateTimeField(_("returned at"), auto_now_add=True)
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("return to the employee")
        verbose_name_plural = _("returns to the employee")
        ordering = ["-returned_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.returned_at:%Y-%m-%d}"


class TaskRating(models.Model):
    """The employee's own level on one task, next to a copy of the task as it was assigned.

    The duty, the task and its required level are copied when the assessment is created,
    so editing the standard or publishing a new version never changes an assessment.
    """

    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="ratings", verbose_name=_("assessment")
    )
    # Kept for showing the task's indicators and outputs; the copy below is authoritative.
    task = models.ForeignKey(
        "standards.Task",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name=_("task"),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    duty_code = models.CharField(_("duty code"), max_length=20)
    duty_title = models.CharField(_("duty"), max_length=500)
    task_code = models.CharField(_("task code"), max_length=20)
    task_title = models.CharField(_("task"), max_length=500)
    required_level = models.PositiveSmallIntegerField(
        _("required level"), validators=LEVEL_VALIDATORS
    )
    self_level = models.PositiveSmallIntegerField(
        _("own level"),
        null=True,
        blank=True,
        validators=OWN_LEVEL_VALIDATORS,
    )
    # Behaviour indicator code -> "I do this" (True/False); codes absent are unanswered.
    indicator_checks = models.JSONField(_("behaviour indicators done"), default=dict, blank=True)
    comment = models.TextField(_("comment or evidence"), blank=True)

    class Meta:
        verbose_name = _("task rating")
        verbose_name_plural = _("task ratings")
        ordering = ["assessment", "order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "order"], name="taskrating_order_unique"),
            level_constraint("required_level", "taskrating_required_level_1_6"),
            own_level_constraint("self_level", "taskrating_self_level_0_6"),
        ]
        indexes = [
            # The tasks an assessment falls short on by its own levels, read without the
            # table on PostgreSQL (the training needs' task counts).
            models.Index(
                fields=["assessment"],
                include=["task", "required_level", "self_level"],
                condition=models.Q(self_level__lt=models.F("required_level")),
                name="taskrating_own_short",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_code} {self.task_title}"


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    """Where a file is stored: a random name in its assessment's folder. The name the
    employee gave it is kept in `EvidenceFile.name` and never reaches the file system."""
    return f"evidence/{instance.rating.assessment_id}/{uuid.uuid4().hex}"


class EvidenceFile(models.Model):
    """A file the employee attached to one task of their assessment as evidence, possibly
    for one of the task's work outputs (whose code and text are copied, like the task's).

    Stored with the configured default storage and only ever downloaded through
    `assessments.views_evidence.evidence_download` (as an attachment); the checks on
    what may be stored are in `assessments.evidence`.
    """

    rating = models.ForeignKey(
        TaskRating, models.CASCADE, related_name="evidence_files", verbose_name=_("task rating")
    )
    output_code = models.CharField(_("work output code"), max_length=20, blank=True)
    output_text = models.TextField(_("work output"), blank=True)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["rating__order", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


@receiver(post_delete, sender=EvidenceFile)
def delete_stored_evidence(sender: type, instance: EvidenceFile, **kwargs: Any) -> None:
    """Remove the stored file once the row's deletion is committed, whatever deleted it
    (the employee, or an assessment or employee deleted with everything in it)."""
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


class ManagerReview(models.Model):
    """A manager's (or HR's) own view of a submitted self-assessment.

    Kept apart from the employee's answers: the two are shown side by side, never
    averaged. The employee sees it once it is shared (`shared_at`).
    """

    assessment = models.OneToOneField(
        Assessment, models.CASCADE, related_name="review", verbose_name=_("assessment")
    )
    reviewer = models.ForeignKey(
        Employee,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviews_given",
        verbose_name=_("reviewer"),
    )
    comment = models.TextField(_("manager's comment"), blank=True)
    shared_at = models.DateTimeField(_("shared with the employee at"), null=True, blank=True)
    # When the employee last opened the shared review: before that (or after it is
    # shared again) "My assessments" marks it as new.
    seen_at = models.DateTimeField(_("seen by the employee at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("manager review")
        verbose_name_plural = _("manager reviews")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.reviewer.name if self.reviewer else '—'}"

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None

    @property
    def is_new(self) -> bool:
        """Shared, and not opened by the employee since."""
        return self.is_shared and (self.seen_at is None or self.seen_at < self.shared_at)


class ManagerRating(models.Model):
    """The manager's level for one task of a reviewed assessment."""

    review = models.ForeignKey(
        ManagerReview, models.CASCADE, related_name="ratings", verbose_name=_("manager review")
    )
    rating = models.OneToOneField(
        TaskRating, models.CASCADE, related_name="manager_rating", verbose_name=_("task rating")
    )
    level = models.PositiveSmallIntegerField(
        _("manager's level"),
        null=True,
        blank=True,
        validators=OWN_LEVEL_VALIDATORS,
    )
    comment = models.TextField(_("manager's comment"), blank=True)

    class Meta:
        verbose_name = _("manager rating")
        verbose_name_plural = _("manager ratings")
        ordering = ["rating__order"]
        constraints = [
            own_level_constraint("level", "managerrating_level_0_6"),
        ]

    def __str__(self) -> str:
        return f"{self.rating.task_code}: {self.level}"


class ItemShortfall(models.Model):
    """How far one submitted assessment falls short on the tasks that need one knowledge
    or skill item, under each level source (`assessments.scoring.LevelSource`: own,
    manager's, manager's where reviewed): `<source>_tasks` tasks short, by
    `<source>_shortfall` levels in all. The training needs rank these rows.

    Derived from the assessment's ratings, its manager's review and its tasks' item links;
    written only by `assessments.shortfalls.shortfalls_refresh`, which the services call
    wherever those can change: a submission, a return to the employee, a manager review
    (a published standard's links never change). A row exists only where some source
    falls short.
    """

    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="item_shortfalls", verbose_name=_("assessment")
    )
    knowledge = models.ForeignKey(
        "standards.KnowledgeItem",
        models.CASCADE,
        null=True,
        related_name="+",
        verbose_name=_("knowledge item"),
    )
    skill = models.ForeignKey(
        "standards.SkillItem",
        models.CASCADE,
        null=True,
        related_name="+",
        verbose_name=_("skill item"),
    )
    self_tasks = models.PositiveSmallIntegerField(default=0)
    self_shortfall = models.PositiveSmallIntegerField(default=0)
    manager_tasks = models.PositiveSmallIntegerField(default=0)
    manager_shortfall = models.PositiveSmallIntegerField(default=0)
    reviewed_tasks = models.PositiveSmallIntegerField(default=0)
    reviewed_shortfall = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("item shortfall")
        verbose_name_plural = _("item shortfalls")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(knowledge__isnull=False, skill__isnull=True)
                | models.Q(knowledge__isnull=True, skill__isnull=False),
                name="itemshortfall_one_item",
            ),
            models.UniqueConstraint(
                fields=["assessment", "knowledge"], name="itemshortfall_knowledge_once"
            ),
            models.UniqueConstraint(
                fields=["assessment", "skill"], name="itemshortfall_skill_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.knowledge_id or self.skill_id}"


class EmailChange(models.Model):
    """One change of a login's e-mail address, whatever made it (import, admin, a form).

    Recorded by `record_email_change` before every save of a user, so no path can
    change an address without a trace.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="email_changes",
        verbose_name=_("user"),
    )
    old_email = models.EmailField(_("old e-mail address"), blank=True)
    new_email = models.EmailField(_("new e-mail address"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("e-mail address change")
        verbose_name_plural = _("e-mail address changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user}: {self.old_email} → {self.new_email}"


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def record_email_change(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """Record the change of an existing login's e-mail address, with who made it.

    The acting user comes from the request django-simple-history's middleware keeps;
    outside a request (command line, import script) it is left empty.
    """
    if raw or instance.pk is None:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "email" not in update_fields:
        return
    old = sender._default_manager.filter(pk=instance.pk).values_list("email", flat=True).first()
    if old is None or old == instance.email:
        return
    request = getattr(HistoricalRecords.context, "request", None)
    by = getattr(request, "user", None)
    EmailChange.objects.create(
        user=instance,
        old_email=old,
        new_email=instance.email,
        changed_by=by if by is not None and by.is_authenticated else None,
    )
