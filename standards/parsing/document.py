"""The parsed form of one standard version: plain dataclasses, no ORM.

The shape mirrors the JSON interchange form in docs/domain.md, so `to_dict()` of a parsed
document is exactly that JSON and `from_dict()` reads it back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


def gettext_noop(message: str) -> str:
    """Mark `message` for translation (makemessages finds it by this name) without
    translating it: the parser knows nothing of Django or of the reader's language. A
    message is a `str.format` template, translated where it is shown (`translated`)."""
    return message


# Parameters that are themselves marked words ("knowledge", "work output"), translated too.
TERMS = {"label", "column", "what"}


# A competency standard has a few hundred lines, cells and codes. Past these limits a
# document is refused before its size alone makes reading it slow (the parser's time is
# linear, but a megabyte of one-character cells is still hundreds of thousands of them).
MAX_LINES = 10_000
MAX_CELLS = 20_000
MAX_CODES = 10_000
TOO_LARGE = gettext_noop(
    "the document has more than {limit:,} {what}; a competency standard has a few hundred"
)


def phrase(template: str, **params: Any) -> dict[str, Any]:
    """A marked `template` with its `params`: a parameter of another message that is
    itself filled and translated where the message is shown ("task T1.1", "duty 2")."""
    return {"template": template, "params": params}


def filled(template: str, params: dict[str, Any], translate: Callable[[str], str]) -> str:
    """`template` translated and filled with `params`: phrases in them filled (and
    translated) first, the TERMS translated."""
    values = {}
    for key, value in params.items():
        if isinstance(value, dict) and "template" in value:
            value = filled(value["template"], value.get("params", {}), translate)
        elif key in TERMS:
            value = translate(value)
        values[key] = value
    return translate(template).format(**values)


def _as_written(message: str) -> str:
    return message


def _translated(
    template: str, params: dict[str, Any], message: str, translate: Callable[[str], str]
) -> str:
    if not template:
        return message
    try:
        return filled(template, params, translate)
    except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder
        return message


class ParseError(ValueError):
    """A document that cannot be read. `line` is 1-based, 0 when it concerns the whole file.

    `message` is English; `template` and `params`, when given, let `translated` say it
    in the reader's language.
    """

    def __init__(
        self, message: str, line: int = 0, *, template: str = "", params: dict | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.template = template
        self.params = params or {}

    @classmethod
    def of(cls, template: str, line: int = 0, **params: Any) -> ParseError:
        """The error `template` (marked with `gettext_noop`) filled with `params`."""
        return cls(filled(template, params, _as_written), line, template=template, params=params)

    def translated(self, translate: Callable[[str], str]) -> str:
        return _translated(self.template, self.params, self.message, translate)

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass
class ParseWarning:
    """A repair or doubt of the parser. `place` is where the document shows it: "header"
    (the basic information, or the whole file), a task's code, "attitudes" or "notes".
    `message` is English; `template` and `params` let `translated` say it in the
    reader's language (stored with the version as well)."""

    line: int
    message: str
    place: str = field(default="", compare=False)
    template: str = field(default="", compare=False)
    params: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, line: int, template: str, **params: Any) -> ParseWarning:
        """The warning `template` (marked with `gettext_noop`) filled with `params`."""
        return cls(line, filled(template, params, _as_written), template=template, params=params)

    def translated(self, translate: Callable[[str], str]) -> str:
        return _translated(self.template, self.params, self.message, translate)


@dataclass
class VersionEntry:
    version: str
    code: str
    name: str
    status: str
    note: str
    date: str | None


@dataclass
class Classification:
    code: str
    name: str


@dataclass
class CodedText:
    code: str
    text: str


@dataclass
class ItemEntry:
    code: str
    name: str


@dataclass
class AttitudeEntry:
    code: str
    name: str
    description: str | None


@dataclass
class TaskEntry:
    code: str
    title: str
    level: int | None
    outputs: list[CodedText] = field(default_factory=list)
    indicators: list[CodedText] = field(default_factory=list)
    knowledge: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)


@dataclass
class DutyEntry:
    code: str
    title: str
    tasks: list[TaskEntry] = field(default_factory=list)


@dataclass
class ParsedStandard:
    code: str
    name: str
    versions: list[VersionEntry]
    category: Classification
    occupation: Classification
    industry: Classification
    description: str
    base_level: int
    duties: list[DutyEntry]
    knowledge: list[ItemEntry]
    skills: list[ItemEntry]
    attitudes: list[AttitudeEntry]
    notes: list[str]
    # Every occupation and industry the document names, in its order; the first is
    # `occupation` / `industry` (filled in from them when a document names only one).
    occupations: list[Classification] = field(default_factory=list)
    industries: list[Classification] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.occupations = self.occupations or [self.occupation]
        self.industries = self.industries or [self.industry]

    def to_dict(self) -> dict[str, Any]:
        """The JSON interchange form (warnings are not part of it)."""
        data = asdict(self)
        del data["warnings"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParsedStandard:
        """Build from the interchange form; raises KeyError/TypeError on a wrong shape."""
        return cls(
            code=data["code"],
            name=data["name"],
            versions=[VersionEntry(**v) for v in data.get("versions") or []],
            category=Classification(**data["category"]),
            occupation=Classification(**data["occupation"]),
            industry=Classification(**data["industry"]),
            description=data.get("description") or "",
            base_level=data["base_level"],
            duties=[
                DutyEntry(
                    code=d["code"],
                    title=d["title"],
                    tasks=[
                        TaskEntry(
                            code=t["code"],
                            title=t["title"],
                            level=t["level"],
                            outputs=[CodedText(**o) for o in t.get("outputs") or []],
                            indicators=[CodedText(**i) for i in t.get("indicators") or []],
                            knowledge=list(t.get("knowledge") or []),
                            skills=list(t.get("skills") or []),
                        )
                        for t in d["tasks"]
                    ],
                )
                for d in data["duties"]
            ],
            knowledge=[ItemEntry(**k) for k in data.get("knowledge") or []],
            skills=[ItemEntry(**s) for s in data.get("skills") or []],
            attitudes=[AttitudeEntry(**a) for a in data.get("attitudes") or []],
            notes=list(data.get("notes") or []),
            occupations=[Classification(**c) for c in data.get("occupations") or []],
            industries=[Classification(**c) for c in data.get("industries") or []],
        )
