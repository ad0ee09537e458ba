"""Writes of development plans: items, their progress, comments and the approval.

Everyone who may see an assessment (the employee, their managers, HR; see
`assessments.selectors.assessments_visible_to`) may work on its plan; only a manager of
the employee or HR approves it. The views find the assessment through that selector, so
these services are handed only assessments the acting person may see.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Employee, TaskRating
from assessments.selectors import MAX_DEPTH, User, is_hr
from standards.models import KnowledgeItem, SkillItem

from .models import Course, DevelopmentPlan, PlanComment, PlanItem

NOT_SUBMITTED = _("A development plan starts from a submitted assessment.")
NOT_AN_APPROVER = _("Only a manager of the employee or HR approves a development plan.")
EMPTY_PLAN = _("Add at least one item before approving the plan.")
EMPTY_COMMENT = _("Write something before sending a comment.")


def manages(manager: Employee, person: Employee) -> bool:
    """Whether `person` reports to `manager`, directly or indirectly: one query per level
    above `person` (at most MAX_DEPTH)."""
    current = person.manager_id
    for _depth in range(MAX_DEPTH):
        if current is None:
            return False
        if current == manager.pk:
            return True
        current = Employee.objects.filter(pk=current).values_list("manager", flat=True).first()
    return False


def may_approve(user: User, by: Employee | None, assessment: Assessment) -> bool:
    """HR, or a manager above the employee; never the employee themselves."""
    if by is not None and by.pk == assessment.employee_id:
        return False
    return is_hr(user) or (by is not None and manages(by, assessment.employee))


def _plan_for(assessment: Assessment) -> DevelopmentPlan:
    if not assessment.is_submitted:
        raise ValidationError(NOT_SUBMITTED, code="not_submitted")
    plan, _created = DevelopmentPlan.objects.get_or_create(assessment=assessment)
    return plan


def plan_item_add(
    *,
    assessment: Assessment,
    by: Employee | None,
    action: str,
    owner: Employee,
    rating: TaskRating | None = None,
    knowledge_item: KnowledgeItem | None = None,
    skill_item: SkillItem | None = None,
    course: Course | None = None,
    description: str = "",
    due_on: datetime.date | None = None,
) -> PlanItem:
    """Add an item to the plan of `assessment` (creating the plan on the first one)."""
    with transaction.atomic():
        item = PlanItem(
            plan=_plan_for(assessment),
            rating=rating,
            knowledge_item=knowledge_item,
            skill_item=skill_item,
            action=action,
            course=course,
            description=description,
            due_on=due_on,
            owner=owner,
            created_by=by,
        )
        item.full_clean()
        item.save()
    return item


def plan_item_update(*, item: PlanItem, status: str, due_on: datetime.date | None) -> PlanItem:
    """Record an item's progress (its status) and its due date."""
    with transaction.atomic():
        item.status = status
        item.due_on = due_on
        item.full_clean()
        item.save(update_fields=["status", "due_on", "updated_at"])
    return item


def plan_comment_add(*, assessment: Assessment, by: Employee | None, text: str) -> PlanComment:
    text = text.strip()
    if not text:
        raise ValidationError(EMPTY_COMMENT, code="empty")
    with transaction.atomic():
        return PlanComment.objects.create(plan=_plan_for(assessment), author=by, text=text)


def plan_approve(*, assessment: Assessment, user: User, by: Employee | None) -> DevelopmentPlan:
    """The manager's (or HR's) approval of the plan as it stands now."""
    if not may_approve(user, by, assessment):
        raise ValidationError(NOT_AN_APPROVER, code="not_an_approver")
    with transaction.atomic():
        plan = DevelopmentPlan.objects.select_for_update().get(pk=_plan_for(assessment).pk)
        if not plan.items.exists():
            raise ValidationError(EMPTY_PLAN, code="empty")
        plan.approved_at = timezone.now()
        plan.approved_by = by
        plan.save(update_fields=["approved_at", "approved_by"])
    return plan


def plan_items_for_need(
    *,
    ratings: Iterable[TaskRating],
    item: KnowledgeItem | SkillItem,
    by: Employee | None,
    action: str,
    description: str,
    due_on: datetime.date | None,
    course: Course | None = None,
) -> int:
    """One plan item for `item` in the plan of each assessment among the short `ratings`
    (the people behind a training need), owned by the employee; assessments whose plan
    already has an open item for `item` are left alone. Returns how many were added."""
    field = "knowledge_item" if isinstance(item, KnowledgeItem) else "skill_item"
    assessments = {r.assessment_id: r.assessment for r in ratings}
    added = 0
    with transaction.atomic():
        covered = set(
            PlanItem.objects.filter(
                plan__assessment__in=list(assessments),
                status__in=[PlanItem.Status.PLANNED, PlanItem.Status.IN_PROGRESS],
                **{field: item},
            ).values_list("plan__assessment", flat=True)
        )
        for assessment_id, assessment in assessments.items():
            if assessment_id in covered:
                continue
            plan_item_add(
                assessment=assessment,
                by=by,
                action=action,
                course=course,
                owner=assessment.employee,
                description=description,
                due_on=due_on,
                **{field: item},
            )
            added += 1
    return added
