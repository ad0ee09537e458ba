"""Reading the plain-text rendering of an official 職能基準 document."""

from __future__ import annotations

import datetime
import re
from bisect import bisect_right
from collections.abc import Iterator

from ..levels import LEVELS, REQUIRED_RANGE
from . import repairs
from .classifications import classifications
from .cleaning import clean, compact, extend, split_at
from .document import (
    MAX_CELLS,
    MAX_CODES,
    MAX_LINES,
    TOO_LARGE,
    AttitudeEntry,
    Classification,
    CodedText,
    DutyEntry,
    ParsedStandard,
    ParseError,
    ParseWarning,
    TaskEntry,
    VersionEntry,
    gettext_noop,
)
from .table import KNOWLEDGE, SKILL, TaskTable, is_header_row

HEADER, TABLE, ATTITUDES, NOTES = "header", "table", "attitudes", "notes"

_ATTITUDE_CODE = re.compile(r"(?<![A-Za-z0-9])A\d+(?![0-9])")
_ATTITUDE_NAMED = re.compile(r"^(A\d+)\s*(\S.*)$")
_DATE = re.compile(r"(\d{2,4})\s*[/.\-年]\s*(\d{1,2})\s*[/.\-月]\s*(\d{1,2})")
_VERSION = re.compile(r"^(?:[Vv]|第)?\s*\d+\s*版?$")
_PAGE_NUMBER = re.compile(r"^(?:第\s*\d+\s*頁.*|\d+\s*/\s*\d+|-?\s*\d+\s*-?|page\s*\d+.*)$", re.I)
_GLUED_LABEL = re.compile(r"^(職能基準代碼|工作描述|基準級別)[:：]?(.*)$")
_CLASSIFICATIONS = {"職類別": "category", "職業別": "occupation", "行業別": "industry"}
# The columns of the version table, each found by the words its heading holds.
_VERSION_COLUMNS = {
    "code": ("代碼",),
    "name": ("名稱",),
    "status": ("狀態",),
    "note": ("說明",),
    "date": ("日期",),
}
# Sentence punctuation a name-only attitude line may end with; the name is stored
# without it, so the same attitude reads the same in every standard.
_NAME_END = "。．.；;"
NO_TASK_TABLE = gettext_noop(
    "no task table found (the header row 主要職責/工作任務 … 行為指標 is missing); "
    "is this a 職能基準 document?"
)
NUL_CHARACTER = gettext_noop("the document holds a NUL character; is it a binary file?")


def _attitude_name(text: str) -> str:
    return text.rstrip(_NAME_END).rstrip()


def _without_suffix(text: str, suffix: str) -> str:
    """`text` without a trailing `suffix` and the whitespace around it."""
    return text.rstrip().removesuffix(suffix).rstrip()


def _without_parenthesis(text: str) -> str:
    """`工藝產業生產管理人員 (工藝產品)` without its closing parenthesised part."""
    # A plain search, not `\s*\(.*\)$`, which scans to the end from every `(`.
    opening = text.find("(")
    if opening < 0 or not text.endswith(")"):
        return text
    return text[:opening].rstrip()


def _split_attitude(body: str) -> tuple[str, str | None]:
    """`名稱：描述` into name and description (None when there is none)."""
    match = re.match(r"([^:：]*)[:：](.*)", body, re.DOTALL)
    if match is None:
        return _attitude_name(clean(body)), None
    return _attitude_name(clean(match.group(1))), clean(match.group(2)) or None


def parse_text(text: str) -> ParsedStandard:
    """Parse one document's plain-text rendering; raises ParseError with the line."""
    return _Reader(text).read()


