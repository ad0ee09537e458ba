"""Uploading official documents in the admin: a preview first, then an all-or-nothing import.

The preview runs the real importer inside a transaction that is rolled back, so what
it reports (created, updated or unchanged, the warnings with their line numbers, or
the error) is exactly what confirming will do; it also shows each document as its
standard page will (rendered by the caller inside that transaction) and what changes
from the version stored before it.
"""

from __future__ import annotations

import secrets
from base64 import b64decode, b64encode
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .codes import split_code
from .comparison import Comparison, compare_documents
from .models import Standard
from .parsing.document import ParseError, ParseWarning
from .reader import read_document
from .services import standard_export, standard_import

# Renders an imported (not yet committed) standard with its warnings, for the preview.
DocumentRenderer = Callable[[Standard, list[ParseWarning]], str]

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_FILES = 20
# The files wait in the session (in the database) between the preview and the confirmation.
MAX_UPLOAD_TOTAL_BYTES = 8 * 1024 * 1024
PENDING_UPLOAD_KEY = "standards_upload:"

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
        previews = [_import_one(document, publish=publish, render=render) for document in documents]
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
        previews = [_import_one(document, publish=publish) for document in documents]
        written = all(preview.ok for preview in previews)
        if not written:
            transaction.set_rollback(True)
    return previews, written


def _import_one(
    document: UploadedDocument, *, publish: bool, render: DocumentRenderer | None = None
) -> FilePreview:
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
            result = standard_import(document=parsed, publish=publish)
            if render is not None:
                preview.document_html = render(result.standard, result.warnings)
        preview.outcome = result.outcome
        preview.warnings = result.warnings
    except ParseError as exc:
        preview.error, preview.error_line = exc.translated(gettext), exc.line
    except ValidationError as exc:
        preview.error = "; ".join(exc.messages)
    return preview
