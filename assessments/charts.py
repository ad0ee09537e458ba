"""Geometry of the required-vs-own level bar chart, rendered as SVG by a template.

Pure functions: each row gets two horizontal bars (required level, own level) on the
own-level scale (0 to the highest level); the template only prints the numbers computed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from standards.levels import HIGHEST, OWN_LEVELS

from .scoring import gap

MAX_LEVEL = HIGHEST
LABEL_WIDTH = 64
PLOT_WIDTH = 480
TOP = 24
ROW_HEIGHT = 30
BAR_HEIGHT = 10
BOTTOM = 8


@dataclass(frozen=True)
class ChartRow:
    label: str
    title: str
    required: float
    own: float
    y: float
    required_width: float
    own_width: float

    @property
    def own_y(self) -> float:
        return self.y + BAR_HEIGHT + 1

    @property
    def label_y(self) -> float:
        return self.y + BAR_HEIGHT + 4

    @property
    def falls_short(self) -> bool:
        return gap(self.required, self.own) > 0


@dataclass(frozen=True)
class Tick:
    level: int
    x: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: int
    plot_bottom: float
    bar_height: int
    rows: tuple[ChartRow, ...]
    ticks: tuple[Tick, ...]


def scale(level: float) -> float:
    """The bar length of a level, in SVG units."""
    return round(max(0.0, min(level, MAX_LEVEL)) * PLOT_WIDTH / MAX_LEVEL, 1)


def level_chart(rows: Sequence[tuple[str, str, float, float]]) -> Chart:
    """A chart of (label, title, required level, own level) rows, top to bottom."""
    chart_rows = tuple(
        ChartRow(
            label=label,
            title=title,
            required=required,
            own=own,
            y=TOP + index * ROW_HEIGHT,
            required_width=scale(required),
            own_width=scale(own),
        )
        for index, (label, title, required, own) in enumerate(rows)
    )
    plot_bottom = TOP + len(chart_rows) * ROW_HEIGHT
    return Chart(
        width=LABEL_WIDTH + PLOT_WIDTH + 16,
        height=plot_bottom + BOTTOM,
        plot_left=LABEL_WIDTH,
        plot_bottom=plot_bottom,
        bar_height=BAR_HEIGHT,
        rows=chart_rows,
        ticks=tuple(Tick(level=level, x=LABEL_WIDTH + scale(level)) for level in OWN_LEVELS),
    )