class _Reader:
    def __init__(self, text: str) -> None:
        text = text.lstrip("\ufeff")
        if not text.strip():
            raise ParseError.of(gettext_noop("the document is empty"))
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if len(self.lines) > MAX_LINES:
            raise ParseError.of(
                TOO_LARGE, MAX_LINES + 1, limit=MAX_LINES, what=gettext_noop("lines")
            )
        self.warnings: list[ParseWarning] = []
        self.table = TaskTable(self.warnings)
        self.title = ""
        self.fields: dict[str, str] = {}
        self.last_label = ""
        self.field_lines: dict[str, int] = {}
        self.occupation_name = ""
        self.versions: list[VersionEntry] = []
        self.version_columns: dict[str, int] | None = None
        # Texts continued on later lines, kept as pieces and joined once by `_finish`.
        self.description: list[str] | None = None
        self.continued: dict[int, tuple[AttitudeEntry, list[str]]] = {}
        self.attitudes: list[AttitudeEntry] = []
        self.attitude_lines: list[int] = []
        self.notes: list[str] = []
        self.seen_sections: set[str] = set()
        self.section_lines: dict[str, int] = {}  # where each section starts
        self.cells = 0  # cells read so far, against MAX_CELLS

    def read(self) -> ParsedStandard:
        section = HEADER
        for number, raw in enumerate(self.lines, start=1):
            if not raw.strip():
                continue
            cells = raw.split("\t")
            self.cells += len(cells)
            if self.cells > MAX_CELLS:
                raise ParseError.of(
                    TOO_LARGE, number, limit=MAX_CELLS, what=gettext_noop("table cells")
                )
            label = compact(raw)
            if section in (HEADER, TABLE) and is_header_row(cells):
                section = TABLE
                self.seen_sections.add(section)
                self.section_lines.setdefault(section, number)
                self.table.new_page()
                continue
            if "A=attitude" in label or label.startswith("職能內涵(A") or label == "態度":
                section = ATTITUDES
                self.seen_sections.add(section)
                self.section_lines.setdefault(section, number)
                self._read_attitude_cells(number, cells[1:])
                continue
            if label.startswith("說明與補充事項"):
                section = NOTES
                self.seen_sections.add(section)
                self.section_lines.setdefault(section, number)
                continue
            if section == HEADER:
                self._read_header_line(number, cells)
            elif section == TABLE:
                self._read_table_line(number, raw, cells)
            elif section == ATTITUDES:
                self._read_attitude_cells(number, cells)
            else:
                self._read_note(raw)
        return self._finish()

    # -- header ----------------------------------------------------------------------

    def _read_header_line(self, number: int, cells: list[str]) -> None:
        texts = [clean(cell) for cell in cells]
        first = compact(cells[0])
        if first == "版本" and any("代碼" in compact(c) for c in cells):
            columns = [compact(cell) for cell in cells]
            self.version_columns = {
                key: next((i for i, c in enumerate(columns) if any(w in c for w in words)), -1)
                for key, words in _VERSION_COLUMNS.items()
            }
            return
        if self.version_columns is not None and _VERSION.match(texts[0] or "-"):
            self._read_version_row(number, texts)
            return
        self.version_columns = None
        if len(cells) == 1 and not self.title and not self.fields:
            self.title = _without_suffix(texts[0], "職能基準")
            return
        filled = [(compact(cell), text) for cell, text in zip(cells, texts, strict=True) if text]
        understood = False
        for index, (label, _text) in enumerate(filled):
            understood |= self._read_label(number, label, filled, index + 1)
        if not understood:
            if self.last_label == "工作描述":
                if self.description is None:
                    text = self.fields["description"]
                    self.description = [text] if text else []
                extend(self.description, " ".join(t for _l, t in filled))
            else:
                self.warnings.append(
                    ParseWarning.of(
                        number, gettext_noop("header line not understood: {texts}"), texts=texts
                    )
                )

    def _read_label(
        self, number: int, label: str, filled: list[tuple[str, str]], start: int
    ) -> bool:
        """Read one label cell and the cells after it (`filled[start:]`); False when it is
        no label. The cells after it are read only for a field not yet set, so a line of
        many labels takes time linear in its length."""
        glued = _GLUED_LABEL.match(label)
        first: list[tuple[str, str]] = []
        if glued and glued.group(2):
            # `職能基準代碼：AVA4322-001v4` in one cell.
            label, first = glued.group(1), [("", glued.group(2))]

        def rest() -> Iterator[tuple[str, str]]:
            yield from first
            yield from (filled[index] for index in range(start, len(filled)))

        value = next(rest(), ("", ""))[1]
        if label == "職能基準代碼":
            self._set_field(number, "code", value)
        elif label in ("職業", "職類"):
            self.occupation_name = self.occupation_name or value
        elif label == "工作描述":
            if "description" not in self.fields:
                self._set_field(number, "description", " ".join(text for _l, text in rest()))
        elif label == "基準級別":
            self._set_field(number, "base_level", value)
        elif label in _CLASSIFICATIONS:
            key = _CLASSIFICATIONS[label] + "_name"
            if key not in self.fields:
                name = next((t for lab, t in rest() if not lab.endswith("代碼")), "")
                self._set_field(number, key, name)
        elif label.endswith("代碼") and label[:-2] in _CLASSIFICATIONS:
            self._set_field(number, _CLASSIFICATIONS[label[:-2]] + "_code", value)
        elif not (label.startswith("職能基準名稱") or label.startswith("所屬類別")):
            return False
        self.last_label = label
        return True

    def _set_field(self, number: int, key: str, value: str) -> None:
        if key not in self.fields:
            self.fields[key] = value
            self.field_lines[key] = number

    def _read_version_row(self, number: int, texts: list[str]) -> None:
        columns = self.version_columns or {}

        def cell(key: str) -> str:
            index = columns.get(key, -1)
            return texts[index] if 0 <= index < len(texts) else ""

        self.versions.append(
            VersionEntry(
                version=texts[0],
                code=cell("code"),
                name=cell("name"),
                status=cell("status"),
                note=cell("note"),
                date=self._date(number, cell("date")),
            )
        )

    def _date(self, number: int, text: str) -> str | None:
        match = _DATE.search(text)
        if not match:
            if text:
                self.warnings.append(
                    ParseWarning.of(number, gettext_noop("date {text!r} not understood"), text=text)
                )
            return None
        year, month, day = (int(part) for part in match.groups())
        if year < 1911:
            year += 1911
            self.warnings.append(
                ParseWarning.of(
                    number,
                    gettext_noop("ROC year in {text!r} read as {year}"),
                    text=text,
                    year=year,
                )
            )
        try:
            return datetime.date(year, month, day).isoformat()
        except ValueError:
            self.warnings.append(
                ParseWarning.of(number, gettext_noop("date {text!r} is not a real date"), text=text)
            )
            return None

    # -- task table, attitudes, notes --------------------------------------------------

    def _read_table_line(self, number: int, raw: str, cells: list[str]) -> None:
        if len(cells) == 1 and not clean(raw).startswith("T"):
            # Page numbers and running titles between pages are not part of any cell.
            self.warnings.append(
                ParseWarning.of(
                    number, gettext_noop("line outside the table ignored: {text}"), text=raw[:40]
                )
            )
            return
        self.table.add_row(number, cells)

    def _read_attitude_cells(self, number: int, cells: list[str]) -> None:
        texts = [clean(cell) for cell in cells if clean(cell)]
        if not texts:
            return
        if len(texts) >= 2 and _ATTITUDE_CODE.fullmatch(texts[0]):
            # A table row: code, name, description in their own cells.
            description = " ".join(texts[2:]) or None
            self.attitudes.append(AttitudeEntry(texts[0], _attitude_name(texts[1]), description))
            self.attitude_lines.append(number)
            return
        named = _ATTITUDE_NAMED.match(texts[0])
        if len(texts) >= 2 and named and not re.search("[:：]", texts[0]):
            # `A01 主動積極` in one cell, its description in the next.
            name = _attitude_name(named[2])
            self.attitudes.append(AttitudeEntry(named[1], name, " ".join(texts[1:])))
            self.attitude_lines.append(number)
            return
        text = " ".join(texts)
        matches = list(_ATTITUDE_CODE.finditer(text))
        head = text[: matches[0].start()].strip() if matches else text
        if head:
            self._continue_attitude(number, head)
        if self.table.codes + len(self.attitudes) + len(matches) > MAX_CODES:
            raise ParseError.of(TOO_LARGE, number, limit=MAX_CODES, what=gettext_noop("codes"))
        for match, body in split_at(text, matches):
            name, description = _split_attitude(body)
            self.attitudes.append(AttitudeEntry(match.group(), name, description))
            self.attitude_lines.append(number)

    def _continue_attitude(self, number: int, text: str) -> None:
        if not self.attitudes:
            self.warnings.append(
                ParseWarning.of(
                    number, gettext_noop("text before the first attitude: {text}"), text=text[:40]
                )
            )
            return
        last = self.attitudes[-1]
        _entry, pieces = self.continued.setdefault(
            id(last), (last, [last.description] if last.description else [])
        )
        extend(pieces, text)
        self.warnings.append(
            ParseWarning.of(
                number, gettext_noop("attitude {code} continued on this line"), code=last.code
            )
        )

    def _read_note(self, raw: str) -> None:
        text = clean(" ".join(cell for cell in raw.split("\t")))
        if text and not _PAGE_NUMBER.match(text):
            self.notes.append(text)

    # -- result ----------------------------------------------------------------------

    def _finish(self) -> ParsedStandard:
        if TABLE not in self.seen_sections:
            raise ParseError.of(NO_TASK_TABLE)
        duties = self.table.finish()
        if not duties:
            raise ParseError.of(gettext_noop("the task table has no duties or tasks"))
        for duty in duties:
            if not duty.tasks:
                raise ParseError.of(
                    gettext_noop("duty {code} has no tasks"), duty.line, code=duty.code
                )
        if ATTITUDES not in self.seen_sections:
            raise ParseError.of(
                gettext_noop(
                    "the attitude section 職能內涵 (A=attitude 態度) is missing; "
                    "the document may be truncated"
                ),
                len(self.lines),
            )
        if self.description is not None:
            self.fields["description"] = "".join(self.description)
        for attitude, pieces in self.continued.values():
            attitude.description = "".join(pieces)
        self._check_attitude_codes()
        self._refuse_nul_characters()
        repairs.fill_levels(duties, self.warnings)
        repairs.spread_merged_items(duties, self.warnings)
        repairs.renumber_task_items(duties, self.warnings)
        repairs.fix_doubled_skill_codes(duties, self.warnings)
        knowledge = repairs.build_item_list(duties, KNOWLEDGE, self.warnings)
        skills = repairs.build_item_list(duties, SKILL, self.warnings)
        code = self._required("code", "職能基準代碼 (the standard's code)")
        occupations = self._classifications("occupation", "職業別")
        industries = self._classifications("industry", "行業別")
        self.warnings.sort(key=lambda warning: warning.line)
        self._place_warnings(duties)
        return ParsedStandard(
            code=code,
            name=self.title or _without_parenthesis(self.occupation_name) or code,
            versions=self.versions,
            category=self._classification("category", "職類別"),
            occupation=occupations[0],
            industry=industries[0],
            occupations=occupations,
            industries=industries,
            description=self.fields.get("description", ""),
            base_level=self._base_level(),
            duties=[
                DutyEntry(
                    code=duty.code,
                    title=duty.title,
                    tasks=[
                        TaskEntry(
                            code=task.code,
                            title=task.title,
                            level=task.level,
                            outputs=[CodedText(i.code, i.text) for i in task.outputs],
                            indicators=[CodedText(i.code, i.text) for i in task.indicators],
                            knowledge=[i.code for i in task.knowledge],
                            skills=[i.code for i in task.skills],
                        )
                        for task in duty.tasks
                    ],
                )
                for duty in duties
            ],
            knowledge=knowledge,
            skills=skills,
            attitudes=self.attitudes,
            notes=self.notes,
            warnings=self.warnings,
        )

    def _place_warnings(self, duties: list) -> None:
        """Give each warning the place it concerns: the task whose rows hold its line,
        the section after the table it falls in, or the header before it."""
        starts = sorted((task.line, task.code) for duty in duties for task in duty.tasks)
        task_lines = [line for line, _code in starts]
        sections = self.section_lines
        for warning in self.warnings:
            line = warning.line
            if NOTES in sections and line >= sections[NOTES]:
                warning.place = NOTES
            elif ATTITUDES in sections and line >= sections[ATTITUDES]:
                warning.place = ATTITUDES
            elif line and task_lines and line >= task_lines[0]:
                warning.place = starts[bisect_right(task_lines, line) - 1][1]
            else:
                warning.place = HEADER

    def _required(self, key: str, label: str) -> str:
        value = self.fields.get(key, "")
        if not value:
            raise ParseError.of(
                gettext_noop("the header has no {label}"), self.field_lines.get(key, 0), label=label
            )
        return value

    def _classification(self, key: str, label: str) -> Classification:
        return Classification(
            code=self._required(f"{key}_code", f"{label}代碼"),
            name=self._required(f"{key}_name", label),
        )

    def _classifications(self, key: str, label: str) -> list[Classification]:
        """Every occupation or industry the header names (本基準可能跨屬下列…), in order."""
        name = self._required(f"{key}_name", label)
        code = self._required(f"{key}_code", f"{label}代碼")
        line = self.field_lines[f"{key}_code"]
        return classifications(key, label, name, code, line, self.warnings)

    def _base_level(self) -> int:
        text = self._required("base_level", "基準級別 (base level)")
        line = self.field_lines["base_level"]
        number = re.fullmatch(r"(?:第\s*)?(\d+)\s*級?", text)
        if number is None:
            raise ParseError.of(
                gettext_noop("base level {text!r} is not a number"), line, text=text
            )
        # More digits than any level has: int() would refuse thousands of them.
        level = int(number[1]) if len(number[1]) <= 9 else None
        if level not in LEVELS:
            raise ParseError.of(
                gettext_noop("base level {level} is outside {range}"),
                line,
                level=number[1][:12],
                range=REQUIRED_RANGE,
            )
        return level

    def _refuse_nul_characters(self) -> None:
        # No database column may hold one (PostgreSQL refuses it in any text).
        for number, line in enumerate(self.lines, start=1):
            if "\x00" in line:
                raise ParseError.of(NUL_CHARACTER, number)

    def _check_attitude_codes(self) -> None:
        seen: set[str] = set()
        for attitude, line in zip(self.attitudes, self.attitude_lines, strict=True):
            if attitude.code in seen:
                self.warnings.append(
                    ParseWarning.of(
                        line,
                        gettext_noop("attitude code {code} used twice; both kept"),
                        code=attitude.code,
                    )
                )
            seen.add(attitude.code)
