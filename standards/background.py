"""Importing many documents as a background job (jobs app): an admin upload of many
files or a zip of them, or `import_standards --background`.

Unlike the upload preview (all files or none), each file is imported on its own, all
or nothing, and its result is committed with it: a job run again after its worker was
lost skips the files already done, so every document is wholly in or wholly out.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from jobs.kinds import job_kind
from jobs.models import Job, JobInput
from jobs.services import job_progress, job_start, job_step_done

from .uploads import UploadedDocument, import_file


def documents_import_start(
    *, documents: list[UploadedDocument], publish: bool, user: AbstractBaseUser | None
) -> Job:
    """Queue the import of `documents` (run at once when there is no broker)."""
    return job_start(
        kind=Job.Kind.STANDARDS_IMPORT,
        user=user,
        arguments={"publish": publish, "files": len(documents)},
        files=[(document.name, document.data) for document in documents],
    )


@job_kind(Job.Kind.STANDARDS_IMPORT)
def documents_import(job: Job) -> dict[str, Any]:
    """Import the job's files in order, each in its own transaction with its result."""
    entries = job.inputs.order_by("position")
    job_progress(job, total=entries.count(), done=entries.filter(result__isnull=False).count())
    for entry in entries.filter(result__isnull=True):
        document = UploadedDocument(name=entry.name, data=_read(entry))
        with transaction.atomic():
            preview = import_file(document, publish=job.arguments["publish"], user=job.started_by)
            result = asdict(preview)
            JobInput.objects.filter(pk=entry.pk).update(result=result)
            job_step_done(job)
    results = list(entries.values_list("result", flat=True))
    failed = sum(1 for result in results if result["error"])
    return {"imported": len(results) - failed, "failed": failed}


def _read(entry: JobInput) -> bytes:
    with entry.file.open("rb") as file:
        return file.read()
