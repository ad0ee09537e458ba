"""A job's page with its progress bar, the JSON the bar polls, and the file it made.

Other people's jobs are 404 (jobs_visible_to); the pages are private (no-store).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from common.pagination import paginate
from common.spreadsheets import attachment_content_type

from .models import Job
from .selectors import jobs_visible_to
from .services import NOT_FAILED, job_requeue
from .signals import NAV_FLAG

JOBS_PAGE_SIZE = 25


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    """The jobs the user started (every job, for HR), newest first."""
    jobs = jobs_visible_to(request.user).select_related("started_by")
    page = paginate(request, jobs, per_page=JOBS_PAGE_SIZE)
    return render(request, "jobs/list.html", {"page": page, "jobs": page.object_list})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(jobs_visible_to(request.user).select_related("started_by"), pk=pk)
    request.session[NAV_FLAG] = True
    inputs = job.inputs.order_by("position") if job.kind == Job.Kind.STANDARDS_IMPORT else []
    return render(request, "jobs/detail.html", {"job": job, "inputs": inputs})


@login_required
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Where the job is, for its page's progress bar (polled while it runs)."""
    job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
    response = JsonResponse(
        {
            "state": job.state,
            "state_label": job.get_state_display(),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "finished": job.is_finished,
        }
    )
    patch_cache_control(response, no_store=True)
    return response


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file the job made (written by the formula-safe writer), once it is ready."""
    job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
    if job.state != Job.State.SUCCEEDED or not job.output:
        raise Http404("no file")
    return FileResponse(
        job.output.open("rb"),
        as_attachment=True,
        filename=job.output_name,
        content_type=attachment_content_type(job.output_name),
    )


@login_required
def job_requeue_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a failed job again, after a confirmation (GET asks, POST does it); only its
    starter and HR, like its page. A job that has not failed is left alone."""
    job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
    if job.state != Job.State.FAILED:
        messages.info(request, NOT_FAILED)
        return redirect(job)
    if request.method == "POST":
        try:
            job_requeue(job=job)
        except ValidationError as exc:  # it was started again meanwhile
            messages.info(request, exc.messages[0])
        else:
            messages.success(request, _("The job was started again."))
        return redirect(job)
    response = render(request, "jobs/requeue.html", {"job": job})
    patch_cache_control(response, no_store=True)
    return response
