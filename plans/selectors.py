"""Reads of development plans."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assessments.models import Assessment, Employee

from .models import DevelopmentPlan, PlanComment, PlanItem


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
        plan.items.select_related("rating", "knowledge_item", "skill_item", "owner").order_by(
            "due_on", "pk"
        )
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
