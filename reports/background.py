"""Large report downloads written by a background job (see reports.downloads)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, QueryDict
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from common.spreadsheets import spreadsheet_bytes
from jobs.kinds import JobError, job_kind
from jobs.models import Job
from jobs.services import job_progress, job_save_output, job_step_done

# Every report's download registers itself when its views module is imported.
from . import views, views_needs  # noqa: F401
from .downloads import REPORT_DOWNLOADS
from .selectors import viewer_for

NO_LONGER_ALLOWED = _("You may no longer see this report, so the file was not written.")


@job_kind(Job.Kind.REPORT_EXPORT)
def report_export(job: Job) -> dict[str, Any]:
    """Write the download the job's starter asked for, with their scope as it is now."""
    arguments = job.arguments
    entry = REPORT_DOWNLOADS[arguments["report"]]
    viewer = viewer_for(job.started_by) if job.started_by else None
    if viewer is None:
        raise JobError(NO_LONGER_ALLOWED)
    job_progress(job, done=0, total=3)
    with translation.override(arguments.get("language")):
        try:
            _, dataset = entry.build(QueryDict(arguments["query"]), viewer)
        except Http404:  # a filter outside what they may see now
            raise JobError(NO_LONGER_ALLOWED) from None
        data = dataset()
        job_step_done(job)
        content = spreadsheet_bytes(data, fmt=arguments["format"])
        job_step_done(job)
        job_save_output(job, name=f"{entry.filename}.{arguments['format']}", data=content)
        job_step_done(job)
    return {"rows": len(data)}
