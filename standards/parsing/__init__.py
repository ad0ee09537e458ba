"""Pure-Python reading of official documents: text in, dataclasses out, no ORM."""

from .document import ParsedStandard, ParseError
from .official import parse_text

__all__ = ["ParseError", "ParsedStandard", "parse_text"]
