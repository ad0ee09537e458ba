"""Importing a workbook of whole documents (standards/workbook.py) through the one writer."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from common.spreadsheets import read_workbook

from ..workbook import WorkbookError, documents_from_workbook
from .writer import ImportResult, standard_import


def workbook_import(
    *,
    data: bytes,
    publish: bool = True,
    dry_run: bool = False,
    user: AbstractBaseUser | None = None,
) -> list[ImportResult]:
    """Store every document of the XLSX workbook `data` with `standard_import`, all or
    nothing: the first document that cannot be stored rolls every one back. With
    `dry_run` nothing is kept either way (the preview). Raises ValidationError, naming
    the sheet and row or the standard, when the workbook or a document is refused.
    """
    book = read_workbook(data)
    try:
        documents = documents_from_workbook(book)
    except WorkbookError as exc:
        raise ValidationError(str(exc)) from None
    with transaction.atomic():
        results = []
        for document in documents:
            try:
                results.append(standard_import(document=document, publish=publish, user=user))
            except ValidationError as exc:
                raise ValidationError(f"{document.code}: {'; '.join(exc.messages)}") from None
        if dry_run:
            transaction.set_rollback(True)
    return results
