"""Reads for the managers' and HR's reports: who is in scope, the filter choices, the
dashboard and the training needs (the heatmap and trends are in `selectors_gaps`).

Every figure is aggregated in the database (`annotate`, `Count(filter=…)`, `Sum`) with
the gap measures of `assessments.scoring`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    Assessment,
    Cycle,
    Department,
    Employee,
    ItemShortfall,
    TaskRating,
)
from assessments.reminders import REMINDER_KINDS
from assessments.scoring import (
    SHORT,
    LevelSource,
    falls_short,
    gap_expression,
    level_expression,
)
from assessments.selectors import User, employee_of, is_hr, report_ids, report_tree
from notifications.selectors import last_sent
from standards.models import KnowledgeItem, SkillItem, Standard, TaskKnowledge, TaskSkill

SUBMITTED = Assessment.Stage.SUBMITTED

TRAINING_KINDS = {"knowledge": KnowledgeItem, "skill": SkillItem}
# A task's links to the items it needs, by kind.
TRAINING_LINK_MODELS = {"knowledge": TaskKnowledge, "skill": TaskSkill}
PUBLISHED = Standard.Publication.PUBLISHED


@dataclass(frozen=True)
class Viewer:
    """Someone allowed into the reports: HR (everyone) or a manager (their reports)."""

    employee: Employee | None
    hr: bool
    # The employees in scope, or None for HR, who sees everyone. The queries filter on
    # the same reporting tree as a subquery (`report_tree`), not on this list of ids.
    team: frozenset[int] | None

    def employees(self) -> QuerySet[Employee]:
        employees = Employee.objects.select_related("department")
        if self.team is None:
            return employees
        return employees.filter(pk__in=report_tree(self.employee))

    def assessments(self) -> QuerySet[Assessment]:
        """The assessments of the people in scope (never the viewer's own)."""
        assessments = Assessment.objects.select_related("cycle", "standard", "employee")
        if self.team is not None:
            assessments = assessments.filter(employee__in=report_tree(self.employee))
        if self.employee is not None:
            assessments = assessments.exclude(employee=self.employee)
        return assessments


def viewer_for(user: User) -> Viewer | None:
    """The report scope of `user`, or None when they manage no one and are not HR.

    Queries: the employee, HR permissions (two, for a logged-in user), and for a
    manager one per level of their reporting tree plus one.
    """
    if not user.is_authenticated:
        return None
    employee = employee_of(user)
    if is_hr(user):
        return Viewer(employee=employee, hr=True, team=None)
    if employee is None:
        return None
    team = report_ids(employee)
    if not team:
        return None
    return Viewer(employee=employee, hr=False, team=frozenset(team))


def cycle_choices(viewer: Viewer) -> QuerySet[Cycle]:
    """Cycles in which someone in scope has an assessment, newest first."""
    return Cycle.objects.filter(pk__in=viewer.assessments().values("cycle")).order_by(
        "-opens_on", "name"
    )


def standard_choices(viewer: Viewer, *, cycle: int | None = None) -> QuerySet[Standard]:
    """Standard versions assigned to someone in scope; in `cycle` only, when given."""
    assessments = viewer.assessments()
    if cycle is not None:
        assessments = assessments.filter(cycle=cycle)
    return Standard.objects.filter(pk__in=assessments.values("standard")).order_by("code")


def family_choices(viewer: Viewer) -> list[tuple[str, str]]:
    """The standards (every version of each) assigned to someone in scope, as (family
    code, label) pairs named after their newest assigned version: one query."""
    versions = (
        standard_choices(viewer)
        .order_by("family_code", "-version_number")
        .values_list("family_code", "name")
    )
    names: dict[str, str] = {}
    for family, name in versions:
        names.setdefault(family, name)
    return [(family, f"{family} {name}") for family, name in names.items()]


def department_choices(viewer: Viewer) -> QuerySet[Department]:
    """HR: every department; a manager: the departments their reports belong to."""
    if viewer.team is None:
        return Department.objects.order_by("code")
    return Department.objects.filter(pk__in=viewer.employees().values("department")).order_by(
        "code"
    )


def employee_choices(viewer: Viewer) -> QuerySet[Employee]:
    """The people a report may be narrowed to: only what the option shows is read (HR's
    select lists everyone, 10,000 rows for a large employer)."""
    employees = viewer.employees()
    if viewer.employee is not None:
        employees = employees.exclude(pk=viewer.employee.pk)
    return (
        employees.select_related(None)
        .order_by("employee_number")
        .only("pk", "name", "employee_number")
    )


# -- Dashboard ---------------------------------------------------------------------------


def stage_counts(assessments: QuerySet[Assessment]) -> dict[str, int]:
    """How many assessments are not started, in draft, submitted, and in all: one query."""
    return assessments.aggregate(
        total=Count("pk"),
        pending=Count("pk", filter=Q(stage=Assessment.Stage.PENDING)),
        draft=Count("pk", filter=Q(stage=Assessment.Stage.DRAFT)),
        submitted=Count("pk", filter=Q(stage=SUBMITTED)),
    )


def _rating_count(condition: Q) -> Coalesce:
    """How many of an assessment's ratings meet `condition`, as a correlated subquery:
    cheaper than grouping the assessment with its employee and department by a join."""
    counted = (
        TaskRating.objects.filter(condition, assessment=OuterRef("pk"))
        .order_by()
        .values("assessment")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


STAGE_ORDER = Case(
    When(stage=Assessment.Stage.PENDING, then=0),
    When(stage=Assessment.Stage.DRAFT, then=1),
    default=2,
    output_field=IntegerField(),
)


UNFINISHED = "unfinished"
DASHBOARD_STAGES = [
    (UNFINISHED, _("Not submitted yet")),
    *Assessment.Stage.choices,
]


def with_stage(assessments: QuerySet[Assessment], stage: str | None) -> QuerySet[Assessment]:
    """Only the assessments at `stage` (one of DASHBOARD_STAGES); all for None."""
    if not stage:
        return assessments
    if stage == UNFINISHED:
        return assessments.exclude(stage=SUBMITTED)
    return assessments.filter(stage=stage)


def dashboard_assessments(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """The team's assessments with their progress, the unfinished ones first: one query
    for any slice of them (the subqueries run only for the rows fetched)."""
    return (
        assessments.select_related("employee__department", "review")
        .annotate(
            task_count=_rating_count(Q()),
            rated=_rating_count(Q(self_level__isnull=False)),
            short=_rating_count(SHORT),
        )
        .order_by(STAGE_ORDER, "employee__employee_number", "standard__code")
    )


def with_last_reminder(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Annotate `last_reminded`: when the newest reminder e-mail (pressed or the cycle's
    closing one) went to the assessment's employee; a subquery, no extra query."""
    return assessments.annotate(last_reminded=last_sent(REMINDER_KINDS, recipient="employee__user"))


# -- Training needs ----------------------------------------------------------------------


def shortfall_ratings(
    assessments: QuerySet[Assessment], source: str = LevelSource.SELF
) -> QuerySet[TaskRating]:
    """The rated tasks of submitted assessments that fall short of their level (the
    level of `source`)."""
    return TaskRating.objects.filter(
        falls_short(source=source),
        assessment__in=assessments.filter(stage=SUBMITTED).values("pk"),
    )


NEED_ORDER = {
    "people": ("-people", "-total_shortfall"),
    "shortfall": ("-total_shortfall", "-people"),
}


@dataclass
class TrainingNeed:
    """One knowledge or skill item's place in the ranking; `item` is loaded only for the
    rows a page shows (`with_items`)."""

    rank: int
    item_id: int
    people: int
    task_count: int
    total_shortfall: int
    item: Any = None


def training_needs(
    assessments: QuerySet[Assessment],
    *,
    order: str = "people",
    source: str = LevelSource.SELF,
) -> dict[str, list[TrainingNeed]]:
    """Knowledge and skill items (by kind) ranked by how many people fall short on tasks
    needing them (`people`), and by the sum of those shortfalls (`total_shortfall`), at
    the levels of `source`, ties in the order the items were written; two queries for
    both kinds. `assessments` are of one cycle, as the report's filter requires.

    People and shortfalls are summed from the item shortfalls kept per assessment
    (`assessments.shortfalls`): in one cycle a person has one row per item, since they
    have one assessment of a standard version (`assessment_once_per_cycle`) and an item
    belongs to one version. The tasks are counted from the shortfall ratings' tasks and
    the items' links. Read from the ratings alone (until 2026-12-03), each kind joined
    every shortfall rating to its task's links and counted distinct people and tasks per
    item: 150–250 ms a kind on PostgreSQL at `make bench` scale; now about 90 ms for both
    (the ranking 50, the task counts 35).
    """
    short = {f"{source}_tasks__gt": 0}
    rows = (
        ItemShortfall.objects.filter(
            assessment__in=assessments.filter(stage=SUBMITTED).values("pk"), **short
        )
        .values("knowledge", "skill")
        .annotate(
            people=Count("pk"),
            total_shortfall=Sum(f"{source}_shortfall"),
        )
        .order_by(*NEED_ORDER.get(order, NEED_ORDER["people"]), "knowledge", "skill")
        .values_list("knowledge", "skill", "people", "total_shortfall")
    )
    tasks = _short_task_counts(shortfall_ratings(assessments, source).values("task"))
    needs: dict[str, list[TrainingNeed]] = {kind: [] for kind in TRAINING_KINDS}
    for knowledge, skill, people, shortfall in rows:
        kind, item_id = ("knowledge", knowledge) if knowledge is not None else ("skill", skill)
        ranking = needs[kind]
        ranking.append(
            TrainingNeed(
                rank=len(ranking) + 1,
                item_id=item_id,
                people=people,
                task_count=tasks.get((kind, item_id), 0),
                total_shortfall=shortfall,
            )
        )
    return needs


def _short_task_counts(short_tasks: QuerySet[TaskRating]) -> dict[tuple[str, int], int]:
    """How many of each item's tasks are among `short_tasks`, by (kind, item id): one
    query for both kinds."""
    counts = [
        link.objects.filter(task__in=short_tasks)
        .values("item")
        .annotate(kind=Value(kind), tasks=Count("pk"))
        .values_list("kind", "item", "tasks")
        .order_by()
        for kind, link in TRAINING_LINK_MODELS.items()
    ]
    return {(kind, item): count for kind, item, count in counts[0].union(*counts[1:], all=True)}


def training_items(kind: str) -> QuerySet[Any]:
    """The knowledge or skill items of published standard versions, with their standard.

    A draft's items are not for the reports, even by id.
    """
    return (
        TRAINING_KINDS[kind]
        .objects.filter(standard__publication=PUBLISHED)
        .select_related("standard")
    )


def with_items(needs: list[TrainingNeed], *, kind: str) -> list[TrainingNeed]:
    """`needs` with their knowledge or skill items and standards loaded: one query.

    An item HR deleted since the ranking was read is left out rather than failing.
    """
    items = training_items(kind).in_bulk([need.item_id for need in needs])
    for need in needs:
        need.item = items.get(need.item_id)
    return [need for need in needs if need.item is not None]


def training_need_detail(
    assessments: QuerySet[Assessment], *, item: Any, source: str = LevelSource.SELF
) -> QuerySet[TaskRating]:
    """The people and tasks behind one knowledge or skill item's need, each with the
    level scored (`level`, of `source`) and its gap: one query."""
    links = "task__knowledge" if isinstance(item, KnowledgeItem) else "task__skills"
    return (
        shortfall_ratings(assessments, source)
        .filter(**{links: item})
        .select_related("assessment__employee__department", "assessment__cycle")
        .annotate(level=level_expression(source=source), gap=gap_expression(source=source))
        .order_by("-gap", "assessment__employee__employee_number", "order")
    )


def people_count(ratings: QuerySet[TaskRating]) -> int:
    """How many people the ratings belong to: one query."""
    return ratings.aggregate(people=Count("assessment__employee", distinct=True))["people"]
