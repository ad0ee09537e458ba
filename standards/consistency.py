"""The consistency check of a parsed document: what would make it impossible to store.

The one document writer (`standards.services`) trusts this check instead of asking the
database row by row, and the JSON reader uses it to point at the line of a problem.
Pure Python over the parsed dataclasses: no ORM.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .codes import code_error, task_code_error
from .levels import HIGHEST, LOWEST, is_level
from .parsing import ParsedStandard


@dataclass
class Problem:
    """An inconsistency in a document; `code` and `key` say where it is, for line numbers."""

    message: str
    code: str | None = None
    key: str | None = None
    occurrence: int = 1


def document_problems(document: ParsedStandard) -> list[Problem]:
    """What makes `document` impossible to store: bad levels, bad, repeated or unknown codes.

    The writer trusts this check instead of asking the database row by row, so every
    rule of the models that a document can break is here: the codes (`code_error`), a
    task's code under its duty's (`task_code_error`), levels, uniqueness within the
    document and K/S links to the item lists.
    """
    problems = []
    if not is_level(document.base_level):
        problems.append(
            Problem(
                f"the base level must be a whole number from {LOWEST} to {HIGHEST}, "
                f"not {document.base_level}",
                key="base_level",
            )
        )
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
            problems.append(
                Problem(
                    f"task {task.code}: the level must be a whole number "
                    f"from {LOWEST} to {HIGHEST}, not {task.level}",
                    code=task.code,
                    key="level",
                )
            )
        for kind, codes in [
            ("output", [output.code for output in task.outputs]),
            ("indicator", [indicator.code for indicator in task.indicators]),
            ("knowledge", task.knowledge),
            ("skill", task.skills),
        ]:
            for code, count in Counter(codes).items():
                if count > 1:
                    problems.append(
                        Problem(f"task {task.code}: {kind} {code} is listed twice", code=task.code)
                    )
            if kind in item_codes:
                for code in codes:
                    if code not in item_codes[kind]:
                        problems.append(
                            Problem(
                                f"task {task.code}: {kind} {code} is not in the {kind} list",
                                code=task.code,
                                key="knowledge" if kind == "knowledge" else "skills",
                            )
                        )
    return problems + _code_problems(document)


def _code_problems(document: ParsedStandard) -> list[Problem]:
    """Codes a code may not be (`code_error`), and tasks not numbered under their duty."""
    coded: list[tuple[str, str]] = [("standard", document.code)]
    coded += [
        (kind, entry.code)
        for kind, entry in [
            ("category", document.category),
            *(("occupation", entry) for entry in document.occupations),
            *(("industry", entry) for entry in document.industries),
        ]
    ]
    coded += [("knowledge", item.code) for item in document.knowledge]
    coded += [("skill", item.code) for item in document.skills]
    problems = []
    for duty in document.duties:
        coded.append(("duty", duty.code))
        for task in duty.tasks:
            coded.append(("task", task.code))
            coded += [(f"task {task.code}: output", output.code) for output in task.outputs]
            coded += [(f"task {task.code}: indicator", item.code) for item in task.indicators]
            if not code_error(task.code) and not code_error(duty.code):
                message = task_code_error(task.code, duty.code)
                if message:
                    problems.append(Problem(f"task {task.code}: {message}", code=task.code))
    for kind, code in coded:
        message = code_error(code)
        if message:
            problems.append(Problem(f"{kind}: {message}", code=code))
    return problems


def _repeated(kind: str, codes: list[str]) -> list[Problem]:
    return [
        Problem(f"{kind} code {code} is used twice", code=code, occurrence=2)
        for code, count in Counter(codes).items()
        if count > 1
    ]
