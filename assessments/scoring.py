"""Scoring a self-assessment: the one home of every gap measure.

The *gap* (落差) of a task is its required level minus the employee's own level:
positive falls short, negative is above the requirement, zero a task met exactly; every
page writes it signed ("+2", "−1", "0"). A task *meets* its level when the gap is zero
or negative. Its *shortfall* (不足) is the gap where positive, else 0; its *surplus*
(超出) the levels above the requirement, else 0. The *average shortfall* (平均不足) of a
group of tasks is the mean shortfall over its rated tasks, so a level above the
requirement never hides a shortfall elsewhere; the *total shortfall* (不足總和) is their
sum. No page shows a net average of gaps, where surpluses would cancel shortfalls.

The pure functions score plain numbers; the expressions at the end say the same in SQL
for the reports that aggregate in the database, so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import (
    Avg,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Sum,
    TextChoices,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

LARGEST_SHORTFALLS = 3
# The one-line definition every page and download showing these measures carries.
MEASURES = _(
    "Gap = required − own level (+ short, − above); shortfall = the gap where positive, "
    "else 0; average shortfall = the mean shortfall of the rated tasks, so a level above "
    "the requirement never offsets a shortfall elsewhere."
)
Number = TypeVar("Number", int, float)


def gap(required: Number, self_level: Number) -> Number:
    """Required minus self-rated level: > 0 falls short, < 0 exceeds (levels, or their
    averages)."""
    return required - self_level


def shortfall(required: int, self_level: int) -> int:
    """How many levels short of the requirement: the gap where positive, else 0."""
    return max(gap(required, self_level), 0)


def surplus(required: int, self_level: int) -> int:
    """How many levels above the requirement: minus the gap where negative, else 0."""
    return max(-gap(required, self_level), 0)


def signed_gap(value: int | None) -> str:
    """A gap as every page shows it: "+2" short, "−1" (a minus sign) above, "0" met,
    "" for a task not rated."""
    if value is None:
        return ""
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"\u2212{-value}"
    return "0"


@dataclass(frozen=True)
class TaskScore:
    duty_code: str
    duty_title: str
    code: str
    title: str
    required: int
    own: int

    @classmethod
    def of_rating(cls, rating: Any, own: int) -> TaskScore:
        """The score of a stored rating (its copied task fields) at level `own`: the
        employee's own level, or the manager's."""
        return cls(
            duty_code=rating.duty_code,
            duty_title=rating.duty_title,
            code=rating.task_code,
            title=rating.task_title,
            required=rating.required_level,
            own=own,
        )

    @property
    def gap(self) -> int:
        return gap(self.required, self.own)

    @property
    def shortfall(self) -> int:
        return shortfall(self.required, self.own)

    @property
    def surplus(self) -> int:
        return surplus(self.required, self.own)

    @property
    def meets(self) -> bool:
        return self.gap <= 0


@dataclass(frozen=True)
class Summary:
    """Scores of a group of tasks: one duty, or the whole assessment."""

    code: str
    title: str
    tasks: tuple[TaskScore, ...]

    @property
    def task_count(self) -> int:
        return len(self.tasks)

    @property
    def meeting(self) -> int:
        """How many tasks meet their required level."""
        return sum(1 for task in self.tasks if task.meets)

    @property
    def share_met(self) -> float:
        """The share (0–1) of tasks meeting their level; 0 for an empty group."""
        return self.meeting / self.task_count if self.tasks else 0.0

    @property
    def average_shortfall(self) -> float:
        """The mean shortfall over all tasks of the group, a met task counting as 0."""
        return sum(task.shortfall for task in self.tasks) / self.task_count if self.tasks else 0.0

    @property
    def average_required(self) -> float:
        return sum(task.required for task in self.tasks) / self.task_count if self.tasks else 0.0

    @property
    def average_own(self) -> float:
        return sum(task.own for task in self.tasks) / self.task_count if self.tasks else 0.0

    @property
    def largest_shortfalls(self) -> list[TaskScore]:
        """Up to three tasks falling furthest short, biggest first, then in document order."""
        short = [task for task in self.tasks if task.shortfall > 0]
        return sorted(short, key=lambda task: -task.shortfall)[:LARGEST_SHORTFALLS]


def summarise(tasks: Iterable[TaskScore], *, code: str = "", title: str = "") -> Summary:
    """A summary of the given task scores."""
    return Summary(code=code, title=title, tasks=tuple(tasks))


def summarise_by_duty(tasks: Sequence[TaskScore]) -> list[Summary]:
    """One summary per duty, in the order the duties first appear."""
    duties: dict[str, list[TaskScore]] = {}
    titles: dict[str, str] = {}
    for task in tasks:
        duties.setdefault(task.duty_code, []).append(task)
        titles.setdefault(task.duty_code, task.duty_title)
    return [summarise(scores, code=code, title=titles[code]) for code, scores in duties.items()]


# -- The same measures in SQL, on TaskRating rows ------------------------------------------
# Each takes the path from the queried model to the rating (`"ratings__"` from an
# Assessment, `""` on TaskRating itself) and the source of the level scored against the
# requirement (`LevelSource`). An unrated task has no gap and no shortfall (NULL), so
# averages run over the rated tasks only, as `Summary` does.


class LevelSource(TextChoices):
    """Whose level the team reports score: the employee's own, the manager's from their
    review, or the manager's where they gave one for the task and the own level elsewhere.
    """

    SELF = "self", _("Own levels")
    MANAGER = "manager", _("Manager's levels")
    REVIEWED = "reviewed", _("Manager's where reviewed, else own")


# The heading of the column holding the level scored, per source.
LEVEL_HEADINGS = {
    LevelSource.SELF: _("Own level"),
    LevelSource.MANAGER: _("Manager's level"),
    LevelSource.REVIEWED: _("Level (manager's where reviewed, else own)"),
}


def level_expression(path: str = "", source: str = LevelSource.SELF) -> Any:
    """The level a task is scored at under `source`; NULL where that source has none."""
    own = F(f"{path}self_level")
    manager = F(f"{path}manager_rating__level")
    if source == LevelSource.MANAGER:
        return manager
    if source == LevelSource.REVIEWED:
        return Coalesce(manager, own)
    return own


def is_rated(path: str = "", source: str = LevelSource.SELF) -> Q:
    """The tasks that have a level under `source`."""
    own = Q(**{f"{path}self_level__isnull": False})
    manager = Q(**{f"{path}manager_rating__level__isnull": False})
    if source == LevelSource.MANAGER:
        return manager
    if source == LevelSource.REVIEWED:
        return manager | own
    return own


def falls_short(path: str = "", source: str = LevelSource.SELF) -> Q:
    """The rated tasks whose level (under `source`) is below the required level.

    Plain lookups rather than a comparison of expressions, so that a filter over a
    multi-valued relation (the training needs) joins each rating once."""
    required = F(f"{path}required_level")
    own = Q(**{f"{path}self_level__lt": required})
    manager = Q(**{f"{path}manager_rating__level__lt": required})
    if source == LevelSource.MANAGER:
        return manager
    if source == LevelSource.REVIEWED:
        return manager | (Q(**{f"{path}manager_rating__level__isnull": True}) & own)
    return own


def gap_expression(path: str = "", source: str = LevelSource.SELF) -> ExpressionWrapper:
    """Required minus the level under `source`; NULL for a task not rated."""
    return ExpressionWrapper(
        F(f"{path}required_level") - level_expression(path, source), output_field=IntegerField()
    )


def shortfall_expression(path: str = "", source: str = LevelSource.SELF) -> Case:
    """The gap where positive, 0 for a task met or exceeded, NULL for one not rated."""
    return Case(
        When(falls_short(path, source), then=gap_expression(path, source)),
        When(is_rated(path, source), then=Value(0)),
        default=None,
        output_field=IntegerField(),
    )


def short_count(path: str = "", source: str = LevelSource.SELF) -> Count:
    """How many rated tasks fall short."""
    return Count(f"{path}pk" if path else "pk", filter=falls_short(path, source))


def total_shortfall(path: str = "", source: str = LevelSource.SELF) -> Sum:
    """The sum of the shortfalls, 0 where none falls short."""
    return Sum(shortfall_expression(path, source), default=0)


def average_shortfall(path: str = "", source: str = LevelSource.SELF) -> Avg:
    """The mean shortfall over the rated tasks (平均不足), None where none is rated."""
    return Avg(shortfall_expression(path, source))


GAP = gap_expression()
SHORT = falls_short()
