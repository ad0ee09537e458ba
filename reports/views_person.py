"""One person's gap report with the manager review, and the review as the employee
sees it once shared."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from assessments.charts import level_chart
from assessments.downloads import about_assessment, assessment_file_name
from assessments.models import Assessment, ManagerReview, TaskRating
from assessments.scoring import MEASURES, Summary, TaskScore, gap, summarise, summarise_by_duty
from assessments.selectors import TaskEvidence, assessments_visible_to, task_evidence
from common.pdf import pdf_renderer_available, pdf_response, renderer_missing_message
from common.spreadsheets import download

from .exports import number, person_dataset
from .forms import ReviewForm
from .services import review_mark_seen, review_save
from .views import choice_param, export_format, render_report, report_viewer

BASES = ("self", "manager")


def _person_rows(ratings: list[TaskRating], evidence: list[TaskEvidence]) -> list[dict[str, Any]]:
    by_rating = {item.rating.pk: item for item in evidence}
    rows = []
    for rating in ratings:
        manager = getattr(rating, "manager_rating", None)
        manager_level = manager.level if manager else None
        rows.append(
            {
                "rating": rating,
                "self_gap": (
                    gap(rating.required_level, rating.self_level)
                    if rating.self_level is not None
                    else None
                ),
                "manager_level": manager_level,
                "manager_gap": (
                    gap(rating.required_level, manager_level) if manager_level is not None else None
                ),
                "differs": manager_level is not None and manager_level != rating.self_level,
                "note": manager.comment if manager else "",
                "evidence": by_rating[rating.pk],
            }
        )
    return rows


def _scores(rows: list[dict[str, Any]], basis: str) -> list[TaskScore]:
    """The rated tasks scored on the employee's own levels or the manager's."""
    scores = []
    for row in rows:
        rating = row["rating"]
        level = row["manager_level"] if basis == "manager" else rating.self_level
        if level is not None:
            scores.append(TaskScore.of_rating(rating, level))
    return scores


def _person_download(
    assessment: Assessment,
    rows: list[dict[str, Any]],
    fmt: str,
    kind: str,
    overall: Summary | None = None,
    basis: str = "self",
) -> HttpResponse:
    """The person's table as CSV or XLSX, headed by whose it is and, for the gap report,
    its average shortfall on the chosen levels."""
    figures = []
    if overall is not None:
        label = (
            _("Average shortfall (manager's levels)")
            if basis == "manager"
            else _("Average shortfall (own levels)")
        )
        figures = [(label, number(overall.average_shortfall)), (_("Measures"), MEASURES)]
    return download(
        person_dataset(rows),
        fmt=fmt,
        filename=assessment_file_name(kind, assessment),
        about=about_assessment(assessment, figures),
    )


@login_required
def person_report(request: HttpRequest, pk: int) -> HttpResponse:
    """One report's result (required, own, gap per task and duty) and the manager review."""
    viewer = report_viewer(request)
    assessment = get_object_or_404(
        viewer.assessments().select_related("employee__department"), pk=pk
    )
    review = ManagerReview.objects.filter(assessment=assessment).first()
    evidence = task_evidence(assessment, assessment.ratings.select_related("manager_rating"))
    ratings = [item.rating for item in evidence]
    form = ReviewForm(request.POST or None, ratings=ratings, review=review)
    if request.method == "POST":
        if form.is_valid():
            try:
                review_save(
                    assessment=assessment,
                    reviewer=viewer.employee,
                    ratings=form.review_inputs(),
                    comment=form.cleaned_data["comment"],
                    share="share" in request.POST,
                )
            except ValidationError as exc:
                messages.error(request, "; ".join(exc.messages))
            else:
                if "share" in request.POST:
                    messages.success(request, _("Review saved and shared with the employee."))
                else:
                    messages.success(request, _("Review saved."))
            return redirect("reports:person", pk=assessment.pk)

    rows = _person_rows(ratings, evidence)
    basis = choice_param(request, "basis", BASES)
    scores = _scores(rows, basis)
    overall = summarise(scores)
    if fmt := export_format(request):
        return _person_download(assessment, rows, fmt, "gap", overall if scores else None, basis)
    duties = summarise_by_duty(scores)
    return render_report(
        request,
        "reports/person.html",
        {
            "assessment": assessment,
            "review": review,
            "form": form,
            "rows": rows,
            "differences": sum(1 for row in rows if row["differs"]),
            "basis": basis,
            "pdf_available": pdf_renderer_available(),
            "pdf_missing": renderer_missing_message(),
            "overall": overall,
            "duties": duties,
            "evidence": evidence,
            "duty_chart": level_chart(
                [
                    (d.code, d.title, round(d.average_required, 1), round(d.average_own, 1))
                    for d in duties
                ]
            ),
        },
        viewer,
    )


@login_required
def shared_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The manager's review as the employee sees it, once shared; 404 before."""
    assessment = get_object_or_404(
        assessments_visible_to(request.user)
        .filter(review__shared_at__isnull=False)
        .select_related("review__reviewer", "employee__department"),
        pk=pk,
    )
    if assessment.employee.user_id == request.user.pk:
        review_mark_seen(review=assessment.review)
    evidence = task_evidence(assessment, assessment.ratings.select_related("manager_rating"))
    rows = _person_rows([item.rating for item in evidence], evidence)
    if fmt := export_format(request):
        return _person_download(assessment, rows, fmt, "review")
    return render(
        request,
        "reports/shared_review.html",
        {"assessment": assessment, "review": assessment.review, "rows": rows},
    )


@login_required
def person_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The gap report as a PDF for the personnel file: the person, cycle and standard,
    own and manager's levels, the evidence, and the signature block."""
    viewer = report_viewer(request)
    assessment = get_object_or_404(
        viewer.assessments().select_related("employee__department"), pk=pk
    )
    review = ManagerReview.objects.filter(assessment=assessment).select_related("reviewer").first()
    evidence = task_evidence(assessment, assessment.ratings.select_related("manager_rating"))
    rows = _person_rows([item.rating for item in evidence], evidence)
    scores = _scores(rows, "self")
    context = {
        "assessment": assessment,
        "review": review,
        "rows": rows,
        "overall": summarise(scores),
        "manager_overall": summarise(_scores(rows, "manager")) if review else None,
        "differences": sum(1 for row in rows if row["differs"]),
    }
    return pdf_response(
        request,
        "reports/person_pdf.html",
        context,
        filename=assessment_file_name("gap-report", assessment),
    )
