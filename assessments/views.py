import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from common.spreadsheets import attachment, csv_response, file_name
from standards.levels import OWN_LEVELS, own_level_definition, own_level_name

from .charts import level_chart
from .forms import AssessmentForm, level_definition_id
from .models import Assessment
from .scoring import TaskScore, summarise, summarise_by_duty
from .selectors import (
    assessments_visible_to,
    employee_of,
    latest_return,
    own_assessments,
    personal_data,
    ratings_with_files,
    task_evidence,
    task_texts,
    with_evidence_flag,
    with_latest_return,
    with_progress,
)
from .services import (
    LOCKED,
    AssessmentLockedError,
    CycleClosedError,
    CycleNotOpenError,
    StaleAssessmentError,
    assessment_mark_opened,
    assessment_save,
    closed_message,
    not_open_message,
)
from .task_blocks import FormTasks

DRAFT_SAVED = gettext_lazy("Draft saved. You can carry on where you were.")
AUTOSAVED = gettext_lazy("Draft saved automatically at %(time)s.")
STALE_AUTOSAVE = gettext_lazy(
    "This assessment was saved elsewhere (in another tab or on another device) after you "
    "opened it, so these answers were not saved automatically. Reload the page to see the "
    "latest saved answers, then enter your changes again."
)
NOT_READ = gettext_lazy(
    "Some answers could not be read; nothing was saved. Please check the marked fields."
)
# The field the form's script adds when it saves a draft by itself (answered with JSON).
AUTOSAVE_FIELD = "autosave"


@login_required
def my_assessments(request: HttpRequest) -> HttpResponse:
    """The employee's home: what is to do, what is submitted, and past cycles."""
    assessments = list(
        with_progress(own_assessments(request.user).select_related("review")).order_by(
            "cycle__closes_on", "standard__code", "pk"
        )
    )
    for assessment in assessments:
        review = getattr(assessment, "review", None)
        # Only a shared review is the employee's to read.
        assessment.shared_review = review if review is not None and review.is_shared else None
    today = timezone.localdate()
    current = [a for a in assessments if not a.cycle.is_closed(today)]
    return render(
        request,
        "assessments/my_assessments.html",
        {
            "has_employee": employee_of(request.user) is not None,
            "to_do": [a for a in current if not a.is_submitted],
            "submitted": [a for a in current if a.is_submitted],
            "past": [a for a in reversed(assessments) if a.cycle.is_closed(today)],
            "today": today,
        },
    )


def _render_form(
    request: HttpRequest,
    assessment: Assessment,
    form: AssessmentForm,
    missing: list | None = None,
    *,
    preview: bool = False,
) -> HttpResponse:
    missing = missing or []
    ratings = form.ratings
    duties = form.duties({rating.pk for rating in missing})
    tasks = FormTasks(
        assessment.standard,
        form,
        evidence_url=reverse("assessments:evidence", args=[assessment.pk]),
        preview=preview,
    )
    for duty in duties:
        duty.tasks_html = tasks.html(duty.tasks)
    return render(
        request,
        "assessments/form.html",
        {
            "assessment": assessment,
            "form": form,
            "duties": duties,
            "missing": missing,
            "preview": preview,
            # Why HR sent it back, if it was: the employee sees the reason above the form.
            "returned": latest_return(assessment),
            "rated": sum(1 for rating in ratings if rating.self_level is not None),
            "total": len(ratings),
            # The one place the page prints what each level means (LevelRadios).
            "levels": [
                (own_level_name(level), own_level_definition(level), level_definition_id(level))
                for level in OWN_LEVELS
            ],
        },
    )


def _form(assessment: Assessment, data: Any = None, **kwargs: Any) -> AssessmentForm:
    """The assessment's form, unbound (the saved answers) or bound to `data`."""
    return AssessmentForm(
        data,
        initial={"version": assessment.version},
        ratings=ratings_with_files(assessment),
        texts=task_texts(assessment.standard),
        **kwargs,
    )


