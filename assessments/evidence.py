"""Evidence files: what an employee may attach to a task, and the two writes.

A file is accepted when its size is within MAX_EVIDENCE_BYTES and its *content* is one
of ALLOWED_TYPES and agrees with its name's extension (read by `filetype` from the
bytes, so an HTML page or SVG renamed `.pdf` is refused). Files are only added to or
deleted from an assessment that can still be changed: not submitted, in an open cycle.
"""

from __future__ import annotations

import datetime
from pathlib import PurePath

import filetype
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from .models import Assessment, EvidenceFile, TaskRating
from .services import LOCKED, closed_message, not_open_message

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
MAX_FILES_PER_TASK = 5
MAX_NAME_LENGTH = 200
# Extension of the file's name → the content type its bytes must have.
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}

EVIDENCE_TOO_LARGE = _("%(name)s is larger than %(limit)s MB.")
EVIDENCE_EMPTY = _("%(name)s is empty.")
EVIDENCE_TYPE = _(
    "%(name)s cannot be attached: attach a PDF, a PNG or JPEG image, or a Word, Excel or "
    "PowerPoint file (.docx, .xlsx, .pptx)."
)
EVIDENCE_MISMATCH = _(
    "%(name)s does not hold what its name says (a .%(extension)s file), so it was not attached."
)
TOO_MANY_FILES = _("A task holds at most %(limit)s files; delete one before attaching another.")
UNKNOWN_OUTPUT = _("Choose one of this task's work outputs, or none.")


def evidence_name(name: str) -> str:
    """The file's own name without any folder, with only characters safe in a file name
    (CJK kept), at most MAX_NAME_LENGTH characters with its extension kept."""
    path = PurePath(name.replace("\\", "/")).name
    try:
        cleaned = get_valid_filename(path)
    except SuspiciousFileOperation:
        cleaned = "file"
    suffix = PurePath(cleaned).suffix[:10]
    return (
        cleaned[: MAX_NAME_LENGTH - len(suffix)] + suffix
        if len(cleaned) > MAX_NAME_LENGTH
        else cleaned
    )


def evidence_content_type(name: str, data: bytes) -> str:
    """The content type of an allowed file, read from its bytes; ValidationError when it
    is too large, empty, not an allowed type or not the type its name says."""
    if len(data) > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            EVIDENCE_TOO_LARGE % {"name": name, "limit": MAX_EVIDENCE_BYTES // (1024 * 1024)}
        )
    if not data:
        raise ValidationError(EVIDENCE_EMPTY % {"name": name})
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in ALLOWED_TYPES:
        raise ValidationError(EVIDENCE_TYPE % {"name": name})
    kind = filetype.guess(data)
    if kind is None or kind.mime != ALLOWED_TYPES[extension]:
        raise ValidationError(EVIDENCE_MISMATCH % {"name": name, "extension": extension})
    return kind.mime


def _claim_changeable(assessment: Assessment, today: datetime.date) -> None:
    """Mark the assessment started (a draft) if it can still be changed, holding its row
    until the transaction ends so that a submission waits; ValidationError if not."""
    claimed = (
        Assessment.objects.filter(
            pk=assessment.pk, cycle__opens_on__lte=today, cycle__closes_on__gte=today
        )
        .exclude(stage=Assessment.Stage.SUBMITTED)
        .update(stage=Assessment.Stage.DRAFT, updated_at=timezone.now())
    )
    if claimed:
        return
    current = Assessment.objects.select_related("cycle").get(pk=assessment.pk)
    if current.is_submitted:
        raise ValidationError(LOCKED)
    if current.cycle.is_closed(today):
        raise ValidationError(closed_message(current.cycle))
    raise ValidationError(not_open_message(current.cycle))


def evidence_attach(
    *,
    rating: TaskRating,
    upload: UploadedFile,
    output_code: str = "",
    today: datetime.date | None = None,
) -> EvidenceFile:
    """Attach an uploaded file to one task of an assessment that can still be changed,
    for one of the task's work outputs (`output_code`) or for the task as a whole.

    Raises ValidationError with the reason (size, type, limit, output, stage or cycle)
    and stores nothing then. A pending assessment becomes a draft.
    """
    name = evidence_name(upload.name or "")
    data = upload.read(MAX_EVIDENCE_BYTES + 1)
    content_type = evidence_content_type(name, data)
    outputs = (
        {output.code: output.text for output in rating.task.outputs.all()} if rating.task else {}
    )
    if output_code and output_code not in outputs:
        raise ValidationError(UNKNOWN_OUTPUT)
    evidence = EvidenceFile(
        rating=rating,
        output_code=output_code,
        output_text=outputs.get(output_code, ""),
        name=name,
        content_type=content_type,
        size=len(data),
    )
    try:
        with transaction.atomic():
            # The claim holds the assessment's row: a submission, or another upload
            # counting the same task's files, waits for this one.
            _claim_changeable(rating.assessment, today or timezone.localdate())
            if rating.evidence_files.count() >= MAX_FILES_PER_TASK:
                raise ValidationError(TOO_MANY_FILES % {"limit": MAX_FILES_PER_TASK})
            evidence.file.save(name, ContentFile(data), save=False)
            evidence.save()
    except BaseException:
        # Nothing was recorded: the file written to storage, if any, goes too.
        if evidence.file.name:
            evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


def evidence_delete(*, evidence: EvidenceFile, today: datetime.date | None = None) -> None:
    """Delete a file of an assessment that can still be changed (ValidationError if not);
    the stored file goes once the deletion is committed."""
    with transaction.atomic():
        _claim_changeable(evidence.rating.assessment, today or timezone.localdate())
        evidence.delete()
