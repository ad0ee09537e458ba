"""Report downloads: written at once when small, by a background job when large.

A report view that is asked for a download hands `download_job` the assessments the
download reads; when they are more than EXPORT_BACKGROUND_ASSESSMENTS, a job is
started (or the same user's unfinished job for the same download found) and the view
redirects to the job's page. The job (reports.background) runs the same view with the
same query for the same user, so the file holds exactly the rows the download would.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import get_language

from jobs.models import Job
from jobs.services import job_start

# The report downloads that may become jobs: name → the view's URL name.
REPORT_VIEWS = {
    "dashboard": "reports:dashboard",
    "heatmap": "reports:heatmap",
    "training_needs": "reports:training_needs",
}
# Set on the request a job builds: the download is written there and then.
IN_JOB = "portal_in_job"


def download_job(
    request: HttpRequest, name: str, assessments: QuerySet, fmt: str
) -> HttpResponse | None:
    """A redirect to the job writing the download of report `name` when it reads more
    assessments than EXPORT_BACKGROUND_ASSESSMENTS; None to write it in this request."""
    if getattr(request, IN_JOB, False):
        return None
    if assessments.count() <= settings.EXPORT_BACKGROUND_ASSESSMENTS:
        return None
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
