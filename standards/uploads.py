"""Uploading official documents in the admin: a preview first, then an all-or-nothing import.

The preview runs the real importer inside a transaction that is rolled back, so what
it reports (created, updated or unchanged, the warnings with their line numbers, or
the error) is exactly what confirming will do; it also shows each document as its
standard page will (rendered by the caller inside that transaction) and what changes
from the version stored before it.
"""

from __future__ import annotations

import io
import secrets
import zipfile
from base64 import b64decode, b64encode
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .codes import split_code
from .comparison import Comparison, compare_documents
from .models import Standard
from .parsing.document import ParseError, ParseWarning
from .parsing.documents import DOCX, ODT, document_kind
from .reader import read_document
from .services import standard_export, standard_import

# Renders an imported (not yet committed) standard with its warnings, for the preview.
DocumentRenderer = Callable[[Standard, list[ParseWarning]], str]

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_FILES = 20
# The files wait in the session (in the database) between the preview and the confirmation.
MAX_UPLOAD_TOTAL_BYTES = 8 * 1024 * 1024
PENDING_UPLOAD_KEY = "standards_upload:"
# A background import (many files, or a zip of them): each file still at most
# MAX_UPLOAD_BYTES; the upload itself fits in memory (FILE_UPLOAD_MAX_MEMORY_SIZE).
MAX_BACKGROUND_FILES = 500
MAX_BACKGROUND_UPLOAD_BYTES = 10 * 1024 * 1024
# What a zip may unpack to: a zip bomb is refused before anything is decompressed.
MAX_ZIP_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ZIP_RATIO = 100
ZIP_SIGNATURE = b"PK\x03\x04"

# Leading bytes of the file types HR might pick by mistake instead of a document. PDF,
# ODT and Word (.docx, a ZIP) are documents: the reader recognises them by content.
DOCUMENT_SIGNATURES = (b"%PDF-", b"PK\x03\x04")
BINARY_SIGNATURES = {
    b"\xd0\xcf\x11\xe0": "Word 97-2003 (.doc) or password-protected Office",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
}

FILE_TOO_LARGE = _("%(name)s is larger than %(limit)s MB.")
TOO_MANY_FILES = _("Upload at most %(limit)s files at a time.")
TOO_MUCH_AT_ONCE = _("Upload at most %(limit)s MB at a time.")
NOT_A_ZIP = _("%(name)s is not a valid zip archive.")
ZIP_TOO_BIG = _(
    "%(name)s unpacks to too much data (more than %(limit)s MB, or a file that grows more "
    "than %(ratio)s times); it looks like a zip bomb."
)
ZIP_ENCRYPTED = _("%(name)s holds encrypted files; upload an archive without a password.")
ZIP_EMPTY = _("%(name)s holds no documents.")
BINARY_FILE = _(
    "This is a %(kind)s file; upload the standard's PDF from iCAP, its ODT or Word (.docx) "
    "form, its plain-text rendering (.txt) or its JSON form."
)
NOT_TEXT = _(
    "This is neither a document nor a text file; upload the standard's PDF from iCAP, its "
    "ODT or Word (.docx) form, its plain-text rendering (.txt) or its JSON form."
)


@dataclass
class UploadedDocument:
    name: str
    data: bytes


@dataclass
class FilePreview:
    """What importing one file does (or would do)."""

    name: str
    code: str = ""
    title: str = ""
    outcome: str = ""
    duties: int = 0
    tasks: int = 0
    warnings: list[ParseWarning] = field(default_factory=list)
    error: str = ""
    error_line: int = 0
    # A parser error's marked template and parameters, so that a stored result (a
    # background job's) is shown in its reader's language (`error_in_language`).
    error_template: str = ""
    error_params: dict[str, Any] = field(default_factory=dict)
    # The document as its standard page shows it, and the changes from the stored
    # version it replaces (the same code, else the family's latest earlier version).
    document_html: str = ""
    compared_with: Standard | None = None
    comparison: Comparison | None = None

    @property
    def ok(self) -> bool:
        return not self.error


def pending_upload(*, documents: list[UploadedDocument], publish: bool) -> tuple[str, dict]:
    """A random token and what waits under it until the upload is confirmed."""
    stored = {
        "publish": publish,
        "files": [{"name": d.name, "data": b64encode(d.data).decode()} for d in documents],
    }
    return secrets.token_hex(16), stored


def pending_upload_key(token: str) -> str:
    """The session key of the upload previewed under `token`."""
    return PENDING_UPLOAD_KEY + token


def pending_upload_documents(stored: dict[str, Any]) -> list[UploadedDocument]:
    """The documents of a pending upload, as they were previewed."""
    return [UploadedDocument(name=f["name"], data=b64decode(f["data"])) for f in stored["files"]]


def documents_from_upload(name: str, data: bytes) -> list[UploadedDocument]:
    """The documents of an uploaded file: the file itself, or each file of a zip archive
    (folders and hidden files left out). ValidationError for a broken, encrypted or
    over-large archive; what each document holds is checked when it is imported."""
    if not data.startswith(ZIP_SIGNATURE) or _is_office_document(data):
        return [UploadedDocument(name=name, data=data)]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist() if _is_document(m)]
            _check_archive(name, members)
            documents = [
                UploadedDocument(name=f"{name}/{m.filename}", data=archive.read(m)) for m in members
            ]
    # zipfile raises RuntimeError for a member it cannot read (an unsupported
    # compression method, a password): the archive is as unreadable as a broken one.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, RuntimeError):
        raise ValidationError(NOT_A_ZIP % {"name": name}) from None
    return documents


