"""What changed between two versions of a standard, worked out from their interchange forms.

Pure functions over the dictionaries `services.standard_export` returns: tasks are
matched by code (`match_tasks`, which the trends across versions use too), indicators
by text within a matched task, and knowledge and skill items by name (their codes are
local to one document and may be renumbered).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Document = dict[str, Any]


@dataclass
class TaskRef:
    code: str
    title: str
    level: int | None


@dataclass
class RetitledTask:
    code: str
    old_title: str
    new_title: str


@dataclass
class LevelChange:
    code: str
    title: str
    old_level: int | None
    new_level: int | None


@dataclass
class IndicatorChanges:
    """Indicators added to and removed from one task present in both versions."""

    task: TaskRef
    added: list[dict[str, str]] = field(default_factory=list)
    removed: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Comparison:
    old_code: str
    new_code: str
    tasks_added: list[TaskRef] = field(default_factory=list)
    tasks_removed: list[TaskRef] = field(default_factory=list)
    tasks_retitled: list[RetitledTask] = field(default_factory=list)
    level_changes: list[LevelChange] = field(default_factory=list)
    indicators: list[IndicatorChanges] = field(default_factory=list)
    knowledge_added: list[dict[str, str]] = field(default_factory=list)
    knowledge_removed: list[dict[str, str]] = field(default_factory=list)
    skills_added: list[dict[str, str]] = field(default_factory=list)
    skills_removed: list[dict[str, str]] = field(default_factory=list)

    @property
    def indicators_added(self) -> int:
        return sum(len(change.added) for change in self.indicators)

    @property
    def indicators_removed(self) -> int:
        return sum(len(change.removed) for change in self.indicators)

    @property
    def is_empty(self) -> bool:
        return not (
            self.tasks_added
            or self.tasks_removed
            or self.tasks_retitled
            or self.level_changes
            or self.indicators
            or self.knowledge_added
            or self.knowledge_removed
            or self.skills_added
            or self.skills_removed
        )


@dataclass
class TaskMatch:
    """How the tasks of two versions correspond: the same task has the same code."""

    added: list[TaskRef] = field(default_factory=list)
    removed: list[TaskRef] = field(default_factory=list)
    retitled: list[RetitledTask] = field(default_factory=list)
    level_changes: list[LevelChange] = field(default_factory=list)


def match_tasks(old: dict[str, TaskRef], new: dict[str, TaskRef]) -> TaskMatch:
    """The tasks of `new` matched with those of `old` (both keyed by code): which were
    added, removed, retitled or given another required level. The one rule for which
    tasks are the same across versions, used by the comparison page and the trends."""
    match = TaskMatch(
        added=[task for code, task in new.items() if code not in old],
        removed=[task for code, task in old.items() if code not in new],
    )
    for code, task in new.items():
        before = old.get(code)
        if before is None:
            continue
        if before.title != task.title:
            match.retitled.append(RetitledTask(code, before.title, task.title))
        if before.level != task.level:
            match.level_changes.append(LevelChange(code, task.title, before.level, task.level))
    return match


def compare_documents(old: Document, new: Document) -> Comparison:
    """The changes from `old` to `new`, both in the interchange form."""
    old_tasks = _tasks(old)
    new_tasks = _tasks(new)
    comparison = Comparison(old_code=old["code"], new_code=new["code"])
    match = match_tasks(
        {code: _ref(task) for code, task in old_tasks.items()},
        {code: _ref(task) for code, task in new_tasks.items()},
    )
    comparison.tasks_added = match.added
    comparison.tasks_removed = match.removed
    comparison.tasks_retitled = match.retitled
    comparison.level_changes = match.level_changes
    for code, task in new_tasks.items():
        before = old_tasks.get(code)
        if before is None:
            continue
        added, removed = _difference(before["indicators"], task["indicators"], key="text")
        if added or removed:
            comparison.indicators.append(IndicatorChanges(_ref(task), added, removed))
    comparison.knowledge_added, comparison.knowledge_removed = _difference(
        old["knowledge"], new["knowledge"], key="name"
    )
    comparison.skills_added, comparison.skills_removed = _difference(
        old["skills"], new["skills"], key="name"
    )
    return comparison


def _tasks(document: Document) -> dict[str, dict[str, Any]]:
    return {task["code"]: task for duty in document["duties"] for task in duty["tasks"]}


def _ref(task: dict[str, Any]) -> TaskRef:
    return TaskRef(code=task["code"], title=task["title"], level=task["level"])


def _difference(
    old: list[dict[str, Any]], new: list[dict[str, Any]], *, key: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Entries of `new` whose `key` `old` lacks, and entries of `old` that `new` lacks."""
    old_keys = {entry[key] for entry in old}
    new_keys = {entry[key] for entry in new}
    added = [entry for entry in new if entry[key] not in old_keys]
    removed = [entry for entry in old if entry[key] not in new_keys]
    return added, removed
