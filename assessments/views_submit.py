"""Submitting a self-assessment, which cannot be undone, after a confirmation step.

The form's "Submit" saves the answers as a draft and, once every task is rated, leads
here: the page lists the answers and asks; only its POST submits. No script needed.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Assessment
from .scoring import TaskScore, summarise
from .selectors import own_assessments
from .services import (
    LOCKED,
    AssessmentLockedError,
    CycleClosedError,
    CycleNotOpenError,
    StaleAssessmentError,
    assessment_save,
    closed_message,
)

SUBMITTED = _("Your assessment has been submitted.")
STILL_UNRATED = _("Every task needs your level before you can submit.")
NOT_CONFIRMED = _("The confirmation could not be read; nothing was submitted.")


class SubmitForm(forms.Form):
    """The version the employee confirmed: answers saved since then are not submitted
    unseen."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


@login_required
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the answers about to be submitted and the question; POST: submit them."""
    assessment = get_object_or_404(own_assessments(request.user), pk=pk)
    if assessment.is_submitted:
        if request.method == "POST":
            messages.error(request, LOCKED)
        return redirect("assessments:result", pk=assessment.pk)
    if assessment.cycle.is_closed(timezone.localdate()):
        messages.error(request, closed_message(assessment.cycle))
        return redirect("assessments:result", pk=assessment.pk)
    ratings = list(assessment.ratings.order_by("order"))
    if any(rating.self_level is None for rating in ratings):
        messages.error(request, STILL_UNRATED)
        return redirect("assessments:form", pk=assessment.pk)
    if request.method == "POST":
        return _submit(request, assessment)
    scores = [TaskScore.of_rating(rating, rating.self_level) for rating in ratings]
    return render(
        request,
        "assessments/submit.html",
        {
            "assessment": assessment,
            "form": SubmitForm(initial={"version": assessment.version}),
            "scores": scores,
            "overall": summarise(scores),
        },
    )


def _submit(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    form = SubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, NOT_CONFIRMED)
        return redirect("assessments:submit", pk=assessment.pk)
    try:
        # No answers change here: the ones saved and shown on the confirmation page.
        assessment_save(
            assessment=assessment,
            version=form.cleaned_data["version"],
            ratings={},
            submit=True,
        )
    except (StaleAssessmentError, CycleNotOpenError) as exc:
        messages.error(request, str(exc))
        return redirect("assessments:form", pk=assessment.pk)
    except (AssessmentLockedError, CycleClosedError) as exc:
        messages.error(request, str(exc))
        return redirect("assessments:result", pk=assessment.pk)
    messages.success(request, SUBMITTED)
    return redirect("assessments:result", pk=assessment.pk)
