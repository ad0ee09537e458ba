"""The official document forms (PDF, ODT, Word) read into the rows of a text rendering.

Each form's tables and paragraphs become the tab-separated lines that `parse_text`
reads, one line per table row or paragraph, so every repair the text parser makes
(header rows repeated on each page, cells continued across a page break, merged duty
and level cells, numbering slips) holds for every form. The form is recognised by the
file's content (its leading bytes, the members of a ZIP), never by its name.
"""

from __future__ import annotations

import io
import zipfile

from .document import ParseError, gettext_noop

PDF, ODT, DOCX = "PDF", "ODT", "DOCX"

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Past these a ZIP is refused before any library unpacks it: an office document of a
# standard unpacks to well under a megabyte in a few dozen members.
MAX_MEMBERS = 1000
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_PAGES = 200
# A row's cells joined by a tab, its paragraphs by a space: text with neither.
_SEPARATORS = str.maketrans({"\t": " ", "\n": " ", "\r": " ", "\x0b": " ", "\x0c": " "})

NOT_A_DOCUMENT_ZIP = gettext_noop(
    "this ZIP file is neither an OpenDocument text (.odt) nor a Word document (.docx)"
)
WORKBOOK_NOT_A_DOCUMENT = gettext_noop(
    "this is an Excel workbook, not one document: import it as a workbook of whole "
    "documents (the admin's 'Import whole documents (XLSX)', or import_standards)"
)
OTHER_OPENDOCUMENT = gettext_noop(
    "this OpenDocument file is not a text document (.odt); save the standard as .odt"
)
ZIP_DAMAGED = gettext_noop(
    "the {kind} file is damaged: its ZIP archive cannot be read (is it incomplete?)"
)
ZIP_BOMB = gettext_noop(
    "the {kind} file unpacks to more than {limit} MB or {members} parts; "
    "a standard's document is far smaller"
)
XML_DOCTYPE = gettext_noop(
    "the {kind} file declares XML entities, which an office document never needs"
)
DOCUMENT_DAMAGED = gettext_noop("the {kind} file is damaged and cannot be read")
NO_CONTENT = gettext_noop("the {kind} file holds no text or tables")


def is_workbook(data: bytes) -> bool:
    """Whether `data` is an XLSX workbook (a ZIP holding xl/workbook.xml), by content."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        return "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        return False


def document_kind(data: bytes) -> str | None:
    """PDF, ODT or DOCX when `data` is one of the official forms, else None.

    Raises ParseError for a ZIP that is neither, or an OpenDocument of another kind.
    """
    if data.startswith(b"%PDF-"):
        return PDF
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise ParseError.of(ZIP_DAMAGED, kind="ZIP") from None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        raise ParseError.of(WORKBOOK_NOT_A_DOCUMENT)
    if "content.xml" in names and "mimetype" in names:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            mimetype = _read_member(archive, "mimetype", limit=200, kind=ODT).strip()
        if mimetype != ODT_MIMETYPE:
            raise ParseError.of(OTHER_OPENDOCUMENT)
        return ODT
    raise ParseError.of(NOT_A_DOCUMENT_ZIP)


def document_text(data: bytes, kind: str) -> str:
    """The text rendering of a PDF, ODT or DOCX document: one line per row or paragraph."""
    if kind == PDF:
        from .pdf import pdf_rows

        rows = pdf_rows(data)
    else:
        checked_zip(data, kind)
        from .office import docx_rows, odt_rows

        rows = odt_rows(data) if kind == ODT else docx_rows(data)
    lines = ["\t".join(cell.translate(_SEPARATORS) for cell in row) for row in rows]
    if not any(line.strip() for line in lines):
        raise ParseError.of(NO_CONTENT, kind=kind)
    return "\n".join(lines)


def checked_zip(data: bytes, kind: str) -> None:
    """Refuse a damaged ZIP, a ZIP bomb, and XML that declares entities.

    Every member is unpacked once here, in chunks, counting what it really unpacks to:
    the sizes a ZIP declares may lie.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            declared = sum(member.file_size for member in members)
            if (
                len(members) > MAX_MEMBERS
                or declared > MAX_UNPACKED_BYTES
                or any(m.file_size > MAX_RATIO * max(m.compress_size, 1024) for m in members)
            ):
                raise _bomb(kind)
            total = 0
            for member in members:
                total += len(
                    _read_member(archive, member.filename, MAX_UNPACKED_BYTES - total, kind)
                )
    except ParseError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise ParseError.of(ZIP_DAMAGED, kind=kind) from exc


def _read_member(archive: zipfile.ZipFile, name: str, limit: int, kind: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    with archive.open(name) as member:
        while chunk := member.read(64 * 1024):
            size += len(chunk)
            if size > limit:
                raise _bomb(kind)
            chunks.append(chunk)
    content = b"".join(chunks)
    if name.endswith(".xml") and b"<!DOCTYPE" in content:
        raise ParseError.of(XML_DOCTYPE, kind=kind)
    return content


def _bomb(kind: str) -> ParseError:
    return ParseError.of(
        ZIP_BOMB, kind=kind, limit=MAX_UNPACKED_BYTES // 2**20, members=MAX_MEMBERS
    )
