"""The consistency check of a parsed document: what would make it impossible to store.

The one document writer (`standards.services`) trusts this check instead of asking the
database row by row, and the JSON reader uses it to point at the line of a problem.
Pure Python over the parsed dataclasses: no ORM.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .codes import code_error, code_reason, task_code_reason
from .levels import HIGHEST, LOWEST, is_level
from .parsing import ParsedStandard
from .parsing.document import filled, gettext_noop

# Each problem is a marked template (gettext_noop), shown in the reader's language.
BASE_LEVEL = gettext_noop(
    "the base level must be a whole number from {lowest} to {highest}, not {level}"
)
TASK_LEVEL = gettext_noop(
    "task {task}: the level must be a whole number from {lowest} to {highest}, not {level}"
)
LISTED_TWICE = gettext_noop("task {task}: {label} {code} is listed twice")
NOT_LISTED = gettext_noop("task {task}: {label} {code} is not in the {label} list")
USED_TWICE = gettext_noop("{label} code {code} is used twice")
TASK_REASON = gettext_noop("task {task}: {reason}")
CODE_REASON = gettext_noop("{label}: {reason}")
TASK_PART_REASON = gettext_noop("task {task}: {label}: {reason}")
# The words a template names a part by (TERMS: translated where shown).
LABELS = {
    "standard": gettext_noop("standard"),
    "category": gettext_noop("job category"),
    "occupation": gettext_noop("occupation"),
    "industry": gettext_noop("industry"),
    "duty": gettext_noop("duty"),
    "task": gettext_noop("task"),
    "knowledge": gettext_noop("knowledge"),
    "skill": gettext_noop("skill"),
    "output": gettext_noop("work output"),
    "indicator": gettext_noop("behaviour indicator"),
}


@dataclass
class Problem:
    """An inconsistency in a document: a marked `template` and its `params`; `code` and
    `key` say where it is, for line numbers."""

    template: str
    params: dict[str, Any] = field(default_factory=dict)
    code: str | None = None
    key: str | None = None
    occurrence: int = 1

    @property
    def message(self) -> str:
        """In English (a reason of a code's: in the active language)."""
        return filled(self.template, self.params, str)

    def translated(self, translate: Callable[[str], str]) -> str:
        return filled(self.template, self.params, translate)


def document_problems(document: ParsedStandard) -> list[Problem]:
    """What makes `document` impossible to store: bad levels, bad, repeated or unknown codes.

    The writer trusts this check instead of asking the database row by row, so every
    rule of the models that a document can break is here: the codes (`code_error`), a
    task's code under its duty's (`task_code_error`), levels, uniqueness within the
    document and K/S links to the item lists.
    """
    problems = []
    if not is_level(document.base_level):
        levels = {"lowest": LOWEST, "highest": HIGHEST, "level": document.base_level}
        problems.append(Problem(BASE_LEVEL, levels, key="base_level"))
    problems += _repeated("duty", [duty.code for duty in document.duties])
    tasks = [task for duty in document.duties for task in duty.tasks]
    problems += _repeated("task", [task.code for task in tasks])
    problems += _repeated("knowledge", [item.code for item in document.knowledge])
    problems += _repeated("skill", [item.code for item in document.skills])
    item_codes = {
        "knowledge": {item.code for item in document.knowledge},
        "skill": {item.code for item in document.skills},
    }
    for task in tasks:
        if not is_level(task.level):
            levels = {"task": task.code, "lowest": LOWEST, "highest": HIGHEST, "level": task.level}
            problems.append(Problem(TASK_LEVEL, levels, code=task.code, key="level"))
        for kind, codes in [
            ("output", [output.code for output in task.outputs]),
            ("indicator", [indicator.code for indicator in task.indicators]),
            ("knowledge", task.knowledge),
            ("skill", task.skills),
        ]:
            where = {"task": task.code, "label": LABELS[kind]}
            for code, count in Counter(codes).items():
                if count > 1:
                    problems.append(Problem(LISTED_TWICE, {**where, "code": code}, code=task.code))
            if kind in item_codes:
                key = "knowledge" if kind == "knowledge" else "skills"
                problems += [
                    Problem(NOT_LISTED, {**where, "code": code}, code=task.code, key=key)
                    for code in codes
                    if code not in item_codes[kind]
                ]
    return problems + _code_problems(document)


def _code_problems(document: ParsedStandard) -> list[Problem]:
    """Codes a code may not be (`code_reason`), and tasks not numbered under their duty."""
    coded: list[tuple[str, dict[str, Any], str]] = [
        (CODE_REASON, {"label": LABELS[kind]}, entry_code)
        for kind, entry_code in [
            ("standard", document.code),
            ("category", document.category.code),
            *(("occupation", entry.code) for entry in document.occupations),
            *(("industry", entry.code) for entry in document.industries),
            *(("knowledge", item.code) for item in document.knowledge),
            *(("skill", item.code) for item in document.skills),
        ]
    ]
    problems = []
    for duty in document.duties:
        coded.append((CODE_REASON, {"label": LABELS["duty"]}, duty.code))
        for task in duty.tasks:
            coded.append((CODE_REASON, {"label": LABELS["task"]}, task.code))
            for kind, parts in [("output", task.outputs), ("indicator", task.indicators)]:
                where = {"task": task.code, "label": LABELS[kind]}
                coded += [(TASK_PART_REASON, where, part.code) for part in parts]
            if not code_error(task.code) and not code_error(duty.code):
                reason = task_code_reason(task.code, duty.code)
                if reason is not None:
                    params = {"task": task.code, "reason": reason}
                    problems.append(Problem(TASK_REASON, params, code=task.code))
    for template, where, code in coded:
        reason = code_reason(code)
        if reason is not None:
            problems.append(Problem(template, {**where, "reason": reason}, code=code))
    return problems


def _repeated(kind: str, codes: list[str]) -> list[Problem]:
    return [
        Problem(USED_TWICE, {"label": LABELS[kind], "code": code}, code=code, occurrence=2)
        for code, count in Counter(codes).items()
        if count > 1
    ]
