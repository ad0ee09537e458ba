"""One person's gap report with the manager review, and the review as the employee
sees it once shared."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from assessments.charts import level_chart
from assessments.models import ManagerReview, TaskRating
from assessments.scoring import TaskScore, gap, summarise, summarise_by_duty
from assessments.selectors import assessments_visible_to
from common.pdf import pdf_renderer_available, pdf_response, renderer_missing_message
from common.spreadsheets import download
from standards.models import BehaviourIndicator

from .exports import person_dataset
from .forms import ReviewForm
from .services import review_mark_seen, review_save
from .views import choice_param, export_format, render_report, report_viewer

BASES = ("self", "manager")


def _person_rows(ratings: list[TaskRating]) -> list[dict[str, Any]]:
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


@login_required
def person_report(request: HttpRequest, pk: int) -> HttpResponse:
    """One report's result (required, own, gap per task and duty) and the manager review."""
    viewer = report_viewer(request)
    assessment = get_object_or_404(
        viewer.assessments().select_related("employee__department"), pk=pk
    )
    review = ManagerReview.objects.filter(assessment=assessment).first()
    ratings = list(assessment.ratings.select_related("manager_rating").order_by("order"))
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

    rows = _person_rows(ratings)
    basis = choice_param(request, "basis", BASES)
    if fmt := export_format(request):
        return download(person_dataset(rows), fmt=fmt, filename=f"gap-{assessment.pk}")
    scores = _scores(rows, basis)
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
            "overall": summarise(scores),
            "duties": duties,
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
        .select_related("review__reviewer"),
        pk=pk,
    )
    if assessment.employee.user_id == request.user.pk:
        review_mark_seen(review=assessment.review)
    ratings = list(assessment.ratings.select_related("manager_rating").order_by("order"))
    rows = _person_rows(ratings)
    if fmt := export_format(request):
        return download(person_dataset(rows), fmt=fmt, filename=f"review-{assessment.pk}")
    return render(
        request,
        "reports/shared_review.html",
        {"assessment": assessment, "review": assessment.review, "rows": rows},
    )


def _evidence(rating: TaskRating) -> dict[str, Any]:
    """What the employee gave for a task: the indicators ticked as done, and the comment.

    The indicators are the task's own (prefetched), in document order; a ticked code the
    task no longer has (the task was deleted) is still listed, by its code.
    """
    ticked = [code for code, done in rating.indicator_checks.items() if done]
    texts = {i.code: i.text for i in rating.task.indicators.all()} if rating.task else {}
    ordered = [code for code in texts if code in ticked] + [c for c in ticked if c not in texts]
    return {
        "ticked": [(code, texts.get(code, "")) for code in ordered],
        "comment": rating.comment,
    }


@login_required
def person_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The gap report as a PDF for the personnel file: the person, cycle and standard,
    own and manager's levels, the evidence, and the signature block."""
    viewer = report_viewer(request)
    assessment = get_object_or_404(
        viewer.assessments().select_related("employee__department"), pk=pk
    )
    review = ManagerReview.objects.filter(assessment=assessment).select_related("reviewer").first()
    ratings = list(
        assessment.ratings.select_related("manager_rating", "task")
        .prefetch_related(
            Prefetch("task__indicators", queryset=BehaviourIndicator.objects.order_by("order"))
        )
        .order_by("order")
    )
    rows = _person_rows(ratings)
    for row in rows:
        row["evidence"] = _evidence(row["rating"])
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
        request, "reports/person_pdf.html", context, filename=f"gap-report-{assessment.pk}"
    )
