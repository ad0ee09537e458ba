"""Development plans: what an employee and their manager agree to do about the gaps of
one submitted assessment."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Assessment, Employee, TaskRating

NOTHING_TARGETED = _("Name a task, a knowledge or skill item or a course, or describe the action.")
NOT_THIS_ASSESSMENT = _("That task is not part of this assessment.")
NOT_THIS_STANDARD = _("That knowledge or skill item is not part of this standard.")


class DevelopmentPlan(models.Model):
    """The plan of one submitted assessment; the manager approves it once agreed.

    Every change to the plan and its items is kept in their history, so the page can
    show what changed after the approval.
    """

    assessment = models.OneToOneField(
        Assessment, models.CASCADE, related_name="plan", verbose_name=_("assessment")
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        Employee,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.assessment)

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class PlanItem(models.Model):
    """One action against a task's gap and/or a knowledge or skill item behind it."""

    class Action(models.TextChoices):
        COURSE = "course", _("Course")
        ASSIGNMENT = "assignment", _("On-the-job assignment")
        MENTORING = "mentoring", _("Mentoring")
        READING = "reading", _("Reading")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    plan = models.ForeignKey(
        DevelopmentPlan, models.CASCADE, related_name="items", verbose_name=_("plan")
    )
    rating = models.ForeignKey(
        TaskRating,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name=_("task"),
    )
    knowledge_item = models.ForeignKey(
        "standards.KnowledgeItem",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name=_("knowledge item"),
    )
    skill_item = models.ForeignKey(
        "standards.SkillItem",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name=_("skill item"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    course = models.ForeignKey(
        "Course",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name=_("course"),
    )
    description = models.TextField(_("what will be done"), blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    owner = models.ForeignKey(
        Employee, models.PROTECT, related_name="plan_items_owned", verbose_name=_("owner")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    created_by = models.ForeignKey(
        Employee,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan", "due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.target_label()}"

    def target_label(self) -> str:
        parts = [
            f"{target.code} {target.name}"
            for target in (self.knowledge_item, self.skill_item)
            if target is not None
        ]
        if self.rating is not None:
            parts.insert(0, f"{self.rating.task_code} {self.rating.task_title}")
        return " · ".join(parts) or (str(self.course) if self.course else self.description[:40])

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)

    def clean(self) -> None:
        targets = (self.rating_id, self.knowledge_item_id, self.skill_item_id, self.course_id)
        if not (any(targets) or self.description):
            raise ValidationError(NOTHING_TARGETED, code="nothing_targeted")
        assessment = self.plan.assessment
        if self.rating_id and self.rating.assessment_id != assessment.pk:
            raise ValidationError({"rating": NOT_THIS_ASSESSMENT}, code="other_assessment")
        for field in ("knowledge_item", "skill_item"):
            item = getattr(self, field)
            if item is not None and item.standard_id != assessment.standard_id:
                raise ValidationError({field: NOT_THIS_STANDARD}, code="other_standard")


class PlanComment(models.Model):
    """A remark on a plan by the employee, a manager or HR."""

    plan = models.ForeignKey(
        DevelopmentPlan, models.CASCADE, related_name="comments", verbose_name=_("plan")
    )
    author = models.ForeignKey(
        Employee, models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan comment")
        verbose_name_plural = _("plan comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.plan} · {self.created_at:%Y-%m-%d}"


class Course(models.Model):
    """A course HR keeps in the catalogue, with what it serves: whole standards, and/or
    knowledge and skill items of one of them. Plans and training needs suggest the
    courses that serve an item (`plans.selectors.courses_for`)."""

    title = models.CharField(_("title"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, null=True, blank=True)
    url = models.URLField(_("link"), blank=True)
    icap_certified = models.BooleanField(_("iCAP certified"), default=False)
    standards = models.ManyToManyField(
        "standards.Standard", blank=True, related_name="courses", verbose_name=_("standards")
    )
    knowledge_items = models.ManyToManyField(
        "standards.KnowledgeItem",
        blank=True,
        related_name="courses",
        verbose_name=_("knowledge items"),
    )
    skill_items = models.ManyToManyField(
        "standards.SkillItem", blank=True, related_name="courses", verbose_name=_("skill items")
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["title", "provider"], name="course_title_provider")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.provider})" if self.provider else self.title
