"""Evidence files: the employee attaches and deletes them on their own assessment; the
employee, their managers and HR download them. Nothing is ever shown inline."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from common.spreadsheets import attachment

from .evidence import MAX_EVIDENCE_BYTES, MAX_FILES_PER_TASK, evidence_attach, evidence_delete
from .forms import EvidenceForm
from .models import Assessment, EvidenceFile
from .selectors import assessments_visible_to, own_assessments, ratings_for_form


def can_change(assessment: Assessment) -> bool:
    """Whether files may still be attached or deleted (the services check it again)."""
    today = timezone.localdate()
    return (
        not assessment.is_submitted
        and assessment.cycle.is_open_yet(today)
        and not assessment.cycle.is_closed(today)
    )


@login_required
def evidence_files(request: HttpRequest, pk: int) -> HttpResponse:
    """The files of one's own assessment, task by task, and the form to attach one."""
    assessment = get_object_or_404(own_assessments(request.user), pk=pk)
    ratings = list(ratings_for_form(assessment))
    changeable = can_change(assessment)
    if request.method == "POST" and not changeable:
        raise Http404("the assessment can no longer be changed")
    initial = {"rating": request.GET.get("task")}
    form = EvidenceForm(
        request.POST or None, request.FILES or None, ratings=ratings, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        rating = form.chosen_rating()
        try:
            evidence = evidence_attach(
                rating=rating,
                upload=form.cleaned_data["file"],
                output_code=form.cleaned_data["output"],
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(
                request,
                _("%(name)s attached to %(task)s.")
                % {"name": evidence.name, "task": rating.task_code},
            )
            return redirect(
                reverse("assessments:evidence", args=[assessment.pk]) + f"#task-{rating.pk}"
            )
    return render(
        request,
        "assessments/evidence.html",
        {
            "assessment": assessment,
            "ratings": ratings,
            "form": form,
            "changeable": changeable,
            "limit_mb": MAX_EVIDENCE_BYTES // (1024 * 1024),
            "per_task": MAX_FILES_PER_TASK,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """One file, to whoever may see its assessment (the one scoping selector), as a
    download: never rendered by the browser, whatever it holds."""
    evidence = get_object_or_404(
        EvidenceFile.objects.filter(rating__assessment__in=assessments_visible_to(request.user)),
        pk=pk,
    )
    try:
        stored = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("the stored file is missing") from None
    # application/octet-stream: nothing in the browser takes it for a page or an image.
    response = FileResponse(stored, content_type="application/octet-stream")
    attachment(response, evidence.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def evidence_delete_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask before deleting one of one's own files; delete it on confirmation, while the
    assessment is still a draft."""
    evidence = get_object_or_404(
        EvidenceFile.objects.select_related("rating__assessment__cycle").filter(
            rating__assessment__in=own_assessments(request.user)
        ),
        pk=pk,
    )
    assessment = evidence.rating.assessment
    back = reverse("assessments:evidence", args=[assessment.pk]) + f"#task-{evidence.rating.pk}"
    if not can_change(assessment):
        messages.error(request, _("The files of this assessment can no longer be changed."))
        return redirect(back)
    if request.method == "POST":
        try:
            evidence_delete(evidence=evidence)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("%(name)s deleted.") % {"name": evidence.name})
        return redirect(back)
    return render(
        request,
        "assessments/evidence_delete.html",
        {"evidence": evidence, "assessment": assessment, "back": back},
    )
