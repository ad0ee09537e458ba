"""The classification cells of the header: one name and code, or several.

A standard may fall under several occupations or industries (about 3% do): the name
cell then says 本基準可能跨屬下列行業別 and lists the names, the code cell the codes.
Codes are read wherever they stand in the cell (run together, between stray words),
each doubt reported as a warning; names are paired with codes in document order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .document import Classification, ParseWarning, gettext_noop

SEVERAL = re.compile(r"^\s*本基準可能跨屬下列(?:職業別|行業別|職類別)?\s*[:：]?\s*")
_CODES = {
    # Four-digit codes, several run together (`43224321`), else the first four digits of a
    # longer number, else a two- or three-digit (broader) group.
    "occupation": re.compile(r"(?<![0-9A-Za-z])(?:(?:\d{4})+(?![0-9])|\d{4}|\d{2,3}(?![0-9]))"),
    "industry": re.compile(r"[A-Z]\d{2,4}"),
}
_SEPARATORS = re.compile(r"[\s,，、;；/／]+")
# Ways a list of names is printed: numbered (`1.…`, `(1)…`, `①…`), or separated.
_NUMBERED = re.compile(r"(?:^|(?<=\s)|(?<=[;；，,、]))\s*(?:\(\d{1,2}\)|\d{1,2}[.、)]|[①-⑳])\s*")
_SPLITTERS = [re.compile(r"\s*[;；]\s*"), re.compile(r"\s*[，,]\s*"), re.compile(r"\s*、\s*")]

CODES_RUN_TOGETHER = gettext_noop("{label} codes run together in {text!r}; read as {codes}")
STRAY_TEXT = gettext_noop("{label} code cell {text!r} holds other text; read the codes {codes}")
NAMES_MISMATCH = gettext_noop(
    "{label}: {names} names for {count} codes; a code without its own name is named by its code"
)


def classifications(
    kind: str, label: str, name: str, code: str, line: int, warnings: list[ParseWarning]
) -> list[Classification]:
    """The classifications of one kind ("occupation", "industry") the header names."""
    codes = _read_codes(kind, label, code, line, warnings)
    if len(codes) <= 1 and not SEVERAL.match(name):
        return [Classification(code=codes[0] if codes else code, name=name)]
    names = _split_names(SEVERAL.sub("", name), len(codes))
    if len(names) != len(codes):
        warnings.append(
            ParseWarning.of(line, NAMES_MISMATCH, label=label, names=len(names), count=len(codes))
        )
    return [
        Classification(code=each, name=names[index] if index < len(names) else each)
        for index, each in enumerate(codes)
    ]


def _read_codes(
    kind: str, label: str, text: str, line: int, warnings: list[ParseWarning]
) -> list[str]:
    matches = list(_spans(kind, text))
    codes = list(dict.fromkeys(code for _start, _end, code in matches))
    if not matches:
        return []
    if any(a[1] == b[0] for a, b in zip(matches, matches[1:], strict=False)):
        warnings.append(
            ParseWarning.of(line, CODES_RUN_TOGETHER, label=label, text=text, codes=" ".join(codes))
        )
    elif _SEPARATORS.sub("", _CODES[kind].sub("", text)):
        warnings.append(
            ParseWarning.of(line, STRAY_TEXT, label=label, text=text, codes=" ".join(codes))
        )
    return codes


def _spans(kind: str, text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, code) of every code in the cell, in order."""
    for match in _CODES[kind].finditer(text):
        code = match[0]
        if code.isdigit() and len(code) > 4:  # four-digit codes run together
            for offset in range(0, len(code), 4):
                start = match.start() + offset
                yield start, start + 4, code[offset : offset + 4]
        else:
            yield match.start(), match.end(), code


def _split_names(text: str, count: int) -> list[str]:
    """The names of a list, split the way that gives `count` of them if any does."""
    numbered = [part.strip() for part in _NUMBERED.split(text) if part.strip()]
    if len(numbered) > 1 or count <= 1:
        return numbered or [text.strip()]
    tries = [[part for part in splitter.split(text) if part] for splitter in _SPLITTERS]
    return next((names for names in tries if len(names) == count), tries[0])
