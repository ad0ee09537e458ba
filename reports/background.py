"""Large report downloads written by a background job (see reports.downloads)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import Http404, HttpRequest, QueryDict
from django.urls import resolve, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jobs.kinds import JobError, job_kind
from jobs.models import Job
from jobs.services import job_progress, job_save_output, job_step_done

from .downloads import IN_JOB, REPORT_VIEWS

NO_LONGER_ALLOWED = _("You may no longer see this report, so the file was not written.")
FULL_NAME = re.compile(r"filename\*=UTF-8''([^;]+)")
ASCII_NAME = re.compile(r'filename="([^"]+)"')


@job_kind(Job.Kind.REPORT_EXPORT)
def report_export(job: Job) -> dict[str, Any]:
    """Write the download the job's starter asked for, with their scope as it is now:
    the report's own view, asked the same query on behalf of the same user."""
    arguments = job.arguments
    if job.started_by is None or not job.started_by.is_active:
        raise JobError(NO_LONGER_ALLOWED)
    job_progress(job, done=0, total=2)
    with translation.override(arguments.get("language")):
        request = _request(job, REPORT_VIEWS[arguments["report"]], arguments["query"])
        try:
            response = resolve(request.path_info).func(request)
        except Http404:  # no longer a manager, or a filter outside their scope now
            raise JobError(NO_LONGER_ALLOWED) from None
        if response.status_code != 200 or not response.has_header("Content-Disposition"):
            raise JobError(NO_LONGER_ALLOWED)
        job_step_done(job)
        disposition = response["Content-Disposition"]
        full = FULL_NAME.search(disposition)
        name = unquote(full[1]) if full else ASCII_NAME.search(disposition)[1]
        job_save_output(job, name=name, data=response.content)
        job_step_done(job)
    return {"bytes": len(response.content)}


def _request(job: Job, url_name: str, query: str) -> HttpRequest:
    """A GET of the report by the job's starter, as the download was asked for."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = reverse(url_name)
    request.GET = QueryDict(query)
    request.META = {"SERVER_NAME": "job", "SERVER_PORT": "0"}
    request.user = job.started_by
    request.session = {}
    request._messages = FallbackStorage(request)
    setattr(request, IN_JOB, True)
    return request