@login_required
def assessment_form(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill in one's own assessment: save a draft any time, or submit it."""
    own = with_evidence_flag(with_latest_return(own_assessments(request.user)))
    assessment = get_object_or_404(own, pk=pk)
    assessment_mark_opened(assessment=assessment)
    autosave = request.method == "POST" and AUTOSAVE_FIELD in request.POST
    today = timezone.localdate()
    if autosave and (assessment.is_submitted or assessment.cycle.is_closed(today)):
        refused = LOCKED if assessment.is_submitted else closed_message(assessment.cycle)
        return JsonResponse({"saved": False, "message": str(refused)}, status=409)
    if assessment.is_submitted:
        if request.method == "POST":
            messages.error(request, LOCKED)
        return redirect("assessments:result", pk=assessment.pk)
    if assessment.cycle.is_closed(today):
        messages.error(request, closed_message(assessment.cycle))
        return redirect("assessments:result", pk=assessment.pk)
    if not assessment.cycle.is_open_yet(today):
        # A preview: the tasks can be read before the cycle opens, not answered.
        if request.method == "POST":
            return redirect("assessments:form", pk=assessment.pk)
        messages.info(request, not_open_message(assessment.cycle))
        return _render_form(request, assessment, _form(assessment, disabled=True), preview=True)
    if request.method != "POST":
        return _render_form(request, assessment, _form(assessment))

    form = _form(assessment, request.POST)
    ratings = form.ratings
    if not form.is_valid():
        if autosave:
            return JsonResponse({"saved": False, "message": str(NOT_READ)}, status=400)
        return _render_form(request, assessment, form)
    submit = "submit" in request.POST
    try:
        # Submitting asks first (`assessment_submit`): the answers are saved as a draft.
        missing = assessment_save(
            assessment=assessment,
            version=form.cleaned_data["version"],
            ratings=form.rating_inputs(),
        )
    except (StaleAssessmentError, CycleNotOpenError) as exc:
        if autosave:
            refused = STALE_AUTOSAVE if isinstance(exc, StaleAssessmentError) else exc
            return JsonResponse({"saved": False, "message": str(refused)}, status=409)
        messages.error(request, str(exc))
        return redirect("assessments:form", pk=assessment.pk)
    except (AssessmentLockedError, CycleClosedError) as exc:
        if autosave:
            return JsonResponse({"saved": False, "message": str(exc)}, status=409)
        messages.error(request, str(exc))
        return redirect("assessments:result", pk=assessment.pk)
    if autosave:
        saved_at = timezone.localtime().strftime("%H:%M")
        return JsonResponse(
            {
                "saved": True,
                "version": assessment.version,
                "message": AUTOSAVED % {"time": saved_at},
            }
        )
    if not submit:
        messages.success(request, DRAFT_SAVED)
        return redirect(
            reverse("assessments:form", args=[assessment.pk]) + "#" + _anchor(request, ratings)
        )
    if not missing:
        return redirect("assessments:submit", pk=assessment.pk)
    # Submitting with tasks unrated: the answers are kept as a draft, and the form shows
    # them again with the tasks still missing a level listed and marked.
    return _render_form(request, assessment, _form(assessment), missing)


def _anchor(request: HttpRequest, ratings: list) -> str:
    """Where the form was when the draft was saved: the task the script noted last
    (`anchor`, one of this assessment's), else the progress bar."""
    anchor = request.POST.get("anchor", "")
    if anchor in {f"task-{rating.pk}" for rating in ratings}:
        return anchor
    return "progress"


@login_required
def assessment_result(request: HttpRequest, pk: int) -> HttpResponse:
    """Required vs own level per task and per duty, as numbers, a chart and a table."""
    assessment = get_object_or_404(
        assessments_visible_to(request.user).select_related("review"), pk=pk
    )
    review = getattr(assessment, "review", None)
    is_own = assessment.employee.user_id == request.user.pk
    if is_own:
        assessment_mark_opened(assessment=assessment)
    context: dict = {
        "assessment": assessment,
        "is_own": is_own,
        "closed": assessment.cycle.is_closed(timezone.localdate()),
        "review_shared": review is not None and review.shared_at is not None,
    }
    if assessment.is_submitted:
        evidence = task_evidence(assessment)
        scores = [
            TaskScore.of_rating(item.rating, item.rating.self_level)
            for item in evidence
            if item.rating.self_level is not None
        ]
        duties = summarise_by_duty(scores)
        context.update(
            overall=summarise(scores),
            duties=duties,
            duty_chart=level_chart(
                [
                    (d.code, d.title, round(d.average_required, 1), round(d.average_own, 1))
                    for d in duties
                ]
            ),
            task_chart=level_chart([(t.code, t.title, t.required, t.own) for t in scores]),
            evidence=evidence,
        )
    return render(request, "assessments/result.html", context)


def _own_data(request: HttpRequest) -> dict:
    employee = employee_of(request.user)
    if employee is None:
        raise Http404("no employee record")
    return personal_data(employee)


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """What the downloads hold, with the two download links."""
    return render(request, "assessments/my_data.html", {"data": _own_data(request)})


@login_required
@require_GET
def my_data_json(request: HttpRequest) -> HttpResponse:
    """Everything the portal holds about the logged-in employee, as JSON."""
    data = _own_data(request)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    return attachment(response, file_name("my-data", data["profile"]["employee_number"]) + ".json")


CSV_PROFILE = ["username", "email", "employee_number", "name", "department", "job_title", "manager"]
CSV_ASSESSMENT = ["cycle", "standard", "standard_name", "stage", "submitted_at"]
CSV_RATING = [
    "duty_code",
    "duty",
    "task_code",
    "task",
    "required_level",
    "self_level",
    "gap",
    "indicators_done",
    "comment",
    "evidence_files",
]


@login_required
@require_GET
def my_data_csv(request: HttpRequest) -> HttpResponse:
    """The same as the JSON download, one row per task rating (profile columns repeated)."""
    data = _own_data(request)
    response, writer = csv_response(
        file_name("my-data", data["profile"]["employee_number"]) + ".csv"
    )
    columns = CSV_PROFILE + CSV_ASSESSMENT + CSV_RATING
    writer.writerow(columns)
    profile = [data["profile"][key] for key in CSV_PROFILE]
    if not data["assessments"]:
        writer.writerow(profile + [""] * (len(columns) - len(profile)))
    for assessment in data["assessments"]:
        head = profile + [assessment[key] for key in CSV_ASSESSMENT]
        if not assessment["ratings"]:
            writer.writerow(head + [""] * len(CSV_RATING))
        for rating in assessment["ratings"]:
            row = dict(
                rating,
                indicators_done=json.dumps(rating["indicators_done"], ensure_ascii=False),
                evidence_files="; ".join(file["name"] for file in rating["evidence_files"]),
            )
            writer.writerow(head + [row[key] for key in CSV_RATING])
    return response
