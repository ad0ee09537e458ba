"""The one formula-safe writer and reader of spreadsheets (CSV, XLSX, JSON datasets).

Every CSV or XLSX the portal writes, whether a report, an admin export or "My data",
goes through `neutralise`: a text cell starting with one of FORMULA_TRIGGERS gets a
leading apostrophe, so a spreadsheet shows it as text instead of running it. Reading a
CSV or XLSX upload removes the apostrophe again (`restore`), so every import of a
downloaded file gives back the original text. Every uploaded spreadsheet goes through
`check_upload`: a size limit, and for XLSX a zip-bomb check before openpyxl (which
parses with defusedxml) reads it.

Every download is a file people keep: `download` writes the rows `about` gives (whose
assessment, which cycle and standard) above the table, names the file after the same
(`attachment`: an ASCII name and the full one in RFC 5987's `filename*`), and sizes the
XLSX columns by display width, a CJK character counting as two.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import quote
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import CSV, JSON, XLSX
from openpyxl import Workbook
from openpyxl import xml as openpyxl_xml
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_IMPORT_BYTES = 5 * 1024 * 1024
# An XLSX file is a zip archive of XML parts; these bound what it may unpack to.
MAX_XLSX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_XLSX_RATIO = 100
MAX_XLSX_MEMBERS = 1000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOAD_FORMATS = ("csv", "xlsx")
# XLSX column widths, in characters of the default font (a CJK character is two).
MIN_COLUMN_WIDTH = 6
MAX_COLUMN_WIDTH = 60
# Characters no file name may hold on Windows, macOS or Linux, and control characters.
UNSAFE_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\s]+')

FILE_TOO_LARGE = _("The file is larger than %(limit)s MB.")
NOT_XLSX = _("The file is not a valid XLSX workbook.")
XLSX_TOO_BIG = _("The workbook unpacks to too much data; it looks like a zip bomb.")
XLSX_UNSAFE_PARSER = _("XLSX import needs defusedxml, which is not installed.")


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def restore(value: Any) -> Any:
    """The original text of a cell that `neutralise` escaped."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'":
        if value[1:].startswith(FORMULA_TRIGGERS):
            return value[1:]
    return value


def neutralise_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of `dataset` in which no cell can be read as a formula."""
    return _each_cell(dataset, neutralise)


def restore_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    """`dataset` with every cell `neutralise` escaped given back its original text."""
    return _each_cell(dataset, restore)


def _each_cell(dataset: tablib.Dataset, change: Callable[[Any], Any]) -> tablib.Dataset:
    changed = tablib.Dataset(title=dataset.title)
    if dataset.headers:
        changed.headers = [change(header) for header in dataset.headers]
    for row in dataset:
        changed.append([change(cell) for cell in row])
    return changed


def check_xlsx_archive(data: bytes) -> None:
    """Refuse an XLSX file that is not a zip archive or would unpack to too much."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise ValidationError(NOT_XLSX) from None
    total = sum(member.file_size for member in members)
    if (
        len(members) > MAX_XLSX_MEMBERS
        or total > MAX_XLSX_UNCOMPRESSED_BYTES
        or any(m.file_size > MAX_XLSX_RATIO * max(m.compress_size, 1) for m in members)
    ):
        raise ValidationError(XLSX_TOO_BIG)


