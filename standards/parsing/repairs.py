"""Repairs applied once the whole task table is read (docs/domain.md, reading rules 3–5)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container

from .document import ItemEntry, ParseError, ParseWarning, gettext_noop
from .table import INDICATOR, KNOWLEDGE, OUTPUT, SKILL, Duty, Item

_NUMBER = re.compile(r"(\d+)")
# A spread merged K/S cell links every item to every task of the duty: past this many
# links the document is no table of a real occupation (and would not fit in memory).
MAX_MERGED_LINKS = 10_000
TOO_MANY_MERGED_LINKS = gettext_noop(
    "{label} cell merged across duty {code} would link {items:,} items to each of its "
    "{tasks:,} tasks; more than {limit:,} links"
)


def natural_key(code: str) -> tuple:
    """K2 before K10, S501 before SS03: letters first, then the numbers as numbers."""
    # Numbers compare by their digits without leading zeros, shortest first: int() would
    # refuse a code with thousands of digits.
    return tuple(
        (len(part.lstrip("0")), part.lstrip("0")) if index % 2 else part
        for index, part in enumerate(_NUMBER.split(code))
    )


def code_number(code: str) -> int | None:
    """The number of a K or S code (`S07` → 7); None when it has too many digits to be one."""
    digits = code.lstrip("KS").lstrip("0")
    return int(digits or 0) if len(digits) <= 9 and digits.isdecimal() else None


def fill_levels(duties: list[Duty], warnings: list[ParseWarning]) -> None:
    """A blank level takes the merged cell's level from the same duty."""
    for duty in duties:
        printed = [task for task in duty.tasks if task.level is not None]
        if not printed:
            task = duty.tasks[0]
            raise ParseError.of(
                gettext_noop("task {code} has no competency level"), task.line, code=task.code
            )
        current = printed[0]
        for task in duty.tasks:
            if task.level is None:
                task.level = current.level
                warnings.append(
                    ParseWarning.of(
                        task.line,
                        gettext_noop("level of {code} taken from the merged cell of {first}"),
                        code=task.code,
                        first=current.code,
                    )
                )
            else:
                current = task


def spread_merged_items(duties: list[Duty], warnings: list[ParseWarning]) -> None:
    """A K or S cell merged across a duty holds for every task of that duty.

    The merged cell shows as tasks of the duty without items of their own while others
    have some (the cell's text overflows onto whichever rows it reaches).
    """
    for duty in duties:
        if len(duty.tasks) < 2:
            continue
        for kind, label in ((KNOWLEDGE, gettext_noop("knowledge")), (SKILL, gettext_noop("skill"))):
            lists = [task.items(kind) for task in duty.tasks]
            if all(lists) or not any(lists):
                continue
            first: dict[str, Item] = {}
            for items in lists:
                for item in items:
                    first.setdefault(item.code, item)
            merged = list(first.values())
            if len(merged) * len(duty.tasks) > MAX_MERGED_LINKS:
                raise ParseError.of(
                    TOO_MANY_MERGED_LINKS,
                    merged[0].line,
                    label=label,
                    code=duty.code,
                    items=len(merged),
                    tasks=len(duty.tasks),
                    limit=MAX_MERGED_LINKS,
                )
            for task in duty.tasks:
                task.items(kind)[:] = merged
            warnings.append(
                ParseWarning.of(
                    merged[0].line,
                    gettext_noop(
                        "{label} cell merged across duty {code}: {items} hold for all its tasks"
                    ),
                    label=label,
                    code=duty.code,
                    items=" ".join(item.code for item in merged),
                )
            )


def renumber_task_items(duties: list[Duty], warnings: list[ParseWarning]) -> None:
    """Outputs and indicators numbered for another task are renumbered when they collide."""
    for kind, letter in ((OUTPUT, "O"), (INDICATOR, "P")):
        counts = Counter(
            item.code for duty in duties for task in duty.tasks for item in task.items(kind)
        )
        for duty in duties:
            for task in duty.tasks:
                prefix = letter + task.code[1:] + "."
                items = task.items(kind)
                taken = {item.code for item in items if item.code.startswith(prefix)}
                free = _FreeCodes(prefix, taken)
                # A wrong task prefix is renumbered for all its items once one collides.
                colliding = {
                    _task_prefix(item.code)
                    for item in items
                    if item.code and not item.code.startswith(prefix) and counts[item.code] > 1
                }
                for item in items:
                    if not item.code:
                        item.code = free.next()
                        taken.add(item.code)
                        warnings.append(
                            ParseWarning.of(
                                item.line, gettext_noop("numbered {code}"), code=item.code
                            )
                        )
                    elif item.code.startswith(prefix):
                        continue
                    elif _task_prefix(item.code) in colliding:
                        new = prefix + item.code.rsplit(".", 1)[1]
                        if new in taken:
                            new = free.next()
                        warnings.append(
                            ParseWarning.of(
                                item.line,
                                gettext_noop("{code} printed under {task} renumbered {new}"),
                                code=item.code,
                                task=task.code,
                                new=new,
                            )
                        )
                        item.code = new
                        taken.add(new)
                    else:
                        warnings.append(
                            ParseWarning.of(
                                item.line,
                                gettext_noop("{code} printed under {task}; kept as printed"),
                                code=item.code,
                                task=task.code,
                            )
                        )
                _drop_repeats(task.code, items, warnings, renumber_prefix=prefix)


