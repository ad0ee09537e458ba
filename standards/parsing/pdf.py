"""Rows of a PDF (pdfplumber), page by page, top to bottom.

A table row is a row of its cells (a cell merged down over several rows is empty below
its first, a row broken by a page break is two rows, as in the text rendering); a line
of text outside the tables is a row of one cell, with the lines of one paragraph joined.
"""

from __future__ import annotations

import io

from .document import ParseError, gettext_noop
from .documents import DOCUMENT_DAMAGED, MAX_PAGES, PDF

Row = list[str]

PDF_ENCRYPTED = gettext_noop(
    "the PDF is protected by a password; download it again from iCAP, or save it without a password"
)
PDF_NO_TEXT = gettext_noop(
    "the PDF has no text, only images (a scanned or photographed page?); download the "
    "standard's PDF from iCAP, which has its text"
)
PDF_TOO_MANY_PAGES = gettext_noop(
    "the PDF has more than {limit} pages; a competency standard has a few dozen"
)
# A line of a paragraph that reaches this far towards the right margin was wrapped
# there: the next line continues it.
_WRAPPED = 0.9


def pdf_rows(data: bytes) -> list[Row]:
    """The table rows and text lines of every page, in reading order."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise ParseError.of(PDF_TOO_MANY_PAGES, limit=MAX_PAGES)
            rows: list[Row] = []
            characters = 0
            for page in pdf.pages:
                characters += len(page.chars)
                rows += _page_rows(page)
                page.close()
    except ParseError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        if _caused_by(exc, PDFPasswordIncorrect) or "password" in str(exc).lower():
            raise ParseError.of(PDF_ENCRYPTED) from exc
        raise ParseError.of(DOCUMENT_DAMAGED, kind=PDF) from exc
    if not characters:
        raise ParseError.of(PDF_NO_TEXT)
    return rows


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kind) or any(isinstance(arg, kind) for arg in seen.args):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _page_rows(page) -> list[Row]:
    placed: list[tuple[float, Row]] = []
    tables = page.find_tables()
    outside = page
    for table in tables:
        for row, cells in zip(table.rows, table.extract(keep_blank_chars=True), strict=True):
            placed.append((row.bbox[1], [_cell_text(cell) for cell in cells]))
        outside = outside.outside_bbox(table.bbox)
    lines = outside.extract_text_lines(keep_blank_chars=True)
    if lines:
        # The margins are taken as equal: the right one is where the left one is.
        left = min([line["x0"] for line in lines] + [table.bbox[0] for table in tables])
        right = page.width - left
        paragraph: list[str] = []
        top = 0.0
        for line in lines:
            if not paragraph:
                top = line["top"]
            paragraph.append(line["text"])
            if line["x1"] < left + _WRAPPED * (right - left):
                placed.append((top, [_joined(paragraph)]))
                paragraph = []
        if paragraph:
            placed.append((top, [_joined(paragraph)]))
    placed.sort(key=lambda item: item[0])
    return [row for _top, row in placed]


def _cell_text(cell: str | None) -> str:
    return _joined((cell or "").split("\n"))


def _joined(lines: list[str]) -> str:
    """Lines wrapped by the PDF's layout, joined with a space, which the cleaning removes
    between two Chinese characters; without one between ASCII punctuation and Chinese
    (`相關` + `(資源)`, `技能:` + `與`), where the layout breaks lines that had none."""
    text = ""
    for line in lines:
        if text and line and not text[-1].isspace() and _tight(text[-1], line[0]):
            text += line
        elif text:
            text = text.rstrip() + " " + line.lstrip()
        else:
            text = line
    return text


def _tight(last: str, first: str) -> bool:
    def punctuation(character: str) -> bool:
        return character.isascii() and not character.isalnum() and not character.isspace()

    return (punctuation(last) and not first.isascii()) or (
        punctuation(first) and not last.isascii()
    )
