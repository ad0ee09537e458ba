"""CSV and XLSX downloads of the reports: the same rows and figures as the pages.

Every file is written by `common.spreadsheets.download`, the one formula-safe writer,
with an about block naming whose data it is (`about_scope` here, one person's
`assessments.downloads.about_assessment`) and a file name saying the same
(`scope_file_name`, `assessment_file_name`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import tablib
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.downloads import cycle_label, downloaded
from assessments.models import Assessment, Cycle, Department, Employee, TaskRating
from assessments.scoring import LEVEL_HEADINGS, LevelSource
from common.spreadsheets import dataset, file_name
from standards.models import Standard

from .selectors import TrainingNeed
from .selectors_calibration import Calibration
from .selectors_gaps import Heatmap, Trend

CHANGES_HEADING = gettext_lazy("Changes between versions")


def scored(heading: str, source: str) -> str:
    """A figure's column heading naming the levels it was scored at."""
    return f"{heading} ({LevelSource(source).label})"


def number(value: float | None, places: int = 2) -> float | str:
    """A figure rounded as the page shows it; blank when there is none."""
    return "" if value is None else round(value, places)


def about_scope(
    scope: str,
    *,
    cycle: Cycle | None = None,
    standard: Standard | None = None,
    family: str | None = None,
    department: Department | None = None,
    employee: Employee | None = None,
    extra: Iterable[tuple[str, Any]] = (),
) -> list[tuple[str, Any]]:
    """The about block of a team report's download: whose data (`scope`, narrowed to a
    department or one person), the cycle and standard where the report has one, then
    `extra` (label, value)."""
    rows: list[tuple[str, Any]] = [(_("People in the report"), scope)]
    if department is not None:
        rows.append((_("Department"), department.name))
    if employee is not None:
        rows.append((_("Employee"), f"{employee.name} ({employee.employee_number})"))
    if cycle is not None:
        rows.append((_("Cycle"), cycle_label(cycle)))
    if standard is not None:
        rows.append((_("Standard"), f"{standard.code} {standard.name}"))
    if family:
        rows.append((_("Standard (every version)"), family))
    rows += extra
    rows.append(downloaded())
    return rows


def scope_file_name(
    kind: str,
    *,
    cycle: Cycle | None = None,
    standard: Standard | None = None,
    family: str | None = None,
    department: Department | None = None,
    employee: Employee | None = None,
) -> str:
    """`heatmap-2026年度-AVA4322-001v4-D10`: the report, then what it was narrowed to."""
    return file_name(
        kind,
        employee.employee_number if employee else "",
        department.code if department else "",
        cycle.name if cycle else "",
        standard.code if standard else family or "",
    )


def dashboard_dataset(assessments: Iterable[Assessment]) -> tablib.Dataset:
    return dataset(
        _("Team"),
        [
            _("Employee number"),
            _("Employee"),
            _("Department"),
            _("Standard"),
            _("Stage"),
            _("Tasks rated"),
            _("Tasks"),
            _("Tasks short"),
            _("Plan items"),
            _("Plan items done"),
            _("Completion (%)"),
        ],
        (
            [
                a.employee.employee_number,
                a.employee.name,
                a.employee.department.name if a.employee.department else "",
                a.standard.code,
                a.get_stage_display(),
                a.rated,
                a.task_count,
                a.short if a.is_submitted else "",
                a.plan_items,
                a.plan_done,
                round(100 * a.rated / a.task_count) if a.task_count else 0,
            ]
            for a in assessments
        ),
    )


def person_dataset(rows: Iterable[dict[str, Any]]) -> tablib.Dataset:
    """One row per task: levels and gaps side by side, then the employee's evidence."""
    return dataset(
        _("Gap report"),
        [
            _("Duty"),
            _("Task code"),
            _("Task"),
            _("Required level"),
            _("Own level"),
            _("Gap (own)"),
            _("Manager's level"),
            _("Gap (manager)"),
            _("Differs"),
            _("Manager's note"),
            _("Behaviour indicators done"),
            _("Comment or evidence"),
            _("Evidence files"),
        ],
        (
            [
                row["rating"].duty_code,
                row["rating"].task_code,
                row["rating"].task_title,
                row["rating"].required_level,
                row["rating"].self_level,
                row["self_gap"],
                "" if row["manager_level"] is None else row["manager_level"],
                "" if row["manager_gap"] is None else row["manager_gap"],
                _("yes") if row["differs"] else "",
                row["note"],
                row["evidence"].indicators_summary(),
                row["evidence"].comment,
                row["evidence"].files_summary(),
            ]
            for row in rows
        ),
    )