def _is_office_document(data: bytes) -> bool:
    """An ODT or Word file is a ZIP too, but one document, not an archive of them."""
    try:
        return document_kind(data) in (ODT, DOCX)
    except ParseError:
        return False


def _is_document(member: zipfile.ZipInfo) -> bool:
    base = member.filename.rsplit("/", 1)[-1]
    return not (member.is_dir() or member.filename.startswith("__MACOSX/") or base.startswith("."))


def _check_archive(name: str, members: list[zipfile.ZipInfo]) -> None:
    if not members:
        raise ValidationError(ZIP_EMPTY % {"name": name})
    if len(members) > MAX_BACKGROUND_FILES:
        raise ValidationError(TOO_MANY_FILES % {"limit": MAX_BACKGROUND_FILES})
    if any(m.flag_bits & 0x1 for m in members):
        raise ValidationError(ZIP_ENCRYPTED % {"name": name})
    too_big = sum(m.file_size for m in members) > MAX_ZIP_UNPACKED_BYTES or any(
        m.file_size > MAX_ZIP_RATIO * max(m.compress_size, 1) for m in members
    )
    if too_big:
        raise ValidationError(
            ZIP_TOO_BIG
            % {"name": name, "limit": MAX_ZIP_UNPACKED_BYTES // 2**20, "ratio": MAX_ZIP_RATIO}
        )


def check_content(document: UploadedDocument) -> None:
    """Refuse a file that is too large or, judging by its bytes, neither an official
    document (PDF, ODT, DOCX) nor a text."""
    if len(document.data) > MAX_UPLOAD_BYTES:
        raise ParseError(
            str(FILE_TOO_LARGE % {"name": document.name, "limit": MAX_UPLOAD_BYTES // 2**20})
        )
    if document.data.startswith(DOCUMENT_SIGNATURES):
        return
    for signature, kind in BINARY_SIGNATURES.items():
        if document.data.startswith(signature):
            raise ParseError(str(BINARY_FILE % {"kind": kind}))
    if b"\x00" in document.data:
        raise ParseError(str(NOT_TEXT))


def uploads_preview(
    *,
    documents: list[UploadedDocument],
    publish: bool,
    render: DocumentRenderer | None = None,
) -> list[FilePreview]:
    """Import every file in one transaction, report what happened, then roll it all back.

    Files are imported in the given order, so a later file sees what an earlier one
    created (a v4 after its v3), as confirming will. `render` turns each imported
    standard into the HTML the preview shows, while it still exists.
    """
    with transaction.atomic():
        previews = [import_file(document, publish=publish, render=render) for document in documents]
        transaction.set_rollback(True)
    return previews


def stored_predecessor(code: str) -> Standard | None:
    """The version an import of `code` replaces: `code` itself when it is stored, else
    the family's latest version before it (None when there is neither)."""
    stored = Standard.objects.filter(code=code).first()
    if stored is not None:
        return stored
    family, number = split_code(code)
    return (
        Standard.objects.filter(family_code=family, version_number__lt=number)
        .order_by("-version_number")
        .first()
    )


def uploads_confirm(
    *, documents: list[UploadedDocument], publish: bool
) -> tuple[list[FilePreview], bool]:
    """Import every file, all or nothing.

    Returns the previews and whether they were written: when any file fails, the
    transaction is rolled back and nothing of any file is written.
    """
    with transaction.atomic():
        previews = [import_file(document, publish=publish) for document in documents]
        written = all(preview.ok for preview in previews)
        if not written:
            transaction.set_rollback(True)
    return previews, written


def _stored(value: Any) -> Any:
    """A parameter as JSON keeps it: a lazy reason (a code rule's) as said now."""
    return str(value) if isinstance(value, Promise) else value


def error_in_language(result: dict[str, Any]) -> str:
    """A stored file result's error (`asdict` of a FilePreview) in the active language."""
    if not result.get("error_template"):
        return result.get("error", "")
    error = ParseError(
        result["error"],
        result.get("error_line", 0),
        template=result["error_template"],
        params=result.get("error_params") or {},
    )
    return error.translated(gettext)


def import_file(
    document: UploadedDocument,
    *,
    publish: bool,
    user: AbstractBaseUser | None = None,
    render: DocumentRenderer | None = None,
) -> FilePreview:
    """Import one uploaded file in a savepoint: all of it, or (with the error reported)
    nothing of it."""
    preview = FilePreview(name=document.name)
    try:
        check_content(document)
        parsed = read_document(name=document.name, data=document.data)
        preview.code, preview.title = parsed.code, parsed.name
        preview.duties = len(parsed.duties)
        preview.tasks = sum(len(duty.tasks) for duty in parsed.duties)
        if render is not None:
            preview.compared_with = stored_predecessor(parsed.code)
        if preview.compared_with is not None:
            preview.comparison = compare_documents(
                standard_export(standard=preview.compared_with), parsed.to_dict()
            )
        # A savepoint: a failing file leaves what the files before it did intact.
        with transaction.atomic():
            result = standard_import(document=parsed, publish=publish, user=user)
            if render is not None:
                preview.document_html = render(result.standard, result.warnings)
        preview.outcome = result.outcome
        preview.warnings = result.warnings
    except ParseError as exc:
        preview.error, preview.error_line = exc.translated(gettext), exc.line
        preview.error_template = exc.template
        preview.error_params = {key: _stored(value) for key, value in exc.params.items()}
    except ValidationError as exc:
        preview.error = "; ".join(exc.messages)
    return preview
