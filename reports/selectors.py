"""Reads for the managers' and HR's reports: who is in scope, and the figures the pages show.

Every figure is aggregated in the database (`annotate`, `Count(filter=…)`, `Sum`); the only
Python work over rating rows is laying out the heatmap's cells from one query's rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import (
    Avg,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from standards.models import KnowledgeItem, SkillItem, Standard

from .models import Assessment, Cycle, Department, Employee, TaskRating
from .selectors import User, employee_of, is_hr, report_ids

SUBMITTED = Assessment.Status.SUBMITTED
# Required minus own level, on TaskRating rows: > 0 falls short, < 0 exceeds.
GAP = ExpressionWrapper(F("required_level") - F("self_level"), output_field=IntegerField())
SHORT = Q(self_level__lt=F("required_level"))
LARGE_SHORTFALL = 3

TRAINING_KINDS = {"knowledge": KnowledgeItem, "skill": SkillItem}


@dataclass(frozen=True)
class Viewer:
    """Someone allowed into the reports: HR (everyone) or a manager (their reports)."""

    employee: Employee | None
    hr: bool
    # The employees in scope, or None for HR, who sees everyone.
    team: frozenset[int] | None

    def employees(self) -> QuerySet[Employee]:
        employees = Employee.objects.select_related("department")
        if self.team is None:
            return employees
        return employees.filter(pk__in=self.team)

    def assessments(self) -> QuerySet[Assessment]:
        """The assessments of the people in scope (never the viewer's own)."""
        assessments = Assessment.objects.select_related("cycle", "standard", "employee")
        if self.team is not None:
            assessments = assessments.filter(employee__in=self.team)
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


def standard_choices(viewer: Viewer) -> QuerySet[Standard]:
    """Standard versions assigned to someone in scope."""
    return Standard.objects.filter(pk__in=viewer.assessments().values("standard")).order_by("code")


def department_choices(viewer: Viewer) -> QuerySet[Department]:
    """HR: every department; a manager: the departments their reports belong to."""
    if viewer.team is None:
        return Department.objects.order_by("code")
    return Department.objects.filter(pk__in=viewer.employees().values("department")).order_by(
        "code"
    )


def employee_choices(viewer: Viewer) -> QuerySet[Employee]:
    employees = viewer.employees()
    if viewer.employee is not None:
        employees = employees.exclude(pk=viewer.employee.pk)
    return employees.order_by("employee_number")


# -- Dashboard ---------------------------------------------------------------------------


def status_counts(assessments: QuerySet[Assessment]) -> dict[str, int]:
    """How many assessments are not started, in draft, submitted, and in all: one query."""
    return assessments.aggregate(
        total=Count("pk"),
        pending=Count("pk", filter=Q(status=Assessment.Status.PENDING)),
        draft=Count("pk", filter=Q(status=Assessment.Status.DRAFT)),
        submitted=Count("pk", filter=Q(status=SUBMITTED)),
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


STATUS_ORDER = Case(
    When(status=Assessment.Status.PENDING, then=0),
    When(status=Assessment.Status.DRAFT, then=1),
    default=2,
    output_field=IntegerField(),
)


UNFINISHED = "unfinished"
DASHBOARD_STATUSES = [
    (UNFINISHED, _("Not submitted yet")),
    *Assessment.Status.choices,
]


def with_status(assessments: QuerySet[Assessment], status: str | None) -> QuerySet[Assessment]:
    """Only the assessments in `status` (one of DASHBOARD_STATUSES); all for None."""
    if not status:
        return assessments
    if status == UNFINISHED:
        return assessments.exclude(status=SUBMITTED)
    return assessments.filter(status=status)


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
        .order_by(STATUS_ORDER, "employee__employee_number", "standard__code")
    )


# -- Heatmap -----------------------------------------------------------------------------


def gap_class(gap: int | None) -> str:
    """The colour class of a gap: excess, met, or shortfall by size (1, 2, 3 and more)."""
    if gap is None:
        return "unrated"
    if gap < 0:
        return "excess"
    if gap == 0:
        return "met"
    return f"short-{min(gap, LARGE_SHORTFALL)}"


class Cell(NamedTuple):
    """One person's result on one task (a tuple: a heatmap has tens of thousands)."""

    required: int
    own: int
    gap: int

    @property
    def css(self) -> str:
        return gap_class(self.gap)


@dataclass
class HeatmapColumn:
    order: int
    duty_code: str
    code: str
    title: str
    required: int
    people: int
    short_count: int
    total_shortfall: int
    mean_gap: float


@dataclass
class HeatmapRow:
    assessment_id: int
    employee_number: str
    name: str
    department: str
    short_count: int
    total_shortfall: int
    mean_gap: float
    cells: list[Cell | None] = field(default_factory=list)
    # The row's cells as HTML, built once by the view: a template loop over a
    # thousand people's thirty cells each is far too slow.
    cells_html: str = ""


@dataclass
class Heatmap:
    columns: list[HeatmapColumn]
    rows: list[HeatmapRow]


ROW_ORDER = {
    "person": ("employee__name", "employee__employee_number"),
    "number": ("employee__employee_number",),
    "shortfall": ("-total_shortfall", "employee__employee_number"),
}
COLUMN_ORDER = {
    "task": ("order",),
    "shortfall": ("-short_count", "-total_shortfall", "order"),
}


def heatmap(
    assessments: QuerySet[Assessment],
    *,
    row_order: str = "person",
    column_order: str = "task",
    only_shortfalls: bool = False,
) -> Heatmap:
    """Employees × tasks of submitted assessments (one cycle, one standard version).

    Three queries: the rows with their summaries, the columns with theirs, the cells.
    """
    assessments = assessments.filter(status=SUBMITTED)
    short = Q(ratings__self_level__lt=F("ratings__required_level"))
    rows_qs = (
        assessments.values(
            "pk", "employee__employee_number", "employee__name", "employee__department__name"
        )
        .annotate(
            short_count=Count("ratings", filter=short),
            total_shortfall=Sum(
                F("ratings__required_level") - F("ratings__self_level"), filter=short, default=0
            ),
            mean_gap=Avg(F("ratings__required_level") - F("ratings__self_level")),
        )
        .order_by(*ROW_ORDER.get(row_order, ROW_ORDER["person"]))
    )
    if only_shortfalls:
        rows_qs = rows_qs.filter(short_count__gt=0)
    rows = [
        HeatmapRow(
            assessment_id=a["pk"],
            employee_number=a["employee__employee_number"],
            name=a["employee__name"],
            department=a["employee__department__name"] or "",
            short_count=a["short_count"],
            total_shortfall=a["total_shortfall"],
            mean_gap=a["mean_gap"] or 0.0,
        )
        for a in rows_qs
    ]
    ratings = TaskRating.objects.filter(
        assessment__in=assessments.values("pk"), self_level__isnull=False
    )
    columns_qs = (
        ratings.values("order", "duty_code", "task_code", "task_title", "required_level")
        .annotate(
            people=Count("pk"),
            short_count=Count("pk", filter=SHORT),
            total_shortfall=Sum(GAP, filter=SHORT, default=0),
            mean_gap=Avg(GAP),
        )
        .order_by(*COLUMN_ORDER.get(column_order, COLUMN_ORDER["task"]))
    )
    if only_shortfalls:
        columns_qs = columns_qs.filter(short_count__gt=0)
    columns = [
        HeatmapColumn(
            order=c["order"],
            duty_code=c["duty_code"],
            code=c["task_code"],
            title=c["task_title"],
            required=c["required_level"],
            people=c["people"],
            short_count=c["short_count"],
            total_shortfall=c["total_shortfall"],
            mean_gap=c["mean_gap"] or 0.0,
        )
        for c in columns_qs
    ]
    position = {column.order: index for index, column in enumerate(columns)}
    index_of = {row.assessment_id: index for index, row in enumerate(rows)}
    for row in rows:
        row.cells = [None] * len(columns)
    for assessment_id, order, required, own, gap in ratings.annotate(gap=GAP).values_list(
        "assessment_id", "order", "required_level", "self_level", "gap"
    ):
        if assessment_id in index_of and order in position:
            rows[index_of[assessment_id]].cells[position[order]] = Cell(required, own, gap)
    return Heatmap(columns=columns, rows=rows)


# -- Training needs ----------------------------------------------------------------------


def shortfall_ratings(assessments: QuerySet[Assessment]) -> QuerySet[TaskRating]:
    """The rated tasks of submitted assessments that fall short of their level."""
    return TaskRating.objects.filter(
        assessment__in=assessments.filter(status=SUBMITTED).values("pk"),
        self_level__lt=F("required_level"),
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
    assessments: QuerySet[Assessment], *, kind: str, order: str = "people"
) -> list[TrainingNeed]:
    """Knowledge or skill items ranked by how many people fall short on tasks needing
    them (`people`), and by the sum of those shortfalls (`total_shortfall`): one query.

    Grouped by the item's key alone: grouping by whole item and standard rows made the
    database sort every joined rating with the standard's long texts (17 times slower
    for a whole organisation).
    """
    model = TRAINING_KINDS[kind]
    ratings = "task_links__task__ratings"
    rows = (
        # One filter() call, so that the annotations count the same joined ratings.
        model.objects.filter(
            **{
                f"{ratings}__assessment__in": assessments.filter(status=SUBMITTED).values("pk"),
                f"{ratings}__self_level__lt": F(f"{ratings}__required_level"),
            }
        )
        .values("pk")
        .annotate(
            people=Count(f"{ratings}__assessment__employee", distinct=True),
            task_count=Count("task_links__task", distinct=True),
            total_shortfall=Sum(F(f"{ratings}__required_level") - F(f"{ratings}__self_level")),
        )
        .order_by(*NEED_ORDER.get(order, NEED_ORDER["people"]), "standard_id", "order", "pk")
        .values_list("pk", "people", "task_count", "total_shortfall")
    )
    return [TrainingNeed(rank, *row) for rank, row in enumerate(rows, start=1)]


def with_items(needs: list[TrainingNeed], *, kind: str) -> list[TrainingNeed]:
    """`needs` with their knowledge or skill items and standards loaded: one query.

    An item HR deleted since the ranking was read is left out rather than failing.
    """
    items = (
        TRAINING_KINDS[kind]
        .objects.select_related("standard")
        .in_bulk([need.item_id for need in needs])
    )
    for need in needs:
        need.item = items.get(need.item_id)
    return [need for need in needs if need.item is not None]


def training_need_detail(assessments: QuerySet[Assessment], *, item: Any) -> QuerySet[TaskRating]:
    """The people and tasks behind one knowledge or skill item's need: one query."""
    links = "task__knowledge" if isinstance(item, KnowledgeItem) else "task__skills"
    return (
        shortfall_ratings(assessments)
        .filter(**{links: item})
        .select_related("assessment__employee__department", "assessment__cycle")
        .annotate(gap=GAP)
        .order_by("-gap", "assessment__employee__employee_number", "order")
    )


def people_count(ratings: QuerySet[TaskRating]) -> int:
    """How many people the ratings belong to: one query."""
    return ratings.aggregate(people=Count("assessment__employee", distinct=True))["people"]


# -- Trends ------------------------------------------------------------------------------


@dataclass
class TrendCycle:
    cycle_id: int
    name: str
    people: int
    average_required: float
    average_own: float
    average_gap: float
    short_count: int
    rated: int


@dataclass
class TrendTask:
    code: str
    title: str
    gaps: list[float | None]


@dataclass
class Trend:
    cycles: list[TrendCycle]
    tasks: list[TrendTask]


def trend(assessments: QuerySet[Assessment]) -> Trend:
    """The gap overall and per task across successive cycles, for the submitted
    assessments of one standard version (so tasks match by code). Two queries."""
    ratings = TaskRating.objects.filter(
        assessment__in=assessments.filter(status=SUBMITTED).values("pk"),
        self_level__isnull=False,
    )
    cycles = [
        TrendCycle(
            cycle_id=c["assessment__cycle"],
            name=c["assessment__cycle__name"],
            people=c["people"],
            average_required=c["average_required"],
            average_own=c["average_own"],
            average_gap=c["average_gap"],
            short_count=c["short_count"],
            rated=c["rated"],
        )
        for c in ratings.values(
            "assessment__cycle", "assessment__cycle__name", "assessment__cycle__opens_on"
        )
        .annotate(
            people=Count("assessment__employee", distinct=True),
            average_required=Avg("required_level"),
            average_own=Avg("self_level"),
            average_gap=Avg(GAP),
            short_count=Count("pk", filter=SHORT),
            rated=Count("pk"),
        )
        .order_by("assessment__cycle__opens_on", "assessment__cycle")
    ]
    column = {c.cycle_id: index for index, c in enumerate(cycles)}
    tasks: dict[str, TrendTask] = {}
    for row in (
        ratings.values("order", "task_code", "task_title", "assessment__cycle")
        .annotate(average_gap=Avg(GAP))
        .order_by("order")
    ):
        task = tasks.setdefault(
            row["task_code"],
            TrendTask(code=row["task_code"], title=row["task_title"], gaps=[None] * len(cycles)),
        )
        task.gaps[column[row["assessment__cycle"]]] = row["average_gap"]
    return Trend(cycles=cycles, tasks=list(tasks.values()))
