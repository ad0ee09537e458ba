"""Reads of development plans."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from assessments.models import Assessment, Employee
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
