"""What heads and names one person's download, whichever app writes it (the gap report,
the shared review, the development plan): the about block and the file name that
`common.spreadsheets.download` puts above the table and on the file."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from common.spreadsheets import file_name

from .models import Assessment, Cycle


def cycle_label(cycle: Cycle) -> str:
    return f"{cycle.name} ({cycle.opens_on:%Y-%m-%d} – {cycle.closes_on:%Y-%m-%d})"


def downloaded() -> tuple[str, str]:
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
        (_("Cycle"), cycle_label(assessment.cycle)),
        (_("Standard"), f"{assessment.standard.code} {assessment.standard.name}"),
        (_("Stage"), stage),
        *figures,
        downloaded(),
    ]


def assessment_file_name(kind: str, assessment: Assessment) -> str:
    """`gap-E102-2026年度-AVA4322-001v4`: the kind, the person, the cycle, the standard."""
    return file_name(
        kind, assessment.employee.employee_number, assessment.cycle.name, assessment.standard.code
    )
