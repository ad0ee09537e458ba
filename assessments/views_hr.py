"""HR's pages: the HR home, and creating cycles and assigning standards in them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from common.pagination import paginate

from .forms import AssignForm, CycleForm, JobTitleAssignmentForm
from .models import Assessment, Cycle, Employee, JobTitleAssignment
from .selectors import (
    cycle_assessments,
    cycles_with_completion,
    department_members,
    found_people,
    job_title_rules,
    job_titles,
    open_cycles,
    people_search,
)
from .services import (
    CYCLE_CLOSED,
    Assignment,
    assessment_withdraw,
    assessments_assign,
    cycle_create,
    job_title_assignment_create,
    job_title_assignment_delete,
)

PEOPLE_PER_PAGE = 25
ASSESSMENTS_PER_PAGE = 50
# At most this many names in "already had it"; the rest are counted.
NAMES_SHOWN = 20
# The job-title form shares the cycle page with the assign form: its fields are rule-….
RULE_PREFIX = "rule"

assigning = permission_required("assessments.add_assessment", raise_exception=True)


@login_required
@permission_required("assessments.view_assessment", raise_exception=True)
def hr_home(request: HttpRequest) -> HttpResponse:
    """Where HR lands: the open cycles with their completion, and the next things to do."""
    today = timezone.localdate()
    return render(
        request,
        "assessments/hr_home.html",
        {"cycles": cycles_with_completion(open_cycles(today)), "today": today},
    )


@login_required
@permission_required("assessments.add_cycle", raise_exception=True)
def cycle_list(request: HttpRequest) -> HttpResponse:
    """HR: every cycle with its completion, and a form to create one."""
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = cycle_create(**form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Cycle created: now assign standards to people."))
            return redirect("assessments:cycle", pk=cycle.pk)
    return render(
        request,
        "assessments/cycle_list.html",
        {"cycles": cycles_with_completion(), "form": form, "today": timezone.localdate()},
    )


def already_message(already: list[Employee]) -> str:
    """ "Already had it: …", naming at most NAMES_SHOWN people."""
    names = ", ".join(str(employee) for employee in already[:NAMES_SHOWN])
    more = len(already) - NAMES_SHOWN
    if more > 0:
        return ngettext(
            "Already had it, left as it was: %(names)s and %(more)d more.",
            "Already had it, left as it was: %(names)s and %(more)d more.",
            more,
        ) % {"names": names, "more": more}
    return _("Already had it, left as it was: %(names)s.") % {"names": names}


def report_assignment(request: HttpRequest, assignment: Assignment, code: str) -> None:
    created = len(assignment.created)
    messages.success(
        request,
        ngettext(
            "%(code)s assigned to %(count)d person.",
            "%(code)s assigned to %(count)d people.",
            created,
        )
        % {"code": code, "count": created},
    )
    if assignment.already:
        messages.warning(request, already_message(assignment.already))


def _people_to_assign(data: dict) -> list[Employee]:
    people = list(data["employees"])
    if data["department"]:
        people += department_members(data["department"])
    if data["everyone_found"]:
        people += found_people(people_search({"q": data["q"]}))
    return people


@login_required
@assigning
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """HR: one cycle's assignments. Search people, choose a standard and assign it to
    the people chosen, a department or everyone found; by job title; withdraw."""
    cycle = get_object_or_404(Cycle, pk=pk)
    closed = cycle.is_closed(timezone.localdate())
    search = people_search(request.GET)
    form = AssignForm(request.POST or None, initial={"q": request.GET.get("q", "")})
    if request.method == "POST":
        if closed:
            messages.error(request, CYCLE_CLOSED % {"date": cycle.closes_on.isoformat()})
            return redirect(request.get_full_path())
        if form.is_valid():
            standard = form.cleaned_data["standard"]
            assignment = assessments_assign(
                cycle=cycle, standard=standard, employees=_people_to_assign(form.cleaned_data)
            )
            report_assignment(request, assignment, standard.code)
            return redirect(request.get_full_path())
    people = paginate(request, found_people(search), per_page=PEOPLE_PER_PAGE, param="people")
    return render(
        request,
        "assessments/cycle_detail.html",
        {
            "cycle": cycle,
            "closed": closed,
            "completion": cycles_with_completion(Cycle.objects.filter(pk=cycle.pk))[0].completion,
            "search": search,
            "people": people,
            "chosen": request.POST.getlist("employees"),
            "form": form,
            "rule_form": JobTitleAssignmentForm(prefix=RULE_PREFIX),
            "rules": job_title_rules(cycle),
            "job_titles": job_titles(),
            "assessments": paginate(
                request, cycle_assessments(cycle), per_page=ASSESSMENTS_PER_PAGE
            ),
        },
    )


@login_required
@assigning
@require_POST
def job_title_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """HR: everyone with a job title takes a standard in this cycle, now and later."""
    cycle = get_object_or_404(Cycle, pk=pk)
    form = JobTitleAssignmentForm(request.POST, prefix=RULE_PREFIX)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("assessments:cycle", pk=cycle.pk)
    standard = form.cleaned_data["standard"]
    try:
        _rule, assignment = job_title_assignment_create(
            cycle=cycle,
            job_title=form.cleaned_data["job_title"],
            standard=standard,
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        report_assignment(request, assignment, standard.code)
    return redirect(reverse("assessments:cycle", args=[cycle.pk]) + "#job-titles")


@login_required
@assigning
def job_title_unassign(request: HttpRequest, pk: int, rule_pk: int) -> HttpResponse:
    """HR: stop assigning by a job title, after a confirmation; assessments stay."""
    rule = get_object_or_404(
        JobTitleAssignment.objects.select_related("cycle", "standard"), pk=rule_pk, cycle_id=pk
    )
    if request.method == "POST":
        job_title_assignment_delete(rule=rule)
        messages.success(
            request,
            _("People who get the job title %(title)s no longer receive %(code)s.")
            % {"title": rule.job_title, "code": rule.standard.code},
        )
        return redirect(reverse("assessments:cycle", args=[pk]) + "#job-titles")
    return render(request, "assessments/job_title_unassign.html", {"rule": rule})


@login_required
@permission_required("assessments.delete_assessment", raise_exception=True)
def assessment_withdraw_view(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    """HR: withdraw an assignment the employee has not started, after a confirmation."""
    assessment = get_object_or_404(
        Assessment.objects.select_related("cycle", "employee", "standard"),
        pk=assessment_pk,
        cycle_id=pk,
    )
    if request.method == "POST":
        try:
            assessment_withdraw(assessment=assessment)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request,
                _("%(code)s withdrawn from %(employee)s.")
                % {"code": assessment.standard.code, "employee": assessment.employee},
            )
        return redirect("assessments:cycle", pk=pk)
    return render(request, "assessments/withdraw.html", {"assessment": assessment})