def check_import_size(data: bytes) -> None:
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError(FILE_TOO_LARGE % {"limit": MAX_IMPORT_BYTES // (1024 * 1024)})


class SafeCSV(CSV):
    def export_data(self, dataset: tablib.Dataset, **kwargs: Any) -> str:
        return super().export_data(neutralise_dataset(dataset), **kwargs)

    def create_dataset(self, in_stream: Any, **kwargs: Any) -> tablib.Dataset:
        raw = in_stream.encode() if isinstance(in_stream, str) else in_stream
        check_import_size(raw)
        return restore_dataset(super().create_dataset(in_stream, **kwargs))


class SafeXLSX(XLSX):
    def export_data(self, dataset: tablib.Dataset, **kwargs: Any) -> bytes:
        # The same workbook as a report's download: neutralised, CJK-wide columns.
        return _xlsx(dataset, ())

    def create_dataset(self, in_stream: bytes) -> tablib.Dataset:
        if not openpyxl_xml.DEFUSEDXML:
            raise ValidationError(XLSX_UNSAFE_PARSER)
        check_import_size(in_stream)
        check_xlsx_archive(in_stream)
        return restore_dataset(super().create_dataset(in_stream))


class SafeJSON(JSON):
    def create_dataset(self, in_stream: Any, **kwargs: Any) -> tablib.Dataset:
        raw = in_stream.encode() if isinstance(in_stream, str) else in_stream
        check_import_size(raw)
        return super().create_dataset(in_stream, **kwargs)


# The formats every django-import-export admin offers.
IMPORT_EXPORT_FORMATS = [SafeCSV, SafeXLSX, SafeJSON]


def dataset(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> tablib.Dataset:
    """A tablib dataset with a sheet title Excel accepts (at most 31 characters)."""
    data = tablib.Dataset(title=title[:31])
    data.headers = list(headers)
    for row in rows:
        data.append(list(row))
    return data


def file_name(*parts: str) -> str:
    """A download's file name from its parts, joined by "-": `file_name("gap", "E102",
    "2026年度", "AVA4322-001v4")` is "gap-E102-2026年度-AVA4322-001v4". Characters no
    file system accepts become "_"; empty parts are left out."""
    cleaned = (UNSAFE_IN_FILE_NAMES.sub("_", part).strip("._") for part in parts)
    return "-".join(part for part in cleaned if part)


def ascii_file_name(name: str) -> str:
    """The name with only ASCII letters, digits and ._- (for clients that ignore
    `filename*`): accents folded, anything else dropped, "download" for a name left with
    nothing but its extension. `gap-E102-2026年度-X.xlsx` is `gap-E102-2026-X.xlsx`."""

    def fold(text: str) -> str:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return re.sub(r"[-_.]{2,}", "-", re.sub(r"[^A-Za-z0-9._-]+", "", ascii_text))

    stem, dot, extension = name.rpartition(".") if "." in name else (name, "", "")
    stem = fold(stem).strip("-_.") or "download"
    extension = fold(extension)
    return f"{stem}.{extension}" if dot and extension else stem


def attachment(
    response: HttpResponse, name: str, *, disposition: str = "attachment"
) -> HttpResponse:
    """Make `response` a download called `name`: the ASCII fallback in `filename`, the
    full name in RFC 5987's `filename*` when it holds anything else. `disposition` is
    "inline" for a file the browser may show itself (the portal's own PDFs)."""
    fallback = ascii_file_name(name)
    header = f'{disposition}; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    response["Content-Disposition"] = header
    return response


def display_width(value: Any) -> int:
    """How many character widths a cell's longest line takes: wide (CJK) characters
    count two."""
    lines = str(value).splitlines() or [""]
    return max(
        sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in lines
    )


def _rows(data: tablib.Dataset, about: Sequence[tuple[str, Any]]) -> list[list[Any]]:
    """The rows of a download: the about block and a blank row, then headers and table,
    every cell neutralised."""
    rows: list[list[Any]] = [[label, value] for label, value in about]
    if rows:
        rows.append([])
    if data.headers:
        rows.append(list(data.headers))
    rows += [list(row) for row in data]
    # Lazy translations (a label, a definition) are written as the text they stand for.
    return [[neutralise(str(c) if isinstance(c, Promise) else c) for c in row] for row in rows]


def _xlsx_value(value: Any) -> Any:
    """A cell as openpyxl stores it: control characters XML cannot hold (a pasted comment
    may have some) dropped, an aware time in local time (Excel has no time zones),
    anything else that is not a number, date or text as its text."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    if value is None or isinstance(value, (int, float, Decimal, datetime.date, datetime.time)):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _xlsx(data: tablib.Dataset, about: Sequence[tuple[str, Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = re.sub(r"[\\/*?:\[\]]", "-", data.title or "Sheet")[:31]
    bold = Font(bold=True)
    header_row = (len(about) + 2 if about else 1) if data.headers else None
    rows = _rows(data, about)
    for number, row in enumerate(rows, start=1):
        sheet.append([_xlsx_value(cell) for cell in row])
        if number <= len(about) or number == header_row:
            for cell in sheet[number][: 1 if number <= len(about) else None]:
                cell.font = bold
    if header_row:
        sheet.freeze_panes = f"A{header_row + 1}"
    # The about block's values may be long (a standard's name): they overflow into the
    # empty cells beside them, so only the table sizes the columns.
    table = rows[len(about) + 1 :] if about else rows
    for index in range(data.width):
        cells = (row[index] for row in table if row[index] is not None)
        widest = max((display_width(cell) for cell in cells), default=0)
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(
            max(widest + 2, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH
        )
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def download(
    data: tablib.Dataset,
    *,
    fmt: str,
    filename: str,
    about: Sequence[tuple[str, Any]] = (),
) -> HttpResponse:
    """The dataset as a formula-safe CSV (UTF-8 with BOM, for Excel) or XLSX attachment
    named `filename`.`fmt`, with the `about` rows (label, value) above the table."""
    if fmt == "xlsx":
        response = HttpResponse(_xlsx(data, about), content_type=XLSX_CONTENT_TYPE)
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # so that Excel reads the Chinese text as UTF-8
        csv.writer(response).writerows(_rows(data, about))
    return attachment(response, f"{filename}.{fmt}")


def csv_response(filename: str) -> tuple[HttpResponse, Any]:
    """A CSV attachment (UTF-8 with BOM) and a writer whose every row is neutralised.

    For downloads written row by row rather than built as one dataset.
    """
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    attachment(response, filename)
    response.write("\ufeff")  # so that Excel reads the Chinese text as UTF-8
    return response, _SafeWriter(csv.writer(response))


class _SafeWriter:
    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([neutralise(cell) for cell in row])


def workbook_bytes(book: tablib.Databook) -> bytes:
    """An XLSX workbook of several named sheets, every cell formula-safe."""
    safe = tablib.Databook([neutralise_dataset(sheet) for sheet in book.sheets()])
    return safe.export("xlsx")


def read_workbook(data: bytes) -> tablib.Databook:
    """The sheets of an uploaded XLSX workbook (first row: headers), escapes restored.

    Refused with ValidationError, before openpyxl reads it, when it is too large, not a
    zip archive or a zip bomb; and when openpyxl cannot read it.
    """
    if not openpyxl_xml.DEFUSEDXML:
        raise ValidationError(XLSX_UNSAFE_PARSER)
    check_import_size(data)
    check_xlsx_archive(data)
    try:
        book = tablib.Databook().load(data, "xlsx")
    except Exception as exc:  # openpyxl raises many kinds on a broken workbook
        raise ValidationError(NOT_XLSX) from exc
    return tablib.Databook([restore_dataset(sheet) for sheet in book.sheets()])


def download_workbook(book: tablib.Databook, *, filename: str) -> HttpResponse:
    """The workbook as a formula-safe XLSX attachment."""
    response = HttpResponse(workbook_bytes(book), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