def heatmap_dataset(data: Heatmap, *, source: str = LevelSource.SELF) -> tablib.Dataset:
    """One row per person, one column per task holding the gap; summaries at the ends.
    The headings name the levels scored."""
    headers = [_("Employee number"), _("Employee"), _("Department")]
    headers += [scored(f"{column.code} {column.title}", source) for column in data.columns]
    headers += [
        scored(heading, source)
        for heading in (_("Tasks short"), _("Total shortfall"), _("Average shortfall"))
    ]
    rows = [
        [row.employee_number, row.name, row.department]
        + ["" if cell is None else cell.gap for cell in row.cells]
        + [row.short_count, row.total_shortfall, number(row.average_shortfall)]
        for row in data.rows
    ]
    rows.append(["", _("People short"), ""] + [c.short_count for c in data.columns] + ["", "", ""])
    rows.append(
        ["", _("Average shortfall"), ""]
        + [number(c.average_shortfall) for c in data.columns]
        + ["", "", ""]
    )
    return dataset(_("Heatmap"), headers, rows)


def training_needs_dataset(
    needs: Iterable[TrainingNeed], *, kind_label: str, source: str = LevelSource.SELF
) -> tablib.Dataset:
    return dataset(
        _("Training needs"),
        [
            _("Rank"),
            _("Kind"),
            _("Standard"),
            _("Code"),
            _("Name"),
            scored(_("People short"), source),
            _("Tasks"),
            scored(_("Total shortfall"), source),
        ],
        (
            [
                need.rank,
                kind_label,
                need.item.standard.code,
                need.item.code,
                need.item.name,
                need.people,
                need.task_count,
                need.total_shortfall,
            ]
            for need in needs
        ),
    )


def training_need_detail_dataset(
    ratings: Iterable[TaskRating], *, source: str = LevelSource.SELF
) -> tablib.Dataset:
    return dataset(
        _("Training need"),
        [
            _("Employee number"),
            _("Employee"),
            _("Department"),
            _("Cycle"),
            _("Task code"),
            _("Task"),
            _("Required level"),
            str(LEVEL_HEADINGS[source]),
            scored(_("Gap"), source),
        ],
        (
            [
                r.assessment.employee.employee_number,
                r.assessment.employee.name,
                r.assessment.employee.department.name if r.assessment.employee.department else "",
                r.assessment.cycle.name,
                r.task_code,
                r.task_title,
                r.required_level,
                r.level,
                r.gap,
            ]
            for r in ratings
        ),
    )


def trend_dataset(data: Trend, *, source: str = LevelSource.SELF) -> tablib.Dataset:
    """Tasks down, cycles across (named with their dates and versions), the average
    shortfall in each cell; the overall row first. The headings name the levels scored."""
    headers = [_("Task code"), _("Task")] + [
        scored(f"{c.name} {c.opens_on.isoformat()}–{c.closes_on.isoformat()} {c.versions}", source)
        for c in data.cycles
    ]
    headers.append(str(CHANGES_HEADING))
    rows = [
        ["", _("Overall average shortfall")]
        + [number(c.average_shortfall) for c in data.cycles]
        + [""]
    ]
    rows += [
        [task.code, task.title]
        + [number(value) for value in task.average_shortfalls]
        + ["; ".join(str(change) for change in task.changes)]
        for task in data.tasks
    ]
    return dataset(_("Trends"), headers, rows)


def calibration_dataset(data: Calibration) -> tablib.Dataset:
    """Everyone, each reviewer and each department with the distributions of the two
    levels and the differences; then the tasks where the two levels differ most."""
    level_headers = [_("Own level %(level)s") % {"level": level} for level in range(7)]
    level_headers += [_("Manager's level %(level)s") % {"level": level} for level in range(7)]
    headers = [
        _("Grouped by"),
        _("Name or task"),
        _("People"),
        _("Tasks rated by both"),
        _("Mean difference (manager − own)"),
        _("Spread of the difference"),
        _("Share differing by 2 or more"),
        *level_headers,
    ]
    rows = []
    for label, group in [
        (_("Everyone"), [data.overall]),
        (_("Reviewer"), data.by_reviewer),
        (_("Department"), data.by_department),
    ]:
        rows += [
            [
                label,
                row.name,
                row.people,
                row.pairs,
                number(row.mean_difference),
                number(row.spread),
                number(row.wide_share),
                *row.own_counts,
                *row.manager_counts,
            ]
            for row in group
        ]
    rows += [
        [
            _("Task"),
            f"{task.task_code} {task.task_title}",
            "",
            task.pairs,
            number(task.mean_difference),
            "",
            number(task.wide / task.pairs if task.pairs else None),
            *[""] * len(level_headers),
        ]
        for task in data.tasks
    ]
    return dataset(_("Calibration"), headers, rows)
