"""Text clean-up shared by every part of the parser (docs/domain.md, reading rule 1).

Every pattern here runs in time linear in its input: no pattern that can start at many
places scans past the end of its own line, and texts continued over many rows are kept
as pieces (`extend`) instead of being joined and cleaned again for every row.
"""

import html
import re

# CJK ideographs, kana, CJK and full-width punctuation: a space between two of these is
# an artefact of line wrapping, never meaningful.
CJK = (
    r"\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
)

# A tag with its attributes; the closing `>` may be missing (a fragment cut mid-tag).
# Comments are removed by `_drop_comments`: `<!--.*?-->` rescans the rest of the line
# for every unclosed `<!--`.
_TAG = re.compile(
    r"</?[A-Za-z][A-Za-z0-9]*"
    r"(?:\s+[A-Za-z_:][-A-Za-z0-9_:.]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s<>\"']+))?)*\s*/?>?"
)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
# `[^\S\n]*` rather than `\s*` at a line's start: `\s*` would run over every following
# blank line from every line start, quadratic in a run of empty lines.
_MD_HEADING = re.compile(r"^[^\S\n]*#{1,6}\s+", re.MULTILINE)
_BULLET = re.compile(r"^[^\S\n]*(?:(?:[-*+](?=\s)|[•●○◆◇▪►])\s*)+", re.MULTILINE)
# html.unescape converts a decimal character reference with int(), which refuses more
# than 4,300 digits; any reference past 7 significant digits is beyond Unicode anyway.
_LONG_CHARREF = re.compile(r"&#([0-9]{8,});?")
_CJK_CHAR = re.compile(rf"[{CJK}]")
# A character that every pattern of `strip_markup` needs to find anything.
_MARKUP_SIGN = re.compile(r"[<&*_#+\-•●○◆◇▪►]")
_SPACES = re.compile(r"\s+")
_CJK_GAP = re.compile(rf"(?<=[{CJK}]) (?=[{CJK}])")
_PAREN_OPEN = re.compile(r"\(\s+")
_PAREN_CLOSE = re.compile(r"\s+\)")


def strip_markup(text: str) -> str:
    """Remove HTML fragments (also unclosed ones), markdown emphasis, headings and bullets."""
    if not _MARKUP_SIGN.search(text):
        return text  # most cells: the passes below would find nothing
    # A tag ends a line: bullets and headings after it are at the start of their line.
    text = _TAG.sub("\n", _drop_comments(text))
    text = html.unescape(_LONG_CHARREF.sub(_long_charref, text))
    text = _MD_EMPHASIS.sub(lambda match: match[2], text)
    text = text.replace("**", "")
    text = _MD_HEADING.sub("", text)
    return _BULLET.sub("", text)


def _drop_comments(text: str) -> str:
    """Remove `<!-- … -->` comments closed on their own line (an unclosed one stays text)."""
    if "<!--" not in text:
        return text
    kept: list[str] = []
    position = 0
    # The next `-->` and line break at or after a point are looked up once and reused,
    # so that many unclosed comments on one line do not each search the rest of it.
    closing = newline = -1
    while (start := text.find("<!--", position)) >= 0:
        if closing < start + 4:
            closing = text.find("-->", start + 4)
        if closing < 0:
            break
        if newline < start:
            newline = text.find("\n", start) % (len(text) + 1)  # none: the text's end
        if newline < closing:
            kept.append(text[position : start + 4])
            position = start + 4
            continue
        kept.append(text[position:start] + "\n")
        position = closing + 3
    kept.append(text[position:])
    return "".join(kept)


def _long_charref(match: re.Match[str]) -> str:
    digits = match[1].lstrip("0")
    return f"&#{digits or 0};" if len(digits) <= 7 else "\ufffd"


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
    pieces = [head] if head else []
    extend(pieces, tail)
    return "".join(pieces)


def extend(pieces: list[str], tail: str) -> None:
    """Continue a cleaned text, kept as `pieces`, with `tail` as `join` does.

    Takes time linear in `tail` alone: `squash` of the whole text would only change the
    space where the two meet, so only that space is decided here.
    """
    tail = squash(tail)
    if not tail:
        return
    while pieces and not pieces[-1]:
        pieces.pop()
    for opening, closing in ("()", "（）"):
        # The renderer closes a parenthesis left open at the page break; the tail's own
        # closing one shows it was artificial.
        if pieces and pieces[-1].endswith(closing) and tail.count(closing) > tail.count(opening):
            pieces[-1] = pieces[-1][: -len(closing)]
            while pieces and not pieces[-1].strip():
                pieces.pop()
            if pieces:
                pieces[-1] = pieces[-1].rstrip()
    if pieces:
        last, first = pieces[-1][-1], tail[0]
        cjk = _CJK_CHAR.match(last) and _CJK_CHAR.match(first)
        if not (cjk or last == "(" or first == ")"):
            pieces.append(" ")
    pieces.append(tail)


def split_at(text: str, matches: list[re.Match[str]]) -> list[tuple[re.Match[str], str]]:
    """Each match with the text that follows it up to the next match."""
    ends = [match.start() for match in matches[1:]] + [len(text)] if matches else []
    return [
        (match, text[match.end() : end].strip()) for match, end in zip(matches, ends, strict=True)
    ]


def compact(text: str) -> str:
    """A label without any whitespace, for matching headings like `所屬 類別`."""
    return _SPACES.sub("", strip_markup(text))
