"""Calibration: how the managers' levels compare with the employees' own, per reviewer,
per department and per task, for one cycle and standard version."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .exports import calibration_dataset
from .selectors_calibration import WIDE_DIFFERENCE, CalibrationRow, calibration
from .views import (
    cycle_standard_defaults,
    export_format,
    filtered,
    render_report,
    report_download,
    report_viewer,
)

# The chart's axis runs from −AXIS to +AXIS levels; a mean beyond it is drawn at the end.
AXIS = 3
CHART_WIDTH = 480
CHART_LEFT = 200
ROW_HEIGHT = 28


@dataclass(frozen=True)
class DifferenceBar:
    """One reviewer's mean difference as a bar from the zero line, with its spread."""

    row: CalibrationRow
    y: int
    x: float
    width: float
    low: float
    high: float

    @property
    def lenient(self) -> bool:
        return (self.row.mean_difference or 0) > 0


def _x(value: float) -> float:
    clamped = max(-AXIS, min(AXIS, value))
    return round(CHART_LEFT + (clamped + AXIS) * CHART_WIDTH / (2 * AXIS), 1)


def difference_bars(rows: list[CalibrationRow]) -> list[DifferenceBar]:
    """Chart geometry for the reviewers' mean differences (manager − own)."""
    zero = _x(0)
    bars = []
    for index, row in enumerate(r for r in rows if r.mean_difference is not None):
        mean, spread = row.mean_difference, row.spread or 0.0
        end = _x(mean)
        bars.append(
            DifferenceBar(
                row=row,
                y=24 + index * ROW_HEIGHT,
                x=min(zero, end),
                width=abs(end - zero),
                low=_x(mean - spread),
                high=_x(mean + spread),
            )
        )
    return bars


@login_required
def calibration_report(request: HttpRequest) -> HttpResponse:
    """Reviewers' and departments' levels against the own levels, and the tasks whose
    two levels differ most. HR sees everyone; a manager the reviews of their team."""
    viewer = report_viewer(request)
    filterset = filtered(
        request,
        viewer,
        ["cycle", "standard", "department"],
        cycle_standard_defaults(request, viewer),
    )
    data = filterset.form.cleaned_data
    ready = data.get("cycle") is not None and data.get("standard") is not None
    result = calibration(
        filterset.qs if ready else viewer.assessments().none(),
        overall_name=_("Everyone in scope"),
    )
    if fmt := export_format(request):
        return report_download(
            calibration_dataset(result), fmt=fmt, kind="calibration", viewer=viewer, filters=data
        )
    bars = difference_bars(result.by_reviewer)
    return render_report(
        request,
        "reports/calibration.html",
        {
            "filter": filterset,
            "calibration": result,
            "bars": bars,
            "chart_height": 24 + len(bars) * ROW_HEIGHT + 24,
            "chart_width": CHART_LEFT + CHART_WIDTH + 20,
            "axis": [(level, _x(level)) for level in range(-AXIS, AXIS + 1)],
            "zero_x": _x(0),
            "wide_difference": WIDE_DIFFERENCE,
        },
        viewer,
    )
