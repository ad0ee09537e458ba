"""The rules for the codes of a standard and of its parts, in one place.

Pure Python, no ORM: the parser's consistency check, the models' `clean()`, the admin
forms and the import-export resources all ask these functions, so every path that
writes a code gives the same answer.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

# `AVA4322-001v4` is version 4 of family `AVA4322-001`; a code without the suffix is v1.
VERSION_SUFFIX = re.compile(r"^(?P<family>.+?)v(?P<number>\d+)$")
MAX_VERSION_DIGITS = 4
# A code travels in URLs, file names, CSV cells and the interchange form: no path
# separators, quotes, control characters (line breaks included) or invisible separators.
FORBIDDEN_IN_CODE = re.compile(r"[/\\\"'`<>\x00-\x1f\x7f-\x9f\u2028\u2029]")

CODE_EMPTY = _("A code cannot be empty.")
CODE_FORBIDDEN = _(
    "The code %(code)s holds a character a code may not: slashes, quotes, angle brackets, "
    "line breaks or other control characters."
)
TASK_CODE_PREFIX = _("A task's code must start with its duty's code and a dot, e.g. %(example)s.")


def split_code(code: str) -> tuple[str, int]:
    """The family code and version number of a standard's code."""
    match = VERSION_SUFFIX.match(code)
    # int() refuses thousands of digits, and no standard reaches a five-digit version.
    if match is None or len(match["number"]) > MAX_VERSION_DIGITS:
        return code, 1
    return match["family"], int(match["number"])


def version_code(family_code: str, version_number: int) -> str:
    """The code of version `version_number` of a family: the inverse of `split_code`."""
    return f"{family_code}v{version_number}"


def code_error(code: str) -> str | None:
    """Why `code` cannot be a code (of a standard, duty, task, item or output), or None."""
    reason = code_reason(code)
    return None if reason is None else str(reason)


def code_reason(code: str) -> Promise | None:
    """`code_error`, said in the language active when it is shown (lazily)."""
    if not code or not code.strip():
        return CODE_EMPTY
    if FORBIDDEN_IN_CODE.search(code) or code != code.strip():
        return _filled_lazily(CODE_FORBIDDEN, {"code": repr(code)})
    return None


def task_code_error(task_code: str, duty_code: str) -> str | None:
    """The message for a task code that does not start with `T1.` under duty `T1`."""
    reason = task_code_reason(task_code, duty_code)
    return None if reason is None else str(reason)


def task_code_reason(task_code: str, duty_code: str) -> Promise | None:
    """`task_code_error`, said in the language active when it is shown (lazily)."""
    if task_code.startswith(f"{duty_code}."):
        return None
    return _filled_lazily(TASK_CODE_PREFIX, {"example": f"{duty_code}.1"})


_filled_lazily = lazy(lambda message, params: str(message) % params, str)


def validate_code(code: str) -> None:
    """Field validator of every code field: the same rule as `code_error`."""
    message = code_error(code)
    if message:
        raise ValidationError(message, code="invalid_code")
