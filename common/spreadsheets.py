"""The one formula-safe writer and reader of spreadsheets (CSV, XLSX, JSON datasets).

Every CSV or XLSX the portal writes, whether a report, an admin export or "My data",
goes through `neutralise`: a text cell starting with one of FORMULA_TRIGGERS gets a
leading apostrophe, so a spreadsheet shows it as text instead of running it. Reading a
CSV or XLSX upload removes the apostrophe again (`restore`), so every import of a
downloaded file gives back the original text. Every uploaded spreadsheet goes through
`check_upload`: a size limit, and for XLSX a zip-bomb check before openpyxl (which
parses with defusedxml) reads it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import CSV, JSON, XLSX
from openpyxl import xml as openpyxl_xml

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_IMPORT_BYTES = 5 * 1024 * 1024
# An XLSX file is a zip archive of XML parts; these bound what it may unpack to.
MAX_XLSX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_XLSX_RATIO = 100
MAX_XLSX_MEMBERS = 1000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOAD_FORMATS = ("csv", "xlsx")

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
        return super().export_data(neutralise_dataset(dataset), **kwargs)

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


def download(data: tablib.Dataset, *, fmt: str, filename: str) -> HttpResponse:
    """The dataset as a formula-safe CSV (UTF-8 with BOM, for Excel) or XLSX attachment."""
    if fmt == "xlsx":
        response = HttpResponse(SafeXLSX().export_data(data), content_type=XLSX_CONTENT_TYPE)
    else:
        response = HttpResponse(
            "\ufeff" + SafeCSV().export_data(data), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def csv_response(filename: str) -> tuple[HttpResponse, Any]:
    """A CSV attachment (UTF-8 with BOM) and a writer whose every row is neutralised.

    For downloads written row by row rather than built as one dataset.
    """
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
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
