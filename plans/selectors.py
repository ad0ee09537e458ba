"""Reads of development plans."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from assessments.models import Assessment, Employee, TaskRating
from assessments.scoring import shortfall
from standards.models import KnowledgeItem

from .models import Course, DevelopmentPlan, PlanComment, PlanItem


@dataclass
class PlanView:
    """A plan as its page shows it; `plan` is None before the first item or comment."""

    plan: DevelopmentPlan | None
    items: list[PlanItem] = field(default_factory=list)
    comments: list[PlanComment] = field(default_factory=list)
    changes_since_approval: list[Any] = field(default_factory=list)


def plan_view(assessment: Assessment) -> PlanView:
    """The plan of `assessment` with its items, comments and the item changes recorded
    after its approval: four queries (one when there is no plan yet)."""
    plan = (
        DevelopmentPlan.objects.select_related("approved_by").filter(assessment=assessment).first()
    )
    if plan is None:
        return PlanView(plan=None)
    items = list(
        plan.items.select_related(
            "rating", "knowledge_item", "skill_item", "course", "owner"
        ).order_by("due_on", "pk")
    )
    comments = list(plan.comments.select_related("author"))
    changes = []
    if plan.approved_at is not None:
        changes = list(
            PlanItem.history.filter(plan_id=plan.pk, history_date__gt=plan.approved_at)
            .select_related("history_user")
            .order_by("-history_date")
        )
    return PlanView(plan=plan, items=items, comments=comments, changes_since_approval=changes)


def plan_owners(assessment: Assessment, acting: Employee | None) -> list[Employee]:
    """Who may own an item: the employee, their manager, and whoever is adding it."""
    employee = assessment.employee
    owners = [employee]
    if employee.manager_id is not None:
        owners.append(Employee.objects.get(pk=employee.manager_id))
    if acting is not None and acting.pk not in {owner.pk for owner in owners}:
        owners.append(acting)
    return owners


def courses_for(item: Any) -> QuerySet[Course]:
    """The courses that serve a knowledge or skill item: those listing the item itself
    first, then those listing its whole standard. One query."""
    field = "knowledge_items" if isinstance(item, KnowledgeItem) else "skill_items"
    links = getattr(Course, field).through.objects.filter(course=OuterRef("pk"))
    direct = links.filter(**{type(item)._meta.model_name: item.pk})
    return (
        Course.objects.filter(Q(Exists(direct)) | Q(standards=item.standard_id))
        .annotate(direct=Exists(direct))
        .order_by("-direct", "title", "pk")
        .distinct()
    )


def courses_for_assessment(assessment: Assessment) -> QuerySet[Course]:
    """The courses that serve the assessment's standard version or any of its knowledge
    and skill items: the choices of a plan item's course. One query."""
    standard = assessment.standard_id
    return (
        Course.objects.filter(
            Q(standards=standard)
            | Q(knowledge_items__standard=standard)
            | Q(skill_items__standard=standard)
        )
        .distinct()
        .order_by("title", "pk")
    )


@dataclass(frozen=True)
class PlannedTaskOutcome:
    """A task an earlier plan targeted, and whether its shortfall closed since."""

    task_code: str
    task_title: str
    planned_in: str
    shortfall_then: int | None
    shortfall_now: int | None

    @property
    def closed(self) -> bool | None:
        """True once the task meets its level; None when it is not rated now."""
        return None if self.shortfall_now is None else self.shortfall_now == 0


def planned_outcomes(assessment: Assessment) -> list[PlannedTaskOutcome]:
    """The tasks the employee's plans of earlier cycles targeted for the same standard
    family, with the shortfall then and in `assessment`: two queries. Dropped items and
    tasks of another standard family are left out; tasks are matched by code."""
    items = (
        PlanItem.objects.filter(
            plan__assessment__employee=assessment.employee_id,
            plan__assessment__standard__family_code=assessment.standard.family_code,
            plan__assessment__cycle__opens_on__lt=assessment.cycle.opens_on,
            rating__isnull=False,
        )
        .exclude(status=PlanItem.Status.DROPPED)
        .select_related("rating", "plan__assessment__cycle")
        .order_by("rating__order", "-plan__assessment__cycle__opens_on")
    )
    latest: dict[str, PlanItem] = {}
    for item in items:
        latest.setdefault(item.rating.task_code, item)
    if not latest:
        return []
    now = {
        rating.task_code: rating for rating in assessment.ratings.filter(task_code__in=list(latest))
    }

    def short(rating: TaskRating | None) -> int | None:
        if rating is None or rating.self_level is None:
            return None
        return shortfall(rating.required_level, rating.self_level)

    return [
        PlannedTaskOutcome(
            task_code=code,
            task_title=item.rating.task_title,
            planned_in=item.plan.assessment.cycle.name,
            shortfall_then=short(item.rating),
            shortfall_now=short(now.get(code)) if assessment.is_submitted else None,
        )
        for code, item in latest.items()
    ]


def with_plan_progress(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Annotate each assessment with its plan's item count (`plan_items`) and how many
    of them are done (`plan_done`), as subqueries: no query of their own."""

    def items(condition: Q) -> Coalesce:
        counted = (
            PlanItem.objects.filter(condition, plan__assessment=OuterRef("pk"))
            .exclude(status=PlanItem.Status.DROPPED)
            .order_by()
            .values("plan__assessment")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    return assessments.annotate(
        plan_items=items(Q()), plan_done=items(Q(status=PlanItem.Status.DONE))
    )


def plan_completion(assessments: QuerySet[Assessment]) -> dict[str, int]:
    """The team's plan items (dropped ones aside) and how many are done: one query."""
    return (
        PlanItem.objects.filter(plan__assessment__in=assessments.values("pk"))
        .exclude(status=PlanItem.Status.DROPPED)
        .aggregate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=PlanItem.Status.DONE)),
            people=Count("plan__assessment__employee", distinct=True),
        )
    )
