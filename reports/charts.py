"""Geometry of the trends' line chart, rendered as SVG by a template.

Pure functions: the cycles lie along a time axis at their opening dates (pushed apart
where two would overlap), the levels on the own-level scale (0 to the highest level);
the template only prints the numbers computed here. The table beside the chart holds
the same figures.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from standards.levels import HIGHEST, OWN_LEVELS

from .selectors_gaps import TrendCycle

LEFT = 40
PLOT_WIDTH = 560
RIGHT = 40
TOP = 16
PLOT_HEIGHT = 180
BOTTOM = 44
# The closest two cycles' points may be, so that their date labels do not overlap.
MIN_SPACING = 84
# The lines drawn, each a figure of TrendCycle.
SERIES = ("average_required", "average_own", "average_shortfall")


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[Point, ...]

    @property
    def path(self) -> str:
        """The SVG polyline's points."""
        return " ".join(f"{point.x},{point.y}" for point in self.points)


@dataclass(frozen=True)
class AxisDate:
    x: float
    date: datetime.date
    name: str


@dataclass(frozen=True)
class Tick:
    level: int
    y: float


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    left: int
    right: int
    plot_bottom: int
    series: tuple[Series, ...]
    dates: tuple[AxisDate, ...]
    ticks: tuple[Tick, ...]


def level_y(level: float) -> float:
    """The height of a level on the chart, in SVG units (the top is the highest level)."""
    level = max(0.0, min(level, HIGHEST))
    return round(TOP + PLOT_HEIGHT - level * PLOT_HEIGHT / HIGHEST, 1)


def date_positions(dates: Sequence[datetime.date]) -> list[float]:
    """The x of each date (ascending), proportional to time, then pushed apart to at
    least MIN_SPACING and squeezed back into the plot if that overflowed it."""
    if not dates:
        return []
    if len(dates) == 1:
        return [LEFT + PLOT_WIDTH / 2]
    span = max((dates[-1] - dates[0]).days, 1)
    xs = [LEFT + (date - dates[0]).days * PLOT_WIDTH / span for date in dates]
    for index in range(1, len(xs)):
        xs[index] = max(xs[index], xs[index - 1] + MIN_SPACING)
    if xs[-1] > LEFT + PLOT_WIDTH:
        squeeze = PLOT_WIDTH / (xs[-1] - LEFT)
        xs = [LEFT + (x - LEFT) * squeeze for x in xs]
    return [round(x, 1) for x in xs]


def trend_chart(cycles: Sequence[TrendCycle]) -> TrendChart:
    """A line per figure of SERIES over `cycles` (in date order)."""
    xs = date_positions([cycle.opens_on for cycle in cycles])
    series = tuple(
        Series(
            name=name,
            points=tuple(
                Point(x=x, y=level_y(getattr(cycle, name)), value=round(getattr(cycle, name), 2))
                for x, cycle in zip(xs, cycles, strict=True)
            ),
        )
        for name in SERIES
    )
    return TrendChart(
        width=LEFT + PLOT_WIDTH + RIGHT,
        height=TOP + PLOT_HEIGHT + BOTTOM,
        left=LEFT,
        right=LEFT + PLOT_WIDTH,
        plot_bottom=TOP + PLOT_HEIGHT,
        series=series,
        dates=tuple(
            AxisDate(x=x, date=cycle.opens_on, name=cycle.name)
            for x, cycle in zip(xs, cycles, strict=True)
        ),
        ticks=tuple(Tick(level=level, y=level_y(level)) for level in OWN_LEVELS),
    )


# -- The dashboard's stage bar ---------------------------------------------------------

STAGE_BAR_WIDTH = 600
STAGE_BAR_HEIGHT = 28


@dataclass(frozen=True)
class StageSegment:
    stage: str
    count: int
    x: float
    width: float

    @property
    def label_x(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class StageChart:
    width: int
    height: int
    segments: tuple[StageSegment, ...]


def stage_chart(counts: dict[str, int]) -> StageChart:
    """One bar split by stage (pending, draft, submitted) in proportion to the counts."""
    total = sum(counts.get(stage, 0) for stage in ("pending", "draft", "submitted"))
    segments = []
    x = 0.0
    for stage in ("submitted", "draft", "pending"):
        count = counts.get(stage, 0)
        width = round(count * STAGE_BAR_WIDTH / total, 1) if total else 0.0
        segments.append(StageSegment(stage=stage, count=count, x=round(x, 1), width=width))
        x += width
    return StageChart(
        width=STAGE_BAR_WIDTH,
        height=STAGE_BAR_HEIGHT,
        segments=tuple(s for s in segments if s.count),
    )
