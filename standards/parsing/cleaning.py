"""Text clean-up shared by every part of the parser (DOMAIN.md, reading rule 1)."""

import html
import re

# CJK ideographs, kana, CJK and full-width punctuation: a space between two of these is
# an artefact of line wrapping, never meaningful.
CJK = (
    r"\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
)

# A tag with its attributes; the closing `>` may be missing (a fragment cut mid-tag).
_TAG = re.compile(
    r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9]*"
    r"(?:\s+[A-Za-z_:][-A-Za-z0-9_:.]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s<>\"']+))?)*\s*/?>?"
)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+", re.MULTILINE)
_BULLET = re.compile(r"^\s*(?:(?:[-*+](?=\s)|[•●○◆◇▪►])\s*)+", re.MULTILINE)
_SPACES = re.compile(r"\s+")
_CJK_GAP = re.compile(rf"(?<=[{CJK}]) (?=[{CJK}])")
_PAREN_OPEN = re.compile(r"\(\s+")
_PAREN_CLOSE = re.compile(r"\s+\)")


def strip_markup(text: str) -> str:
    """Remove HTML fragments (also unclosed ones), markdown emphasis, headings and bullets."""
    # A tag ends a line: bullets and headings after it are at the start of their line.
    text = html.unescape(_TAG.sub("\n", text))
    text = _MD_EMPHASIS.sub(r"\2", text)
    text = text.replace("**", "")
    text = _MD_HEADING.sub("", text)
    return _BULLET.sub("", text)


def squash(text: str) -> str:
    """Fold whitespace the way the expected parses do: one space, none between CJK."""
    text = _SPACES.sub(" ", text.replace("\u3000", " ")).strip()
    text = _CJK_GAP.sub("", text)
    text = _PAREN_OPEN.sub("(", text)
    return _PAREN_CLOSE.sub(")", text)


def clean(text: str) -> str:
    return squash(strip_markup(text))


def join(head: str, tail: str) -> str:
    """Join a text cut by a page break with its continuation."""
    if not head:
        return squash(tail)
    if not tail:
        return head
    for opening, closing in ("()", "（）"):
        # The renderer closes a parenthesis left open at the page break; the tail's own
        # closing one shows it was artificial.
        if head.endswith(closing) and tail.count(closing) > tail.count(opening):
            head = head[: -len(closing)]
    return squash(f"{head} {tail}")


def split_at(text: str, matches: list[re.Match[str]]) -> list[tuple[re.Match[str], str]]:
    """Each match with the text that follows it up to the next match."""
    ends = [match.start() for match in matches[1:]] + [len(text)] if matches else []
    return [
        (match, text[match.end() : end].strip()) for match, end in zip(matches, ends, strict=True)
    ]


def compact(text: str) -> str:
    """A label without any whitespace, for matching headings like `所屬 類別`."""
    return _SPACES.sub("", strip_markup(text))
