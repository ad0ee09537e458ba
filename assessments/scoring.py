"""Scoring a self-assessment: pure functions over plain numbers, no database.

The gap of a task is its required level minus the employee's own level: positive is a
shortfall, negative an excess, zero a task met exactly. A task *meets* its level when
the gap is zero or negative.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

LARGEST_SHORTFALLS = 3


def gap(required: int, self_level: int) -> int:
    """Required minus self-rated level: > 0 falls short, < 0 exceeds."""
    return required - self_level


@dataclass(frozen=True)
class TaskScore:
    duty_code: str
    duty_title: str
    code: str
    title: str
    required: int
    own: int

    @property
    def gap(self) -> int:
        return gap(self.required, self.own)

    @property
    def shortfall(self) -> int:
        return max(self.gap, 0)

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
