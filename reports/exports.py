"""CSV and XLSX downloads of the reports: the same rows and figures as the pages.

Every file is written by `common.spreadsheets.download`, the one formula-safe writer,
with an about block naming whose data it is (`about_assessment`, `about_scope`) and a
file name saying the same (`assessment_file_name`, `scope_file_name`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import tablib
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Assessment, Cycle, Department, Employee, TaskRating
from common.spreadsheets import dataset, file_name
from standards.models import Standard

from .selectors import TrainingNeed
from .selectors_gaps import Heatmap, Trend


def number(value: float | None, places: int = 2) -> float | str:
    """A figure rounded as the page shows it; blank when there is none."""
    return "" if value is None else round(value, places)


def _cycle(cycle: Cycle) -> str:
    return f"{cycle.name} ({cycle.opens_on:%Y-%m-%d} – {cycle.closes_on:%Y-%m-%d})"


def _downloaded() -> tuple[str, str]:
    return _("Downloaded"), f"{timezone.localtime():%Y-%m-%d %H:%M}"


def about_assessment(
    assessment: Assessment, figures: Iterable[tuple[str, Any]] = ()
) -> list[tuple[str, Any]]:
    """The about block of one person's download: who, department, cycle, standard,
    stage, then `figures` (label, value) and when it was downloaded."""
    employee = assessment.employee
    stage = assessment.get_stage_display()
    if assessment.submitted_at:
        stage += f" ({timezone.localtime(assessment.submitted_at):%Y-%m-%d})"
    return [
        (_("Employee"), f"{employee.name} ({employee.employee_number})"),
        (_("Department"), employee.department.name if employee.department else ""),
        (_("Cycle"), _cycle(assessment.cycle)),
        (_("Standard"), f"{assessment.standard.code} {assessment.standard.name}"),
        (_("Stage"), stage),
        *figures,
        _downloaded(),
    ]


def assessment_file_name(kind: str, assessment: Assessment) -> str:
    """`gap-E102-2026年度-AVA4322-001v4`: the kind, the person, the cycle, the standard."""
    return file_name(
        kind, assessment.employee.employee_number, assessment.cycle.name, assessment.standard.code
    )


def about_scope(
    scope: str,
    *,
    cycle: Cycle | None = None,
    standard: Standard | None = None,
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
        rows.append((_("Cycle"), _cycle(cycle)))
    if standard is not None:
        rows.append((_("Standard"), f"{standard.code} {standard.name}"))
    rows += extra
    rows.append(_downloaded())
    return rows


def scope_file_name(
    kind: str,
    *,
    cycle: Cycle | None = None,
    standard: Standard | None = None,
    department: Department | None = None,
    employee: Employee | None = None,
) -> str:
    """`heatmap-2026年度-AVA4322-001v4-D10`: the report, then what it was narrowed to."""
    return file_name(
        kind,
        employee.employee_number if employee else "",
        department.code if department else "",
        cycle.name if cycle else "",
        standard.code if standard else "",
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


def heatmap_dataset(data: Heatmap) -> tablib.Dataset:
    """One row per person, one column per task holding the gap; summaries at the ends."""
    headers = [_("Employee number"), _("Employee"), _("Department")]
    headers += [column.code for column in data.columns]
    headers += [_("Tasks short"), _("Total shortfall"), _("Average shortfall")]
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


def training_needs_dataset(needs: Iterable[TrainingNeed], *, kind_label: str) -> tablib.Dataset:
    return dataset(
        _("Training needs"),
        [
            _("Rank"),
            _("Kind"),
            _("Standard"),
            _("Code"),
            _("Name"),
            _("People short"),
            _("Tasks"),
            _("Total shortfall"),
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


def training_need_detail_dataset(ratings: Iterable[TaskRating]) -> tablib.Dataset:
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
            _("Own level"),
            _("Gap"),
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
                r.self_level,
                r.gap,
            ]
            for r in ratings
        ),
    )


def trend_dataset(data: Trend) -> tablib.Dataset:
    """Tasks down, cycles across, the average shortfall in each cell; the overall row first."""
    headers = [_("Task code"), _("Task")] + [cycle.name for cycle in data.cycles]
    rows = [
        ["", _("Overall average shortfall")] + [number(c.average_shortfall) for c in data.cycles]
    ]
    rows += [
        [task.code, task.title] + [number(value) for value in task.average_shortfalls]
        for task in data.tasks
    ]
    return dataset(_("Trends"), headers, rows)
