"""Reads: who may see which assessments, and the data the pages show."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, F, Prefetch, Q, QuerySet

from standards.models import BehaviourIndicator, WorkOutput

from .models import Assessment, Department, Employee, TaskRating
from .scoring import gap

# Reporting lines and departments are walked one level per query; a deeper tree than
# this (or a cycle that slipped past the import) stops the walk instead of looping.
MAX_DEPTH = 20

User = AbstractBaseUser | AnonymousUser


def is_hr(user: User) -> bool:
    """HR staff: anyone holding the HR group's permission to view every assessment."""
    return user.is_authenticated and user.has_perm("assessments.view_assessment")


def employee_of(user: User) -> Employee | None:
    """The employee record of a login, or None (anonymous, or an account with none)."""
    if not user.is_authenticated:
        return None
    return Employee.objects.select_related("department", "manager").filter(user=user).first()


def attachable_logins(employee: Employee | None = None) -> QuerySet:
    """The accounts an employee record may be linked to: ordinary logins (not staff, not
    superuser) that no other employee uses, plus `employee`'s own current login."""
    users = get_user_model().objects.filter(
        is_staff=False, is_superuser=False, employee__isnull=True
    )
    if employee is not None and employee.user_id is not None:
        users = users | get_user_model().objects.filter(pk=employee.user_id)
    return users.order_by("username")


def report_ids(employee: Employee) -> set[int]:
    """The ids of everyone reporting to `employee`, directly or indirectly.

    One query per level of the reporting tree below the employee (at most MAX_DEPTH).
    """
    found: set[int] = set()
    level = {employee.pk}
    for _depth in range(MAX_DEPTH):
        # Visited ids are dropped here rather than in SQL: a NOT IN of a whole
        # company's ids costs more than the rows it would save.
        level = (
            set(Employee.objects.filter(manager__in=level).values_list("pk", flat=True))
            - found
            - {employee.pk}
        )
        if not level:
            break
        found |= level
    return found


def department_tree_ids(department: Department) -> set[int]:
    """The ids of a department and all its sub-departments, one query per level."""
    found = {department.pk}
    level = {department.pk}
    for _depth in range(MAX_DEPTH):
        level = (
            set(Department.objects.filter(parent__in=level).values_list("pk", flat=True)) - found
        )
        if not level:
            break
        found |= level
    return found


def assessments_visible_to(user: User) -> QuerySet[Assessment]:
    """Every assessment `user` may see: HR all of them; anyone else their own and
    those of the people reporting to them, directly or indirectly; anonymous none.

    Every view that shows an assessment starts from here, so that another person's
    assessment is simply not found (404).
    """
    assessments = Assessment.objects.select_related("cycle", "standard", "employee")
    if is_hr(user):
        return assessments
    employee = employee_of(user)
    if employee is None:
        return assessments.none()
    return assessments.filter(employee__in={employee.pk} | report_ids(employee))


def own_assessments(user: User) -> QuerySet[Assessment]:
    """The user's own assessments, the only ones they may fill in.

    A subset of `assessments_visible_to(user)` for everyone (one's own assessments are
    always visible), read with one filter instead of the permission and reporting-tree
    queries that scoping takes.
    """
    if not user.is_authenticated:
        return Assessment.objects.none()
    return Assessment.objects.select_related("cycle", "standard", "employee").filter(
        employee__user=user
    )


def with_progress(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Annotate task_count, rated (tasks with a level) and meeting (own >= required)."""
    return assessments.annotate(
        task_count=Count("ratings"),
        rated=Count("ratings", filter=Q(ratings__self_level__isnull=False)),
        meeting=Count("ratings", filter=Q(ratings__self_level__gte=F("ratings__required_level"))),
    )


def ratings_for_form(assessment: Assessment) -> QuerySet[TaskRating]:
    """The ratings of an assessment in document order, each with its task's indicators and
    outputs: three queries whatever the size."""
    return (
        assessment.ratings.select_related("task")
        .prefetch_related(
            Prefetch("task__indicators", queryset=BehaviourIndicator.objects.order_by("order")),
            Prefetch("task__outputs", queryset=WorkOutput.objects.order_by("order")),
        )
        .order_by("order")
    )


def personal_data(employee: Employee) -> dict[str, Any]:
    """Everything the portal holds about one employee: profile, assessments, ratings,
    comments, development plans. Nine queries: the employee with login, department and
    manager, the assessments with their plans, their ratings, and the plans' items
    (with their task, knowledge and skill items and course) and comments (with author)."""
    employee = Employee.objects.select_related("user", "department", "manager").get(pk=employee.pk)
    # The development plans (the plans app, above this one) are read through the
    # assessment's reverse accessor `plan`.
    assessments = list(
        employee.assessments.select_related("cycle", "standard", "plan")
        .prefetch_related(
            Prefetch("ratings", queryset=TaskRating.objects.order_by("order")),
            "plan__items__rating",
            "plan__items__knowledge_item",
            "plan__items__skill_item",
            "plan__items__course",
            "plan__comments__author",
        )
        .order_by("created_at", "pk")
    )
    user = employee.user
    return {
        "profile": {
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "employee_number": employee.employee_number,
            "name": employee.name,
            "department": employee.department.name if employee.department else None,
            "job_title": employee.job_title,
            "manager": str(employee.manager) if employee.manager else None,
        },
        "assessments": [
            {
                "id": assessment.pk,
                "cycle": assessment.cycle.name,
                "opens_on": assessment.cycle.opens_on.isoformat(),
                "closes_on": assessment.cycle.closes_on.isoformat(),
                "standard": assessment.standard.code,
                "standard_name": assessment.standard.name,
                "stage": assessment.stage,
                "created_at": assessment.created_at.isoformat(),
                "updated_at": assessment.updated_at.isoformat(),
                "submitted_at": (
                    assessment.submitted_at.isoformat() if assessment.submitted_at else None
                ),
                "ratings": [
                    {
                        "duty_code": rating.duty_code,
                        "duty": rating.duty_title,
                        "task_code": rating.task_code,
                        "task": rating.task_title,
                        "required_level": rating.required_level,
                        "self_level": rating.self_level,
                        "gap": (
                            gap(rating.required_level, rating.self_level)
                            if rating.self_level is not None
                            else None
                        ),
                        "indicators_done": rating.indicator_checks,
                        "comment": rating.comment,
                    }
                    for rating in assessment.ratings.all()
                ],
                "development_plan": _plan_data(getattr(assessment, "plan", None)),
            }
            for assessment in assessments
        ],
    }


def _plan_data(plan: Any) -> dict[str, Any] | None:
    if plan is None:
        return None
    return {
        "approved_at": plan.approved_at.isoformat() if plan.approved_at else None,
        "items": [
            {
                "task_code": item.rating.task_code if item.rating else None,
                "knowledge": item.knowledge_item.code if item.knowledge_item else None,
                "skill": item.skill_item.code if item.skill_item else None,
                "action": item.action,
                "course": item.course.title if item.course else None,
                "description": item.description,
                "due_on": item.due_on.isoformat() if item.due_on else None,
                "status": item.status,
            }
            for item in plan.items.all()
        ],
        "comments": [
            {
                "author": comment.author.name if comment.author else None,
                "text": comment.text,
                "created_at": comment.created_at.isoformat(),
            }
            for comment in plan.comments.all()
        ],
    }
