"""Reads: who may see which assessments, and the data the pages show."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from standards.models import BehaviourIndicator, WorkOutput

from .models import Assessment, AssessmentReturn, Department, Employee, TaskRating
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


RETURN_FIELDS = ("id", "returned_by_id", "returned_at", "reason")


def with_latest_return(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Annotate the date and reason of HR's latest return of each assessment (None when
    it was never returned), in the same query: see `latest_return`."""
    returns = AssessmentReturn.objects.filter(assessment=OuterRef("pk")).order_by(
        "-returned_at", "-pk"
    )
    return assessments.annotate(
        **{f"latest_return_{field}": Subquery(returns.values(field)[:1]) for field in RETURN_FIELDS}
    )


def latest_return(assessment: Assessment) -> AssessmentReturn | None:
    """HR's latest return of `assessment`, from `with_latest_return`'s annotations when
    it was read with them (no query), else from the database."""
    if not hasattr(assessment, "latest_return_id"):
        return assessment.returns.first()
    if assessment.latest_return_id is None:
        return None
    return AssessmentReturn(
        assessment=assessment,
        **{field: getattr(assessment, f"latest_return_{field}") for field in RETURN_FIELDS},
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
    comments. Three queries: the employee with login, department and manager, the
    assessments, their ratings."""
    employee = Employee.objects.select_related("user", "department", "manager").get(pk=employee.pk)
    assessments = list(
        employee.assessments.select_related("cycle", "standard")
        .prefetch_related(Prefetch("ratings", queryset=TaskRating.objects.order_by("order")))
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
            }
            for assessment in assessments
        ],
    }
