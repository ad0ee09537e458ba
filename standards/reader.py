"""Reading one uploaded or on-disk document into a ParsedStandard.

A document is the official PDF, ODT or Word form, the JSON interchange form
(docs/domain.md) or the plain-text rendering of an official document; the content
decides which, not the file name. Everything that
is wrong with a file is reported as a ParseError with the line it concerns.
"""

from __future__ import annotations

import codecs
import datetime
import json
import re
from typing import Any

from standards.parsing import ParsedStandard, ParseError, parse_text
from standards.parsing.document import gettext_noop, phrase
from standards.parsing.documents import document_kind, document_text

from .codes import MAX_VERSION_DIGITS, VERSION_SUFFIX
from .consistency import document_problems

# Every error is a marked template (gettext_noop), shown in the reader's language.
EMPTY_FILE = gettext_noop("the file is empty")
NOT_UTF8 = gettext_noop(
    "the file is not UTF-8 text (byte 0x{byte:02X} cannot be decoded); save it as UTF-8"
)
JSON_NOT_OBJECT = gettext_noop(
    "a .json file must hold one JSON object, the interchange form of one standard"
)
INVALID_JSON = gettext_noop("invalid JSON: {reason}")
JSON_TOO_DEEP = gettext_noop(
    "the JSON nests deeper than {limit} levels; the interchange form needs 6"
)
JSON_NUMBER_TOO_LONG = gettext_noop("a number of more than {limit} digits; a level is one digit")
JSON_CONSTANT = gettext_noop("{constant} is not a JSON value; write a number")
JSON_DUPLICATE_KEY = gettext_noop("the key {key!r} appears twice in one object")
JSON_LONE_SURROGATE = gettext_noop(
    "the escape {escape} is half of a character (a lone surrogate); write the whole character"
)
JSON_NUL = gettext_noop(
    "a text holds the NUL character (\\u0000), which no database column can store"
)
VERSION_TOO_LONG = gettext_noop(
    "the version number of the code {code!r} has more than {limit} digits"
)
# The shape of the interchange form: what is wrong, and where (`what`, a phrase).
MUST_BE_OBJECT = gettext_noop("{what} must be an object")
UNKNOWN_KEY = gettext_noop("{what}: unknown key {key!r}")
MISSING_KEY = gettext_noop("{what}: missing key {key!r}")
WRONG_TYPE = gettext_noop("{what}: {key!r} must be {expected}")
NOT_STRINGS = gettext_noop("{what} must be a list of strings")
BAD_DATE = gettext_noop("version {code}: the date must be YYYY-MM-DD, not {date!r}")
THE_STANDARD = gettext_noop("the standard")
KEY = "{key}"  # a key of the form, as written in the file (not translated)
ENTRY = gettext_noop("{key} entry {number}")
DUTY_CODE = gettext_noop("duty {code}")
DUTY_NUMBER = gettext_noop("duty {number}")
TASK_CODE = gettext_noop("task {code}")
TASK_NUMBER = gettext_noop("task {number} of duty {duty}")
TASK_PART = gettext_noop("{what}, {label} {number}")
TASK_LIST = gettext_noop("{what}: {key}")
# Past these, a JSON document is no interchange form: refused before Python's own limits
# (recursion, 4,300-digit integers) raise something other than a ParseError.
FIRST_CLASSIFICATION = gettext_noop(
    "the first entry of {key!r} must be the same as {single!r} (the one a document names first)"
)
MAX_JSON_DEPTH = 100
MAX_JSON_DIGITS = 100


def read_document(*, name: str, data: bytes) -> ParsedStandard:
    """Decode `data` and parse it as the interchange JSON or as a plain-text rendering.

    `name` is the file's name, used only to recognise a `.json` file whose content is
    not a JSON object. Raises ParseError (with a 1-based line, 0 for the whole file).
    """
    kind = document_kind(data)
    if kind is not None:
        return _checked_code(parse_text(document_text(data, kind)))
    text = decode_text(data)
    if not text.strip():
        raise ParseError.of(EMPTY_FILE)
    if text.lstrip().startswith("{"):
        return read_json(text)
    if name.lower().endswith(".json"):
        raise ParseError.of(JSON_NOT_OBJECT, _first_content_line(text))
    return _checked_code(parse_text(text))


def _checked_code(document: ParsedStandard, line: int = 0) -> ParsedStandard:
    # The version number becomes an integer column; int() refuses thousands of digits.
    suffix = VERSION_SUFFIX.match(document.code)
    if suffix and len(suffix["number"]) > MAX_VERSION_DIGITS:
        code = document.code[:40] + "…"
        raise ParseError.of(VERSION_TOO_LONG, line, code=code, limit=MAX_VERSION_DIGITS)
    return document


