"""Report downloads: written at once when small, by a background job when large.

Each report registers how to build its download from a query string and the viewer's
scope (`report_download`): the assessments it reads, which decide whether it is large
(more than EXPORT_BACKGROUND_ASSESSMENTS), and the dataset. The same function builds
the file in the request and in the worker, so both hold the same rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import tablib
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.utils.translation import get_language

from common.spreadsheets import download
from jobs.models import Job
from jobs.services import job_start

from .selectors import Viewer

# What a download reads, and how to make its dataset.
Download = tuple[QuerySet, Callable[[], tablib.Dataset]]
Build = Callable[[QueryDict, Viewer], Download]


@dataclass(frozen=True)
class ReportDownload:
    name: str
    filename: str
    build: Build


REPORT_DOWNLOADS: dict[str, ReportDownload] = {}


def report_download(name: str, *, filename: str) -> Callable[[Build], Build]:
    """Register `build` as the download of the report `name`, saved as `filename`.fmt."""

    def register(build: Build) -> Build:
        REPORT_DOWNLOADS[name] = ReportDownload(name=name, filename=filename, build=build)
        return build

    return register


def download_or_job(request: HttpRequest, viewer: Viewer, name: str, fmt: str) -> HttpResponse:
    """The download of report `name` in `fmt`; when it reads more assessments than
    EXPORT_BACKGROUND_ASSESSMENTS, a job writes it instead and this redirects to the
    job's page (the same user's unfinished job for the same download, if there is one)."""
    entry = REPORT_DOWNLOADS[name]
    assessments, dataset = entry.build(request.GET, viewer)
    if assessments.count() <= settings.EXPORT_BACKGROUND_ASSESSMENTS:
        return download(dataset(), fmt=fmt, filename=entry.filename)
    arguments = {
        "report": name,
        "query": request.GET.urlencode(),
        "format": fmt,
        "language": get_language(),
    }
    job = (
        Job.objects.filter(
            kind=Job.Kind.REPORT_EXPORT, started_by=request.user, arguments=arguments
        )
        .exclude(state__in=Job.FINISHED)
        .first()
    )
    if job is None:
        job = job_start(kind=Job.Kind.REPORT_EXPORT, user=request.user, arguments=arguments)
    return HttpResponseRedirect(job.get_absolute_url())
