"""Reading the task table: rows of tab-separated cells into duties and tasks.

Cells are recognised by the code they start with rather than by their position, because
columns shift on some pages; only text without a code (the tail of a text cut by a page
break) is placed by its column.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from ..levels import LEVELS, REQUIRED_RANGE
from .cleaning import clean, compact, extend, split_at
from .document import MAX_CODES, TOO_LARGE, ParseError, ParseWarning, gettext_noop

DUTY, TASK, OUTPUT, INDICATOR, LEVEL, KNOWLEDGE, SKILL = range(7)
COLUMN_NAMES = {
    DUTY: gettext_noop("duty"),
    TASK: gettext_noop("task"),
    OUTPUT: gettext_noop("work output"),
    INDICATOR: gettext_noop("behaviour indicator"),
    LEVEL: gettext_noop("competency level"),
    KNOWLEDGE: gettext_noop("knowledge"),
    SKILL: gettext_noop("skill"),
}

CODE = re.compile(
    r"(?<![A-Za-z0-9./\-])"
    r"(?P<code>T\d+(?:\.\d+)*|[OP]\d+(?:\.\d+)+|K\d+|S{1,2}\d+)"
    r"(?P<dot>\.(?!\d))?"
    r"(?![0-9A-Za-z])"
)
# What a document prints in a cell that has nothing to say (no work output, say).
PLACEHOLDER = re.compile(r"^(?:無|略|[-－—–/／]|N/?A|none)$", re.IGNORECASE)
LEVEL_CELL = re.compile(r"^(?:第\s*)?(\d{1,2})\s*級?$")
_HEADER_WORDS = re.compile(
    r"主要職責|工作任務|工作活動|工作產出|行為指標|職能|級別|內涵|依需要分層|"
    r"[KSA]=(?:knowledge|skills?|attitude)|知識|技能|態度|[()（）]",
    re.IGNORECASE,
)
_HEADER_MARKERS = ("行為指標", "工作產出", "主要職責", "=knowledge", "=skill", "工作活動")
# A duty or task printed again is compared with its title so far; a title this long is
# no title but rows run together, and comparing it again for every row would be slow.
MAX_TITLE = 1_000
TITLE_TOO_LONG = gettext_noop(
    "the title of {code} runs past {limit:,} characters: table rows run together"
)


def kind_of(code: str) -> int:
    if code.startswith("T"):
        return TASK if "." in code else DUTY
    return {"O": OUTPUT, "P": INDICATOR, "K": KNOWLEDGE, "S": SKILL}[code[0]]


def _named_shifts(shifts: set[int]) -> str:
    """The shifts as a warning names them on every row of a page: ten say enough."""
    if not shifts:
        return ""
    ordered = sorted(shifts)
    return str(ordered) if len(ordered) <= 10 else str(ordered[:10])[:-1] + ", …]"


def is_header_row(cells: list[str]) -> bool:
    """A (repeated) header row of the task table, or a fragment of one."""
    filled = [compact(c) for c in cells if c.strip()]
    if not filled or any(_HEADER_WORDS.sub("", c) for c in filled):
        return False
    joined = "".join(filled).lower()
    return len(filled) >= 3 or any(marker in joined for marker in _HEADER_MARKERS)


@dataclass
class Item:
    code: str
    text: str
    line: int


@dataclass
class Task:
    code: str
    title: str
    line: int
    level: int | None = None
    level_line: int = 0
    outputs: list[Item] = field(default_factory=list)
    indicators: list[Item] = field(default_factory=list)
    knowledge: list[Item] = field(default_factory=list)
    skills: list[Item] = field(default_factory=list)

    def items(self, kind: int) -> list[Item]:
        return {
            OUTPUT: self.outputs,
            INDICATOR: self.indicators,
            KNOWLEDGE: self.knowledge,
            SKILL: self.skills,
        }[kind]


@dataclass
class Duty:
    code: str
    title: str
    line: int
    tasks: list[Task] = field(default_factory=list)
    # The last K and S item seen in this duty: a merged K/S cell overflowing onto a
    # later row continues it even when that row belongs to another task.
    last: dict[int, Item] = field(default_factory=dict)


@dataclass
class Segment:
    column: int | None  # None: a coded item, placed by its code
    code: str | None
    text: str


class TaskTable:
    """Accumulates rows of the task table; `duties` holds the result."""

    def __init__(self, warnings: list[ParseWarning]) -> None:
        self.duties: list[Duty] = []
        self.warnings = warnings
        self.duty: Duty | None = None
        self.task: Task | None = None
        self.task_lines: dict[str, int] = {}
        self.duty_codes: set[str] = set()
        self.codes = 0  # codes read so far, against MAX_CODES
        self.offsets: dict[int, int] = {}
        self.columns: list[int] = []
        self.shifted = ""  # the shifts of the current page's columns, as a warning names them
        # Texts continued over rows, kept as pieces until `finish` joins each once.
        self.pieces: dict[tuple[int, str], tuple[Duty | Task | Item, str, list[str]]] = {}

    def new_page(self) -> None:
        """A repeated header row: the columns of the next page are read afresh."""
        self.offsets, self.columns, self.shifted = {}, [], ""

    def warn(self, line: int, template: str, **params: object) -> None:
        self.warnings.append(ParseWarning.of(line, template, **params))

    def finish(self) -> list[Duty]:
        """The duties read, every continued text joined."""
        for owner, attribute, pieces in self.pieces.values():
            setattr(owner, attribute, "".join(pieces))
        self.pieces = {}
        return self.duties

    def _extend(self, owner: Duty | Task | Item, attribute: str, tail: str) -> None:
        """Continue a title or text with the tail cut off by a page break."""
        key = (id(owner), attribute)
        if key not in self.pieces:
            text = getattr(owner, attribute)
            self.pieces[key] = (owner, attribute, [text] if text else [])
        extend(self.pieces[key][2], tail)

    def _title_so_far(self, owner: Duty | Task, line: int) -> str:
        entry = self.pieces.pop((id(owner), "title"), None)
        if entry is not None:
            owner.title = "".join(entry[2])
        if len(owner.title) > MAX_TITLE:
            raise ParseError.of(TITLE_TOO_LONG, line, code=owner.code, limit=MAX_TITLE)
        return owner.title

    # -- rows ------------------------------------------------------------------------

    def add_row(self, line: int, cells: list[str]) -> None:
        for segment in self._segments(line, cells):
            if segment.code is None:
                self._add_tail(line, segment)
            else:
                self._add_coded(line, segment)

    def _segments(self, line: int, cells: list[str]) -> list[Segment]:
        """Split every cell into the text before its first code and one segment per code."""
        parsed: list[tuple[int, str, list[tuple[str, str]]]] = []
        offsets: dict[int, int] = {}
        for index, raw in enumerate(cells):
            text = clean(raw)
            if not text:
                continue
            if PLACEHOLDER.match(text):
                self.warn(
                    line, gettext_noop("placeholder {text!r} read as an empty cell"), text=text
                )
                continue
            level = LEVEL_CELL.match(text)
            if level:
                offsets[index] = index - LEVEL
                parsed.append((index, "", [("#level", level.group(1))]))
                continue
            matches = list(CODE.finditer(text))
            self.codes += len(matches)
            if self.codes > MAX_CODES:
                raise ParseError.of(TOO_LARGE, line, limit=MAX_CODES, what=gettext_noop("codes"))
            head = text[: matches[0].start()].strip() if matches else text
            coded = []
            for match, body in split_at(text, matches):
                code = match.group("code")
                if match.group("dot"):
                    self.warn(
                        line, gettext_noop("trailing full stop after {code} dropped"), code=code
                    )
                coded.append((code, body))
            if coded and not head:
                offsets[index] = index - kind_of(coded[0][0])
            parsed.append((index, head, coded))

        if offsets:
            self.offsets = offsets
            # Worked out once per row that sets them: the rows after it may be many.
            self.columns = sorted(offsets)
            self.shifted = _named_shifts({offset for offset in offsets.values() if offset})
        else:
            # A row without any code on a shifted page is shifted like the row before it.
            offsets = self.offsets
        columns = self.columns
        segments: list[Segment] = []
        if self.shifted:
            self.warn(
                line,
                gettext_noop("cells shifted by {shifts} column(s); read by their codes"),
                shifts=self.shifted,
            )
        for index, head, coded in parsed:
            if head:
                column = index - self._offset_for(index, offsets, columns)
                segments.append(Segment(column, None, head))
            for code, text in coded:
                segments.append(Segment(None, code, text))
        return segments

    @staticmethod
    def _offset_for(index: int, offsets: dict[int, int], columns: list[int]) -> int:
        """The offset of the nearest coded cell on the left, else on the right."""
        if not columns:
            return 0
        left = bisect_right(columns, index)
        return offsets[columns[left - 1] if left else columns[0]]

    def _add_coded(self, line: int, segment: Segment) -> None:
        code, text = segment.code or "", segment.text
        if code == "#level":
            self._set_level(line, int(text))
            return
        kind = kind_of(code)
        if kind == DUTY:
            self._start_duty(line, code, text)
        elif kind == TASK:
            self._start_task(line, code, text)
        else:
            if self.task is None:
                raise ParseError.of(
                    gettext_noop("{column} {code} comes before any task"),
                    line,
                    column=COLUMN_NAMES[kind],
                    code=code,
                )
            item = Item(code, text, line)
            self.task.items(kind).append(item)
            if kind in (KNOWLEDGE, SKILL) and self.duty is not None:
                self.duty.last[kind] = item

    def _add_tail(self, line: int, segment: Segment) -> None:
        column, text = segment.column, segment.text
        if column == DUTY and self.duty is not None:
            self._extend(self.duty, "title", text)
        elif column == TASK and self.task is not None:
            self._extend(self.task, "title", text)
        elif column == TASK and self.duty is not None:
            # The duty's title in a cell of its own, after a cell with just its code.
            self._extend(self.duty, "title", text)
        elif column in (OUTPUT, INDICATOR) and self.task is not None:
            items = self.task.items(column)
            if items:
                self._extend(items[-1], "text", text)
            else:
                items.append(Item("", text, line))
                self.warn(
                    line,
                    gettext_noop("{column} without a code in {code}"),
                    column=COLUMN_NAMES[column],
                    code=self.task.code,
                )
        elif column in (KNOWLEDGE, SKILL) and self.duty is not None and column in self.duty.last:
            self._extend(self.duty.last[column], "text", text)
        else:
            where = COLUMN_NAMES.get(column, f"column {column}") if column is not None else ""
            self.warn(
                line,
                gettext_noop("text outside any task item ignored ({column}): {text}"),
                column=where,
                text=text[:40],
            )

    def _start_duty(self, line: int, code: str, title: str) -> None:
        if self.duty is not None and self.duty.code == code:
            if title and title not in self._title_so_far(self.duty, line):
                self._extend(self.duty, "title", title)
            self.warn(
                line, gettext_noop("duty {code} printed again; read as its continuation"), code=code
            )
            return
        if code in self.duty_codes:
            raise ParseError.of(gettext_noop("duty {code} appears twice"), line, code=code)
        self.duty_codes.add(code)
        self.duty = Duty(code, title, line)
        self.duties.append(self.duty)
        self.task = None

    def _start_task(self, line: int, code: str, title: str) -> None:
        if self.duty is None:
            raise ParseError.of(gettext_noop("task {code} comes before any duty"), line, code=code)
        if self.task is not None and self.task.code == code:
            if title and title not in self._title_so_far(self.task, line):
                self._extend(self.task, "title", title)
            self.warn(
                line, gettext_noop("task {code} printed again; read as its continuation"), code=code
            )
            return
        if code in self.task_lines:
            raise ParseError.of(
                gettext_noop("task {code} appears twice (first on line {first})"),
                line,
                code=code,
                first=self.task_lines[code],
            )
        if not code.startswith(self.duty.code + "."):
            self.warn(
                line,
                gettext_noop("task {code} is listed under duty {duty}"),
                code=code,
                duty=self.duty.code,
            )
        self.task_lines[code] = line
        self.task = Task(code, title, line)
        self.duty.tasks.append(self.task)

    def _set_level(self, line: int, level: int) -> None:
        if level not in LEVELS:
            raise ParseError.of(
                gettext_noop("competency level {level} is outside {range}"),
                line,
                level=level,
                range=REQUIRED_RANGE,
            )
        if self.task is None:
            raise ParseError.of(
                gettext_noop("competency level {level} comes before any task"), line, level=level
            )
        if self.task.level is None:
            self.task.level, self.task.level_line = level, line
        elif self.task.level != level:
            self.warn(
                line,
                gettext_noop("second competency level {level} for {code} ignored (kept {kept})"),
                level=level,
                code=self.task.code,
                kept=self.task.level,
            )