def decode_text(data: bytes) -> str:
    """UTF-8 text of `data`, without a leading byte order mark."""
    try:
        return data.decode("utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ParseError.of(NOT_UTF8, line, byte=data[exc.start]) from exc


def read_json(text: str) -> ParsedStandard:
    """Read the interchange form, checking its shape and its consistency."""
    duplicates: list[str] = []
    try:
        data = json.loads(
            text,
            object_pairs_hook=lambda pairs: _object_of(pairs, duplicates),
            parse_int=_whole_number,
            parse_constant=_refuse_constant,
        )
    except json.JSONDecodeError as exc:
        raise ParseError.of(INVALID_JSON, exc.lineno, reason=exc.msg) from exc
    except RecursionError:
        line = _line_of_depth(text, MAX_JSON_DEPTH)
        raise ParseError.of(JSON_TOO_DEEP, line, limit=MAX_JSON_DEPTH) from None
    except _Refused as refused:
        line = _line_outside_strings(text, refused.token)
        raise ParseError.of(refused.template, line, **refused.params) from None
    if duplicates:
        raise ParseError.of(JSON_DUPLICATE_KEY, _duplicate_key_line(text), key=duplicates[0])
    _refuse_unstorable_characters(data, text)
    locate = _Locator(text)
    if not isinstance(data, dict):
        raise ParseError.of(JSON_NOT_OBJECT, _first_content_line(text))
    document = ParsedStandard.from_dict(_standard_shape(data, locate))
    _checked_code(document, locate.line(key="code"))
    problems = document_problems(document)
    if problems:
        problem = problems[0]
        line = locate.line(code=problem.code, key=problem.key, occurrence=problem.occurrence)
        raise ParseError.of(problem.template, line, **problem.params)
    return document


class _Refused(Exception):
    """A JSON value refused while decoding; `token` is a pattern finding it in the text."""

    def __init__(self, token: str, template: str, **params: Any) -> None:
        super().__init__(template)
        self.token, self.template, self.params = token, template, params


def _object_of(pairs: list[tuple[str, Any]], duplicates: list[str]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) < len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                duplicates.append(key)
            seen.add(key)
    return result


def _whole_number(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_JSON_DIGITS:
        token = rf"-?[0-9]{{{MAX_JSON_DIGITS + 1},}}"
        raise _Refused(token, JSON_NUMBER_TOO_LONG, limit=MAX_JSON_DIGITS)
    return int(digits)


def _refuse_constant(constant: str) -> float:
    raise _Refused(re.escape(constant), JSON_CONSTANT, constant=constant)


# A JSON string token, so that what is searched for is found outside strings only.
_STRING = r'"(?:[^"\\]|\\.)*"'


def _line_outside_strings(text: str, token: str) -> int:
    """The line of the first `token` outside the strings of `text` (0 when none)."""
    for match in re.finditer(rf"{_STRING}|(?P<token>{token})", text):
        if match["token"] is not None:
            return text.count("\n", 0, match.start()) + 1
    return 0


def _line_of_depth(text: str, limit: int) -> int:
    """The line where the brackets of `text` first nest deeper than `limit` (0 when never)."""
    depth = 0
    for match in re.finditer(rf"{_STRING}|[\[{{]|[\]}}]", text):
        if match[0] in "[{":
            depth += 1
            if depth > limit:
                return text.count("\n", 0, match.start()) + 1
        elif match[0] in "]}":
            depth -= 1
    return 0


def _duplicate_key_line(text: str) -> int:
    """The line of the first key repeated within one object of `text`."""
    objects: list[set[str]] = []
    for match in re.finditer(rf"({_STRING})\s*:|{_STRING}|[{{}}]", text):
        if match[0] == "{":
            objects.append(set())
        elif match[0] == "}":
            objects.pop()
        elif match[1] is not None and objects:
            key = json.loads(match[1])
            if key in objects[-1]:
                return text.count("\n", 0, match.start()) + 1
            objects[-1].add(key)
    return 0


# A `\uXXXX` escape: after an even run of backslashes, which are escaped backslashes.
_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u([0-9a-fA-F]{4})")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _refuse_unstorable_characters(data: Any, text: str) -> None:
    """Refuse NUL characters and lone surrogates: text no database or page can hold.

    JSON may spell them as escapes (`\\u0000`, `\\ud800`); Python decodes them into strings
    that fail only later, when they are stored or shown.
    """
    values, found = [data], False
    while values and not found:
        value = values.pop()
        if isinstance(value, dict):
            values += value.keys()
            values += value.values()
        elif isinstance(value, list):
            values += value
        elif isinstance(value, str):
            found = _UNSTORABLE.search(value) is not None
    if not found:
        return
    lone: re.Match[str] | None = None  # a high surrogate waits for its low half
    for match in _ESCAPE.finditer(text):
        number = int(match[1], 16)
        low = 0xDC00 <= number <= 0xDFFF
        if lone is not None:
            if low and match.start() == lone.end() and match[0].startswith("\\u"):
                lone = None
                continue
            break
        if number == 0:
            raise ParseError.of(JSON_NUL, text.count("\n", 0, match.start()) + 1)
        if 0xD800 <= number <= 0xDFFF:
            lone = match
            if low:
                break
    line = text.count("\n", 0, lone.start()) + 1 if lone else 0
    escape = "\\" + lone[0].lstrip("\\") if lone else "\\uD800"
    raise ParseError.of(JSON_LONE_SURROGATE, line, escape=escape)


def _first_content_line(text: str) -> int:
    stripped = text.lstrip()
    return text.count("\n", 0, len(text) - len(stripped)) + 1


class _Locator:
    """Finds the line of an object (by its "code") or a key in the JSON text."""

    def __init__(self, text: str) -> None:
        self.text = text

    def line(self, *, code: str | None = None, key: str | None = None, occurrence: int = 1) -> int:
        position = 0
        if code is not None:
            pattern = re.compile(r'"code"\s*:\s*' + re.escape(json.dumps(code, ensure_ascii=False)))
            matches = list(pattern.finditer(self.text))
            if len(matches) < occurrence:
                return 0
            position = matches[occurrence - 1].start()
        if key is not None:
            match = re.compile(rf'"{re.escape(key)}"\s*:').search(self.text, position)
            if match:
                position = match.start()
            elif code is None:
                return 0
        return self.text.count("\n", 0, position) + 1


# The interchange form: for each kind of object, its keys and their types; a key with
# a default may be left out.
_STR = (str,)
_OPTIONAL_STR = (str, type(None))
_REQUIRED = object()

_SHAPES: dict[str, dict[str, tuple[tuple[type, ...], Any]]] = {
    "standard": {
        "code": (_STR, _REQUIRED),
        "name": (_STR, _REQUIRED),
        "versions": ((list,), []),
        "category": ((dict,), _REQUIRED),
        "occupation": ((dict,), _REQUIRED),
        "industry": ((dict,), _REQUIRED),
        "occupations": ((list,), []),
        "industries": ((list,), []),
        "description": (_OPTIONAL_STR, ""),
        "base_level": ((int,), _REQUIRED),
        "duties": ((list,), _REQUIRED),
        "knowledge": ((list,), []),
        "skills": ((list,), []),
        "attitudes": ((list,), []),
        "notes": ((list,), []),
    },
    "version": {
        "version": (_STR, _REQUIRED),
        "code": (_STR, _REQUIRED),
        "name": (_STR, _REQUIRED),
        "status": (_STR, ""),
        "note": (_STR, ""),
        "date": (_OPTIONAL_STR, None),
    },
    "classification": {"code": (_STR, _REQUIRED), "name": (_STR, _REQUIRED)},
    "duty": {"code": (_STR, _REQUIRED), "title": (_STR, _REQUIRED), "tasks": ((list,), _REQUIRED)},
    "task": {
        "code": (_STR, _REQUIRED),
        "title": (_STR, _REQUIRED),
        "level": ((int,), _REQUIRED),
        "outputs": ((list,), []),
        "indicators": ((list,), []),
        "knowledge": ((list,), []),
        "skills": ((list,), []),
    },
    "output": {"code": (_STR, _REQUIRED), "text": (_STR, _REQUIRED)},
    "indicator": {"code": (_STR, _REQUIRED), "text": (_STR, _REQUIRED)},
    "knowledge": {"code": (_STR, _REQUIRED), "name": (_STR, _REQUIRED)},
    "skill": {"code": (_STR, _REQUIRED), "name": (_STR, _REQUIRED)},
    "attitude": {
        "code": (_STR, _REQUIRED),
        "name": (_STR, _REQUIRED),
        "description": (_OPTIONAL_STR, None),
    },
}
_EXPECTED = {
    _STR: gettext_noop("a string"),
    _OPTIONAL_STR: gettext_noop("a string or null"),
    (int,): gettext_noop("a whole number"),
    (list,): gettext_noop("a list"),
    (dict,): gettext_noop("an object"),
}


def _standard_shape(data: dict[str, Any], locate: _Locator) -> dict[str, Any]:
    """A copy of `data` with every optional key filled in; ParseError on a wrong shape."""
    standard = _object(data, "standard", phrase(THE_STANDARD), locate, code=None)
    for key in ("category", "occupation", "industry"):
        where = phrase(KEY, key=key)
        standard[key] = _object(standard[key], "classification", where, locate, code=None, key=key)
    for key, single in (("occupations", "occupation"), ("industries", "industry")):
        standard[key] = [
            _object(
                entry, "classification", phrase(ENTRY, key=key, number=n), locate,
                code=None, key=key,
            )
            for n, entry in enumerate(standard[key], start=1)
        ]  # fmt: skip
        if standard[key] and standard[key][0] != standard[single]:
            raise ParseError.of(FIRST_CLASSIFICATION, locate.line(key=key), key=key, single=single)
    standard["versions"] = [
        _object(
            entry, "version", phrase(ENTRY, key="version", number=number), locate,
            code=_code_of(entry),
        )
        for number, entry in enumerate(standard["versions"], start=1)
    ]  # fmt: skip
    for version in standard["versions"]:
        if version["date"] is not None:
            try:
                datetime.date.fromisoformat(version["date"])
            except ValueError:
                line = locate.line(code=version["code"], key="date")
                raise ParseError.of(
                    BAD_DATE, line, code=version["code"], date=version["date"]
                ) from None
    duties = []
    for number, entry in enumerate(standard["duties"], start=1):
        duty = _object(entry, "duty", _label("duty", entry, number), locate, code=_code_of(entry))
        tasks = []
        for task_number, task_entry in enumerate(duty["tasks"], start=1):
            what = _label("task", task_entry, task_number, inside=duty["code"])
            task = _object(task_entry, "task", what, locate, code=_code_of(task_entry))
            for kind, key, label in [
                ("output", "outputs", gettext_noop("work output")),
                ("indicator", "indicators", gettext_noop("behaviour indicator")),
            ]:
                task[key] = [
                    _object(
                        item, kind, phrase(TASK_PART, what=what, label=label, number=n),
                        locate, code=_code_of(item),
                    )
                    for n, item in enumerate(task[key], start=1)
                ]  # fmt: skip
            for key in ("knowledge", "skills"):
                where = phrase(TASK_LIST, what=what, key=key)
                _strings(task[key], where, locate, code=task["code"], key=key)
            tasks.append(task)
        duty["tasks"] = tasks
        duties.append(duty)
    standard["duties"] = duties
    for kind, key in [("knowledge", "knowledge"), ("skill", "skills"), ("attitude", "attitudes")]:
        standard[key] = [
            _object(entry, kind, phrase(ENTRY, key=kind, number=n), locate, code=_code_of(entry))
            for n, entry in enumerate(standard[key], start=1)
        ]
    _strings(standard["notes"], phrase(KEY, key="notes"), locate, code=None, key="notes")
    return standard


def _object(
    value: object,
    shape: str,
    what: dict[str, Any],
    locate: _Locator,
    *,
    code: str | None,
    key: str | None = None,
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ParseError.of(MUST_BE_OBJECT, locate.line(code=code, key=key), what=what)
    fields = _SHAPES[shape]
    unknown = [name for name in value if name not in fields]
    if unknown:
        line = locate.line(code=code, key=key)
        raise ParseError.of(UNKNOWN_KEY, line, what=what, key=unknown[0])
    result = {}
    for name, (types, default) in fields.items():
        if name not in value:
            if default is _REQUIRED:
                line = locate.line(code=code, key=key)
                raise ParseError.of(MISSING_KEY, line, what=what, key=name)
            result[name] = list(default) if isinstance(default, list) else default
            continue
        item = value[name]
        if not isinstance(item, types) or isinstance(item, bool):
            expected = phrase(_EXPECTED[types])
            line = locate.line(code=code, key=name)
            raise ParseError.of(WRONG_TYPE, line, what=what, key=name, expected=expected)
        result[name] = item
    return result


def _strings(
    values: list[Any], what: dict[str, Any], locate: _Locator, *, code: str | None, key: str
) -> None:
    if not all(isinstance(value, str) for value in values):
        raise ParseError.of(NOT_STRINGS, locate.line(code=code, key=key), what=what)


def _code_of(value: object) -> str | None:
    code = value.get("code") if isinstance(value, dict) else None
    return code if isinstance(code, str) else None


def _label(kind: str, value: object, number: int, inside: str | None = None) -> dict[str, Any]:
    """Where a duty or task is: by its code, else by its number (in its duty)."""
    code = _code_of(value)
    if code:
        return phrase(TASK_CODE if kind == "task" else DUTY_CODE, code=code)
    if kind == "task":
        return phrase(TASK_NUMBER, number=number, duty=inside)
    return phrase(DUTY_NUMBER, number=number)
