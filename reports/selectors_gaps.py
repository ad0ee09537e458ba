"""Reads for the heatmap and the trends: shortfalls per person, task and cycle.

Every figure is aggregated in the database with the expressions of
`assessments.scoring`; the only Python work over rating rows is laying out the
heatmap's cells from one query's rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Avg, Count, QuerySet

from assessments.models import Assessment, TaskRating
from assessments.scoring import GAP, average_shortfall, short_count, total_shortfall

from .selectors import SUBMITTED

LARGE_SHORTFALL = 3


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
    average_shortfall: float


@dataclass
class HeatmapRow:
    assessment_id: int
    employee_number: str
    name: str
    department: str
    short_count: int
    total_shortfall: int
    average_shortfall: float
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
    assessments = assessments.filter(stage=SUBMITTED)
    rows_qs = (
        assessments.values(
            "pk", "employee__employee_number", "employee__name", "employee__department__name"
        )
        .annotate(
            short_count=short_count("ratings__"),
            total_shortfall=total_shortfall("ratings__"),
            average_shortfall=average_shortfall("ratings__"),
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
            average_shortfall=a["average_shortfall"] or 0.0,
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
            short_count=short_count(),
            total_shortfall=total_shortfall(),
            average_shortfall=average_shortfall(),
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
            average_shortfall=c["average_shortfall"] or 0.0,
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


# -- Trends ------------------------------------------------------------------------------


@dataclass
class TrendCycle:
    cycle_id: int
    name: str
    people: int
    average_required: float
    average_own: float
    average_shortfall: float
    short_count: int
    rated: int


@dataclass
class TrendTask:
    code: str
    title: str
    # The task's average shortfall in each cycle; None where no one rated it.
    average_shortfalls: list[float | None]


@dataclass
class Trend:
    cycles: list[TrendCycle]
    tasks: list[TrendTask]


def trend(assessments: QuerySet[Assessment]) -> Trend:
    """The average shortfall overall and per task across successive cycles, for the submitted
    assessments of one standard version (so tasks match by code). Two queries."""
    ratings = TaskRating.objects.filter(
        assessment__in=assessments.filter(stage=SUBMITTED).values("pk"),
        self_level__isnull=False,
    )
    cycles = [
        TrendCycle(
            cycle_id=c["assessment__cycle"],
            name=c["assessment__cycle__name"],
            people=c["people"],
            average_required=c["average_required"],
            average_own=c["average_own"],
            average_shortfall=c["average_shortfall"],
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
            average_shortfall=average_shortfall(),
            short_count=short_count(),
            rated=Count("pk"),
        )
        .order_by("assessment__cycle__opens_on", "assessment__cycle")
    ]
    column = {c.cycle_id: index for index, c in enumerate(cycles)}
    tasks: dict[str, TrendTask] = {}
    for row in (
        ratings.values("order", "task_code", "task_title", "assessment__cycle")
        .annotate(average_shortfall=average_shortfall())
        .order_by("order")
    ):
        task = tasks.setdefault(
            row["task_code"],
            TrendTask(
                code=row["task_code"],
                title=row["task_title"],
                average_shortfalls=[None] * len(cycles),
            ),
        )
        task.average_shortfalls[column[row["assessment__cycle"]]] = row["average_shortfall"]
    return Trend(cycles=cycles, tasks=list(tasks.values()))
