"""Reads for the heatmap and the trends: shortfalls per person, task and cycle.

Every figure is aggregated in the database with the expressions of
`assessments.scoring`; the only Python work over rating rows is laying out the
heatmap's cells from one query's rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import Aggregate, Avg, Count, F, Max, Min, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext as _

from assessments.models import Assessment, TaskRating
from assessments.scoring import (
    LevelSource,
    average_shortfall,
    gap,
    is_rated,
    level_expression,
    short_count,
    total_shortfall,
)
from standards.comparison import TaskRef, match_tasks

from .selectors import SUBMITTED

LARGE_SHORTFALL = 3


def scored_assessments(
    assessments: QuerySet[Assessment], source: str = LevelSource.SELF
) -> QuerySet[Assessment]:
    """The submitted assessments that have levels under `source`: with the manager's
    levels, only those a manager has reviewed."""
    assessments = assessments.filter(stage=SUBMITTED)
    if source == LevelSource.MANAGER:
        assessments = assessments.filter(review__isnull=False)
    return assessments


def scored_ratings(
    assessments: QuerySet[Assessment], source: str = LevelSource.SELF
) -> QuerySet[TaskRating]:
    """The ratings of `assessments` that have a level under `source`."""
    return TaskRating.objects.filter(
        is_rated(source=source), assessment__in=assessments.values("pk")
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


class TaskLevels(Aggregate):
    """The tasks of a group as one text, `order:required:level` per task, comma-separated
    in no particular order: a thousand people's cells come as a thousand strings rather
    than thirty thousand rows (whose tuples alone keep Python's garbage collector busy)."""

    function = "STRING_AGG"
    template = "%(function)s(%(distinct)s%(expressions)s, ',')"
    output_field = TextField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def task_levels(path: str = "", source: str = LevelSource.SELF) -> TaskLevels:
    """The rated tasks of a group (`TaskLevels`) at the levels of `source`."""
    text = Concat(
        F(f"{path}order"),
        Value(":"),
        F(f"{path}required_level"),
        Value(":"),
        level_expression(path, source),
        output_field=TextField(),
    )
    return TaskLevels(text, filter=is_rated(path, source))


def heatmap(
    assessments: QuerySet[Assessment],
    *,
    row_order: str = "person",
    column_order: str = "task",
    only_shortfalls: bool = False,
    source: str = LevelSource.SELF,
) -> Heatmap:
    """Employees × tasks of submitted assessments (one cycle, one standard version),
    scored at the levels of `source`.

    Two queries: the rows with their summaries and their cells' levels (`task_levels`),
    and the columns with theirs.
    """
    assessments = scored_assessments(assessments, source)
    rows_qs = (
        assessments.values(
            "pk", "employee__employee_number", "employee__name", "employee__department__name"
        )
        .annotate(
            short_count=short_count("ratings__", source),
            total_shortfall=total_shortfall("ratings__", source),
            average_shortfall=average_shortfall("ratings__", source),
            levels=task_levels("ratings__", source),
        )
        .order_by(*ROW_ORDER.get(row_order, ROW_ORDER["person"]))
    )
    if only_shortfalls:
        rows_qs = rows_qs.filter(short_count__gt=0)
    columns_qs = (
        scored_ratings(assessments, source)
        .values("order", "duty_code", "task_code", "task_title", "required_level")
        .annotate(
            people=Count("pk"),
            short_count=short_count(source=source),
            total_shortfall=total_shortfall(source=source),
            average_shortfall=average_shortfall(source=source),
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
    # Each distinct `order:required:level` text read once: (column index, cell), or None
    # for a task whose column is not shown. A standard has a few hundred at most.
    placed: dict[str, tuple[int, Cell] | None] = {}

    def place(text: str) -> tuple[int, Cell] | None:
        order, required, own = (int(part) for part in text.split(":"))
        if order not in position:
            return None
        return position[order], Cell(required, own, gap(required, own))

    rows = []
    for pk, number, name, department, short, total, average, levels in rows_qs.values_list(
        "pk",
        "employee__employee_number",
        "employee__name",
        "employee__department__name",
        "short_count",
        "total_shortfall",
        "average_shortfall",
        "levels",
    ):
        cells: list[Cell | None] = [None] * len(columns)
        for text in levels.split(",") if levels else ():
            found = placed.get(text, False)
            if found is False:
                found = placed[text] = place(text)
            if found is not None:
                cells[found[0]] = found[1]
        rows.append(
            HeatmapRow(
                assessment_id=pk,
                employee_number=number,
                name=name,
                department=department or "",
                short_count=short,
                total_shortfall=total,
                average_shortfall=average or 0.0,
                cells=cells,
            )
        )
    return Heatmap(columns=columns, rows=rows)


# -- Trends ------------------------------------------------------------------------------


@dataclass
class TrendCycle:
    cycle_id: int
    name: str
    opens_on: datetime.date
    closes_on: datetime.date
    # The standard's version numbers the cycle's assessments used (one, or a range).
    first_version: int
    last_version: int
    people: int
    average_required: float
    average_own: float
    average_shortfall: float
    short_count: int
    rated: int

    @property
    def versions(self) -> str:
        if self.first_version == self.last_version:
            return f"v{self.first_version}"
        return f"v{self.first_version}–v{self.last_version}"


@dataclass(frozen=True)
class TaskChange:
    """What a new version changed about a task: `kind` is added, removed, retitled or
    level; `old` and `new` are the titles or required levels."""

    version: int
    kind: str
    old: str = ""
    new: str = ""

    def __str__(self) -> str:
        if self.kind == "added":
            change = _("new task")
        elif self.kind == "removed":
            change = _("no longer in the standard")
        elif self.kind == "level":
            change = _("required level %(old)s → %(new)s") % {"old": self.old, "new": self.new}
        else:
            change = _("retitled (was “%(old)s”)") % {"old": self.old}
        return f"v{self.version}: {change}"


@dataclass
class TrendTask:
    code: str
    title: str
    # The task's average shortfall in each cycle; None where no one rated it.
    average_shortfalls: list[float | None]
    changes: list[TaskChange] = field(default_factory=list)


@dataclass
class Trend:
    cycles: list[TrendCycle]
    tasks: list[TrendTask]


def trend(assessments: QuerySet[Assessment], *, source: str = LevelSource.SELF) -> Trend:
    """The average shortfall overall and per task across successive cycles, for the
    submitted assessments of one standard's versions, scored at the levels of `source`.

    A task continues across versions when its code is the same (`match_tasks`, the rule
    of the version comparison); what a version changed about it is in its `changes`.
    Three queries: per cycle, per task and cycle, and each version's tasks.
    """
    ratings = scored_ratings(scored_assessments(assessments, source), source)
    cycles = [
        TrendCycle(
            cycle_id=c["assessment__cycle"],
            name=c["assessment__cycle__name"],
            opens_on=c["assessment__cycle__opens_on"],
            closes_on=c["assessment__cycle__closes_on"],
            first_version=c["first_version"],
            last_version=c["last_version"],
            people=c["people"],
            average_required=c["average_required"],
            average_own=c["average_own"],
            average_shortfall=c["average_shortfall"],
            short_count=c["short_count"],
            rated=c["rated"],
        )
        for c in ratings.values(
            "assessment__cycle",
            "assessment__cycle__name",
            "assessment__cycle__opens_on",
            "assessment__cycle__closes_on",
        )
        .annotate(
            first_version=Min("assessment__standard__version_number"),
            last_version=Max("assessment__standard__version_number"),
            people=Count("assessment__employee", distinct=True),
            average_required=Avg("required_level"),
            average_own=Avg(level_expression(source=source)),
            average_shortfall=average_shortfall(source=source),
            short_count=short_count(source=source),
            rated=Count("pk"),
        )
        .order_by("assessment__cycle__opens_on", "assessment__cycle")
    ]
    column = {c.cycle_id: index for index, c in enumerate(cycles)}
    tasks = _trend_tasks(ratings, len(cycles))
    for row in (
        ratings.values("task_code", "assessment__cycle")
        .annotate(average_shortfall=average_shortfall(source=source))
        .order_by()
    ):
        tasks[row["task_code"]].average_shortfalls[column[row["assessment__cycle"]]] = row[
            "average_shortfall"
        ]
    return Trend(cycles=cycles, tasks=list(tasks.values()))


def _trend_tasks(ratings: QuerySet[TaskRating], cycle_count: int) -> dict[str, TrendTask]:
    """The tasks of every version rated, matched by code: the newest version's tasks in
    its order, then those it no longer has; each with what the versions changed."""
    versions: dict[int, dict[str, TaskRef]] = {}
    order: dict[str, tuple[int, int]] = {}
    for version, code, title, level, position in (
        ratings.values_list(
            "assessment__standard__version_number",
            "task_code",
            "task_title",
            "required_level",
            "order",
        )
        .distinct()
        .order_by("assessment__standard__version_number", "order")
    ):
        versions.setdefault(version, {})[code] = TaskRef(code=code, title=title, level=level)
        order[code] = (-version, position)
    tasks: dict[str, TrendTask] = {}
    for code in sorted(order, key=order.__getitem__):
        latest = next(v[code] for _, v in sorted(versions.items(), reverse=True) if code in v)
        tasks[code] = TrendTask(
            code=code, title=latest.title, average_shortfalls=[None] * cycle_count
        )
    numbers = sorted(versions)
    for old, new in zip(numbers, numbers[1:], strict=False):
        match = match_tasks(versions[old], versions[new])
        for task in match.added:
            tasks[task.code].changes.append(TaskChange(new, "added"))
        for task in match.removed:
            tasks[task.code].changes.append(TaskChange(new, "removed"))
        for retitled in match.retitled:
            tasks[retitled.code].changes.append(
                TaskChange(new, "retitled", retitled.old_title, retitled.new_title)
            )
        for change in match.level_changes:
            tasks[change.code].changes.append(
                TaskChange(new, "level", str(change.old_level), str(change.new_level))
            )
    return tasks
