"""Rows of an OpenDocument text (odfpy) or a Word document (python-docx), in document order.

A paragraph is a row of one cell; a table row is a row of its cells, a cell's
paragraphs joined by a space. A cell merged over several columns is followed by empty
cells for the columns it covers, and a cell merged down over several rows is empty on
the rows below its first, as the text rendering of the PDF prints them.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from .document import ParseError
from .documents import DOCUMENT_DAMAGED, DOCX, ODT

Row = list[str]
# Repeated empty cells or rows (`table:number-columns-repeated`) are expanded up to here;
# a table of a standard has seven columns.
MAX_REPEAT = 100


def docx_rows(data: bytes) -> list[Row]:
    """The paragraphs and table rows of a Word document's body, in order."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        rows: list[Row] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                rows += _docx_table(block._tbl)
            else:
                rows.append([block.text])
        return rows
    except ParseError:
        raise
    except Exception as exc:  # python-docx raises many kinds on a damaged part
        raise ParseError.of(DOCUMENT_DAMAGED, kind=DOCX) from exc


def _docx_table(table) -> Iterator[Row]:
    from docx.oxml.ns import qn

    for tr in table.tr_lst:
        row: Row = []
        for tc in tr.tc_lst:
            continued = tc.vMerge == "continue"
            texts = [
                "".join(node.text or " " for node in p.iter(qn("w:t"), qn("w:tab")))
                for p in tc.iter(qn("w:p"))
            ]
            row.append("" if continued else " ".join(t for t in texts if t))
            row += [""] * (min(tc.grid_span, MAX_REPEAT) - 1)
        yield row


def odt_rows(data: bytes) -> list[Row]:
    """The paragraphs and table rows of an OpenDocument text's body, in order."""
    from odf.opendocument import load

    try:
        document = load(io.BytesIO(data))
        return list(_odt_blocks(document.text))
    except ParseError:
        raise
    except Exception as exc:  # odfpy raises many kinds on damaged XML
        raise ParseError.of(DOCUMENT_DAMAGED, kind=ODT) from exc


_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _odt_blocks(element) -> Iterator[Row]:
    for child in element.childNodes:
        name = getattr(child, "qname", None)
        if name in ((_TEXT_NS, "p"), (_TEXT_NS, "h")):
            yield [_odt_text(child)]
        elif name == (_TABLE_NS, "table"):
            yield from _odt_table(child)
        elif name is not None and name[1] in ("section", "list", "list-item", "list-header"):
            yield from _odt_blocks(child)


def _odt_table(table) -> Iterator[Row]:
    for row in _odt_table_rows(table):
        cells: Row = []
        for cell in row.childNodes:
            name = getattr(cell, "qname", None)
            if name not in ((_TABLE_NS, "table-cell"), (_TABLE_NS, "covered-table-cell")):
                continue
            repeat = _number(cell, "number-columns-repeated")
            text = ""
            if name[1] == "table-cell":
                text = " ".join(t for row in _odt_blocks(cell) for t in row if t)
            cells += [text] * repeat
        for _ in range(_number(row, "number-rows-repeated")):
            yield list(cells)


def _odt_table_rows(element) -> Iterator:
    for child in element.childNodes:
        name = getattr(child, "qname", None)
        if name == (_TABLE_NS, "table-row"):
            yield child
        elif name is not None and name[0] == _TABLE_NS and name[1].endswith("rows"):
            # table-header-rows, table-rows, table-row-group
            yield from _odt_table_rows(child)


def _number(element, attribute: str) -> int:
    value = element.attributes.get((_TABLE_NS, attribute), "1")
    return min(int(value), MAX_REPEAT) if value.isdigit() else 1


def _odt_text(element) -> str:
    """The text of a paragraph: its spans and links, `text:s` spaces, tabs as spaces."""
    pieces: list[str] = []
    for child in element.childNodes:
        if child.nodeType == child.TEXT_NODE:
            pieces.append(child.data)
            continue
        name = getattr(child, "qname", (None, None))
        if name[0] != _TEXT_NS:
            continue
        if name[1] == "s":
            pieces.append(" " * min(_text_number(child, "c"), MAX_REPEAT))
        elif name[1] in ("tab", "line-break"):
            pieces.append(" ")
        elif name[1] not in ("note", "bookmark", "soft-page-break"):
            pieces.append(_odt_text(child))
    return "".join(pieces)


def _text_number(element, attribute: str) -> int:
    value = element.attributes.get((_TEXT_NS, attribute), "1")
    return int(value) if value.isdigit() else 1
