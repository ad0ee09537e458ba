"""Reads: who may see which assessments, and the data the pages show."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Permission
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse

from standards.caching import cached
from standards.models import BehaviourIndicator, Standard, WorkOutput

from .filters import PeopleFilter
from .models import (
    Assessment,
    AssessmentReturn,
    Cycle,
    Department,
    Employee,
    EvidenceFile,
    JobTitleAssignment,
    TaskRating,
)
from .scoring import gap

# Reporting lines and departments are walked by one recursive query; a deeper tree than
# this (or a cycle that slipped past the import) stops the walk instead of looping.
MAX_DEPTH = 20

User = AbstractBaseUser | AnonymousUser


# The permission that makes a login HR (the HR group holds it).
HR_PERMISSION = ("assessments", "view_assessment")


def is_hr(user: User) -> bool:
    """HR staff: anyone holding the HR group's permission to view every assessment.

    Known without a query once `employee_of(user)` has read the employee record, which
    asks the same question (as Django's ModelBackend answers it) in the same query.
    """
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_portal_is_hr"):
        user._portal_is_hr = user.has_perm(".".join(HR_PERMISSION))
    return user._portal_is_hr


def hr_known(user: User) -> bool:
    """Whether `is_hr(user)` is known without a query: asked before in this request, or
    the login's permissions already read by Django's ModelBackend (which keeps them in
    `_perm_cache`), as a view behind permission_required has."""
    return hasattr(user, "_portal_is_hr") or hasattr(user, "_perm_cache")


def employee_of(user: User) -> Employee | None:
    """The employee record of a login, or None (anonymous, or an account with none).

    The same query tells whether the login holds HR's permission, itself or through a
    group, for `is_hr`: an active superuser holds every permission, an inactive login
    none, as in Django's ModelBackend.
    """
    if not user.is_authenticated:
        return None
    app_label, codename = HR_PERMISSION
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    employee = (
        Employee.objects.select_related("department", "manager")
        .filter(user=user)
        .annotate(
            holds_hr_permission=Exists(
                permission.filter(Q(user=OuterRef("user")) | Q(group__user=OuterRef("user")))
            )
        )
        .first()
    )
    if employee is not None:
        user._portal_is_hr = user.is_active and (user.is_superuser or employee.holds_hr_permission)
    return employee


def attachable_logins(employee: Employee | None = None) -> QuerySet:
    """The accounts an employee record may be linked to: ordinary logins (not staff, not
    superuser) that no other employee uses, plus `employee`'s own current login."""
    users = get_user_model().objects.filter(
        is_staff=False, is_superuser=False, employee__isnull=True
    )
    if employee is not None and employee.user_id is not None:
        users = users | get_user_model().objects.filter(pk=employee.user_id)
    return users.order_by("username")


def _tree_sql(model: type[Employee] | type[Department], link: str) -> str:
    """A recursive query of the ids below a row of `model` along the foreign key `link`
    (column `link`_id), depth-bounded so a cycle in the data cannot make it loop."""
    table = model._meta.db_table
    return (
        f"WITH RECURSIVE tree(id, depth) AS ("  # noqa: S608 - names from the model
        f" SELECT id, 1 FROM {table} WHERE {link}_id = %s"
        f" UNION SELECT child.id, tree.depth + 1 FROM {table} child"
        f" JOIN tree ON child.{link}_id = tree.id WHERE tree.depth < {MAX_DEPTH:d}"
        f") SELECT DISTINCT id FROM tree"
    )


def _tree_ids(model: type[Employee] | type[Department], link: str, root: int) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(_tree_sql(model, link), [root])
        return {row[0] for row in cursor.fetchall()} - {root}


def report_ids(employee: Employee) -> set[int]:
    """The ids of everyone reporting to `employee`, directly or indirectly: one
    recursive query, at most MAX_DEPTH levels deep."""
    return _tree_ids(Employee, "manager", employee.pk)


def report_tree(employee: Employee) -> RawSQL:
    """The ids of everyone reporting to `employee` (the set `report_ids` reads) as a
    subquery for `employee__in=`: filtering on a team then sends no id list, whose
    thousand parameters cost more to build, send and plan than the recursive query."""
    return RawSQL(  # noqa: S611 - see _tree_sql
        f"SELECT id FROM ({_tree_sql(Employee, 'manager')}) reports WHERE id <> %s",  # noqa: S608
        [employee.pk, employee.pk],
    )


def department_tree_ids(department: Department) -> set[int]:
    """The ids of a department and all its sub-departments: one recursive query."""
    return {department.pk} | _tree_ids(Department, "parent", department.pk)


def department_tree(department: Department) -> RawSQL:
    """The ids of `department`'s sub-departments as a subquery (`department__in=` with
    the department itself), so that filtering on a tree costs no query of its own."""
    return RawSQL(_tree_sql(Department, "parent"), [department.pk])  # noqa: S611 - see _tree_sql


def assessments_visible_to(user: User) -> QuerySet[Assessment]:
    """Every assessment `user` may see: HR all of them; anyone else their own and
    those of the people reporting to them, directly or indirectly; anonymous none.

    Every view that shows an assessment starts from here, so that another person's
    assessment is simply not found (404).
    """
    assessments = Assessment.objects.select_related("cycle", "standard", "employee")
    if hr_known(user) and is_hr(user):
        return assessments
    employee = employee_of(user)  # tells is_hr too
    if is_hr(user):
        return assessments
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


def with_latest_return(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Annotate the id of HR's latest return of each assessment (None when it was never
    returned), in the same query: see `latest_return`."""
    returns = AssessmentReturn.objects.filter(assessment=OuterRef("pk")).order_by(
        "-returned_at", "-pk"
    )
    return assessments.annotate(latest_return_id=Subquery(returns.values("pk")[:1]))


def with_evidence_flag(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Annotate `has_evidence`: whether any of its ratings has an evidence file, in the
    same query, so that `ratings_with_files` asks for the files only when there are."""
    files = EvidenceFile.objects.filter(rating__assessment=OuterRef("pk"))
    return assessments.annotate(has_evidence=Exists(files))


def latest_return(assessment: Assessment) -> AssessmentReturn | None:
    """HR's latest return of `assessment`: none without a query when it was read
    `with_latest_return` and never returned (the form, as nearly everyone opens it),
    else one query."""
    if not hasattr(assessment, "latest_return_id"):
        return assessment.returns.first()
    if assessment.latest_return_id is None:
        return None
    return AssessmentReturn.objects.get(pk=assessment.latest_return_id)


def with_progress(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Annotate task_count, rated (tasks with a level) and meeting (own >= required)."""
    return assessments.annotate(
        task_count=Count("ratings"),
        rated=Count("ratings", filter=Q(ratings__self_level__isnull=False)),
        meeting=Count("ratings", filter=Q(ratings__self_level__gte=F("ratings__required_level"))),
    )


@dataclass(frozen=True)
class TaskText:
    """One behaviour indicator or work output of a task, as the self-assessment shows it."""

    code: str
    text: str


@dataclass(frozen=True)
class TaskTexts:
    """A task's behaviour indicators and work outputs, in document order."""

    indicators: tuple[TaskText, ...] = ()
    outputs: tuple[TaskText, ...] = ()


NO_TEXTS = TaskTexts()


def task_texts(standard: Standard) -> dict[int, TaskTexts]:
    """The behaviour indicators and work outputs of every task of `standard`, by task id.

    Two queries for a draft. A published version never changes (`Standard.is_locked`),
    so its texts are cached under its id and content digest: the same for everyone who
    rates themselves against it, and nothing personal.
    """
    if not standard.is_locked:
        return _read_task_texts(standard)
    key = f"assessment-form:task-texts:{standard.pk}:{standard.content_digest}"
    return cached(key, lambda: _read_task_texts(standard))


def _read_task_texts(standard: Standard) -> dict[int, TaskTexts]:
    found: dict[int, tuple[list[TaskText], list[TaskText]]] = {}
    for kind, model in enumerate((BehaviourIndicator, WorkOutput)):
        rows = (
            model.objects.filter(task__duty__standard=standard)
            .order_by("task_id", "order", "pk")
            .values_list("task_id", "code", "text")
        )
        for task_id, code, text in rows:
            found.setdefault(task_id, ([], []))[kind].append(TaskText(code, text))
    return {
        task_id: TaskTexts(tuple(indicators), tuple(outputs))
        for task_id, (indicators, outputs) in found.items()
    }


def ratings_with_files(assessment: Assessment) -> list[TaskRating]:
    """The ratings of an assessment in document order, each with its evidence files in
    `files` (in upload order): two queries whatever the size, one for an assessment read
    `with_evidence_flag` that has none (the tasks' texts come from `task_texts`). The
    files are grouped here rather than prefetched: Django's prefetch builds a queryset
    per rating, which cost more than both queries for 30 tasks."""
    ratings = list(assessment.ratings.order_by("order"))
    files: dict[int, list[EvidenceFile]] = {}
    if getattr(assessment, "has_evidence", True):  # read `with_evidence_flag`: known
        evidence = EvidenceFile.objects.filter(rating__assessment=assessment)
        for file in evidence.order_by("uploaded_at", "pk"):
            files.setdefault(file.rating_id, []).append(file)
    for rating in ratings:
        rating.files = files.get(rating.pk, [])
    return ratings


def ratings_for_form(assessment: Assessment) -> QuerySet[TaskRating]:
    """The ratings of an assessment in document order, each with its task's indicators and
    outputs and its evidence files (the evidence page): four queries whatever the size."""
    return (
        assessment.ratings.select_related("task")
        .prefetch_related(
            Prefetch("task__indicators", queryset=BehaviourIndicator.objects.order_by("order")),
            Prefetch("task__outputs", queryset=WorkOutput.objects.order_by("order")),
            Prefetch("evidence_files", queryset=EvidenceFile.objects.order_by("uploaded_at", "pk")),
        )
        .order_by("order")
    )


@dataclass(frozen=True)
class IndicatorAnswer:
    """One behaviour indicator of a task and the employee's answer: done (ticked), not
    done, or None when the form never asked (the indicator was added later)."""

    code: str
    text: str
    done: bool | None


@dataclass(frozen=True)
class TaskEvidence:
    """What the employee gave as evidence for one task: the behaviour indicators they
    ticked, their comment and the files they attached."""

    rating: TaskRating
    indicators: tuple[IndicatorAnswer, ...]
    files: tuple[EvidenceFile, ...]

    @property
    def comment(self) -> str:
        return self.rating.comment

    @property
    def done(self) -> list[IndicatorAnswer]:
        """The indicators ticked as done, in document order."""
        return [indicator for indicator in self.indicators if indicator.done]

    @property
    def is_empty(self) -> bool:
        return not (self.done or self.comment or self.files)

    def indicators_summary(self) -> str:
        """ "2/3: P1.1.1, P1.1.3": how many indicators were ticked, and which (downloads)."""
        if not self.indicators:
            return ""
        codes = ", ".join(indicator.code for indicator in self.done)
        return f"{len(self.done)}/{len(self.indicators)}" + (f": {codes}" if codes else "")

    def files_summary(self) -> str:
        """ "plan.pdf (O1.1.1); photo.jpg": the files' names and outputs (downloads)."""
        return "; ".join(
            f"{file.name} ({file.output_code})" if file.output_code else file.name
            for file in self.files
        )


def _indicator_answers(rating: TaskRating) -> tuple[IndicatorAnswer, ...]:
    checks = rating.indicator_checks or {}
    if rating.task is None:
        # The task left the library: the codes answered are all that is known.
        return tuple(IndicatorAnswer(code, "", bool(done)) for code, done in checks.items())
    return tuple(
        IndicatorAnswer(
            indicator.code,
            indicator.text,
            bool(checks[indicator.code]) if indicator.code in checks else None,
        )
        for indicator in rating.task.indicators.all()
    )


def task_evidence(
    assessment: Assessment, ratings: QuerySet[TaskRating] | None = None
) -> list[TaskEvidence]:
    """The evidence of every task of an assessment, in document order: the one source of
    the result page, the manager's report, their downloads and the printed report.

    `ratings` is the assessment's ratings as the caller needs them besides (with the
    manager's levels…). Three queries whatever the size: ratings with their tasks, the
    tasks' indicators, the files.
    """
    ratings = assessment.ratings.all() if ratings is None else ratings
    ratings = (
        ratings.select_related("task")
        .prefetch_related(
            Prefetch("task__indicators", queryset=BehaviourIndicator.objects.order_by("order")),
            Prefetch("evidence_files", queryset=EvidenceFile.objects.order_by("uploaded_at", "pk")),
        )
        .order_by("order")
    )
    return [
        TaskEvidence(
            rating=rating,
            indicators=_indicator_answers(rating),
            files=tuple(rating.evidence_files.all()),
        )
        for rating in ratings
    ]


def personal_data(employee: Employee) -> dict[str, Any]:
    """Everything the portal holds about one employee: profile, assessments, ratings,
    comments, evidence files, development plans. Ten queries: the employee with login,
    department and manager, the assessments with their plans, their ratings, their
    files, and the plans' items (with their task, knowledge and skill items and course)
    and comments (with author)."""
    employee = Employee.objects.select_related("user", "department", "manager").get(pk=employee.pk)
    # The development plans (the plans app, above this one) are read through the
    # assessment's reverse accessor `plan`.
    assessments = list(
        employee.assessments.select_related("cycle", "standard", "plan")
        .prefetch_related(
            Prefetch("ratings", queryset=TaskRating.objects.order_by("order")),
            Prefetch(
                "ratings__evidence_files",
                queryset=EvidenceFile.objects.order_by("uploaded_at", "pk"),
            ),
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
                        "evidence_files": [
                            {
                                "id": evidence.pk,
                                "name": evidence.name,
                                "work_output": evidence.output_code or None,
                                "content_type": evidence.content_type,
                                "size": evidence.size,
                                "uploaded_at": evidence.uploaded_at.isoformat(),
                                "download": reverse(
                                    "assessments:evidence_file", args=[evidence.pk]
                                ),
                            }
                            for evidence in rating.evidence_files.all()
                        ],
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


@dataclass(frozen=True)
class Completion:
    """How far a cycle's assessments are: submitted, in progress (a draft saved), not
    started; each with its share of the whole, in percent, for the bars."""

    submitted: int
    in_progress: int
    not_started: int

    @property
    def total(self) -> int:
        return self.submitted + self.in_progress + self.not_started

    def _percent(self, count: int) -> float:
        return round(100 * count / self.total, 1) if self.total else 0.0

    @property
    def submitted_percent(self) -> float:
        return self._percent(self.submitted)

    @property
    def in_progress_percent(self) -> float:
        return self._percent(self.in_progress)

    @property
    def not_started_percent(self) -> float:
        return self._percent(self.not_started)


def _stage_count(stage: str) -> Count:
    return Count("assessments", filter=Q(assessments__stage=stage))


def cycles_with_completion(cycles: QuerySet[Cycle] | None = None) -> list[Cycle]:
    """The cycles (all of them unless given), each with its `completion`, counted in
    the database: one query."""
    cycles = (cycles if cycles is not None else Cycle.objects.all()).annotate(
        submitted_count=_stage_count(Assessment.Stage.SUBMITTED),
        draft_count=_stage_count(Assessment.Stage.DRAFT),
        pending_count=_stage_count(Assessment.Stage.PENDING),
    )
    found = list(cycles)
    for cycle in found:
        cycle.completion = Completion(
            submitted=cycle.submitted_count,
            in_progress=cycle.draft_count,
            not_started=cycle.pending_count,
        )
    return found


def open_cycles(today: datetime.date) -> QuerySet[Cycle]:
    """The cycles not closed before `today`, open or about to open, closing first first."""
    return Cycle.objects.filter(closes_on__gte=today).order_by("closes_on", "name")


def people_search(data: Any) -> PeopleFilter:
    """HR's people search bound to the query string (`q`); its `qs` is every employee
    when there is no search, with the department, in employee-number order."""
    return PeopleFilter(
        data,
        queryset=Employee.objects.select_related("department").order_by("employee_number"),
    )


def found_people(search: PeopleFilter) -> QuerySet[Employee]:
    """The people a search found; nobody when the search itself is invalid."""
    return search.qs if search.is_valid() else search.queryset.none()


def department_members(department: Department) -> QuerySet[Employee]:
    """Everyone in a department and its sub-departments."""
    return Employee.objects.filter(department__in=department_tree_ids(department))


def _rating_count(**conditions: Any) -> Coalesce:
    ratings = (
        TaskRating.objects.filter(assessment=OuterRef("pk"), **conditions)
        .order_by()
        .values("assessment")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(ratings), 0)


def cycle_assessments(cycle: Cycle) -> QuerySet[Assessment]:
    """A cycle's assessments by employee number then standard, each with task_count and
    rated (tasks with a level).

    Counted by a subquery per row rather than by grouping (`with_progress`): a page
    counts the ratings of its own 50 rows, and counting the page's total needs no
    ratings at all, whatever the size of the cycle.
    """
    return (
        Assessment.objects.filter(cycle=cycle)
        .select_related("employee", "standard")
        .annotate(
            task_count=_rating_count(),
            rated=_rating_count(self_level__isnull=False),
        )
        .order_by("employee__employee_number", "standard__code", "pk")
    )


def job_title_rules(cycle: Cycle) -> QuerySet[JobTitleAssignment]:
    """The job-title rules of a cycle, with how many people hold each title now."""
    holders = (
        Employee.objects.filter(job_title=OuterRef("job_title"))
        .order_by()
        .values("job_title")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        JobTitleAssignment.objects.filter(cycle=cycle)
        .select_related("standard")
        .annotate(holders=Coalesce(Subquery(holders), 0))
        .order_by("job_title", "standard__code")
    )


def job_titles() -> list[str]:
    """Every job title held by someone, for the job-title field's suggestions."""
    return list(
        Employee.objects.exclude(job_title="")
        .order_by("job_title")
        .values_list("job_title", flat=True)
        .distinct()
    )