def _task_prefix(code: str) -> str:
    return code.rsplit(".", 1)[0]


class _FreeCodes:
    """The lowest codes `prefix1`, `prefix2`… not in `taken`, which may only grow.

    Each search goes on from where the last one stopped, not from 1 again: a task with
    thousands of unnumbered items stays linear.
    """

    def __init__(self, prefix: str, taken: Container[str]) -> None:
        self.prefix, self.taken, self.number = prefix, taken, 1

    def next(self) -> str:
        while f"{self.prefix}{self.number}" in self.taken:
            self.number += 1
        return f"{self.prefix}{self.number}"


def _drop_repeats(
    owner: str, items: list[Item], warnings: list[ParseWarning], renumber_prefix: str | None = None
) -> None:
    """A code listed twice for one task is kept once (a different text gets a free code)."""
    seen: dict[str, Item] = {}
    kept: list[Item] = []
    free = _FreeCodes(renumber_prefix or "", seen)
    for item in items:
        first = seen.get(item.code)
        if first is None:
            seen[item.code] = item
            kept.append(item)
        elif renumber_prefix and item.text and item.text != first.text:
            new = free.next()
            warnings.append(
                ParseWarning.of(
                    item.line,
                    gettext_noop("{code} listed twice in {owner}; second one is {new}"),
                    code=item.code,
                    owner=owner,
                    new=new,
                )
            )
            item.code = new
            seen[new] = item
            kept.append(item)
        else:
            warnings.append(
                ParseWarning.of(
                    item.line,
                    gettext_noop("{code} listed twice in {owner}; kept once"),
                    code=item.code,
                    owner=owner,
                )
            )
    items[:] = kept


def fix_doubled_skill_codes(duties: list[Duty], warnings: list[ParseWarning]) -> None:
    """A lone `SS28` in a document numbering its own skills S01…S27 is a typo for S28.

    `SS` codes are the common core skills; a document that cites none of them and whose
    own sequence the code continues has doubled the letter by mistake.
    """
    items = [item for duty in duties for task in duty.tasks for item in task.skills]
    doubled = {item.code for item in items if item.code.startswith("SS")}
    own = {item.code for item in items if not item.code.startswith("SS")}
    if len(doubled) != 1 or not own:
        return
    code = doubled.pop()
    single = code[1:]
    numbers = [code_number(other) for other in own]
    number = code_number(single)
    if single in own or number is None or None in numbers:
        return
    if number > max(n for n in numbers if n is not None) + 1:
        return
    for item in items:
        if item.code == code:
            item.code = single
            warnings.append(
                ParseWarning.of(
                    item.line,
                    gettext_noop("{code} read as {single} (the document's skills are S…)"),
                    code=code,
                    single=single,
                )
            )


def build_item_list(duties: list[Duty], kind: int, warnings: list[ParseWarning]) -> list[ItemEntry]:
    """One entry per K or S code; a code printed with two names keeps the first."""
    names: dict[str, str] = {}
    for duty in duties:
        for task in duty.tasks:
            items = task.items(kind)
            _drop_repeats(task.code, items, warnings)
            for item in items:
                if item.code not in names:
                    names[item.code] = item.text
                elif item.text and item.text != names[item.code] and names[item.code]:
                    warnings.append(
                        ParseWarning.of(
                            item.line,
                            gettext_noop("{code} also named {name!r}; kept {kept!r}"),
                            code=item.code,
                            name=item.text,
                            kept=names[item.code],
                        )
                    )
                elif not names[item.code]:
                    names[item.code] = item.text
    return [ItemEntry(code, names[code]) for code in sorted(names, key=natural_key)]
