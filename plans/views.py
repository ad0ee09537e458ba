"""The development plan page of one submitted assessment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from assessments.downloads import about_assessment, assessment_file_name
from assessments.models import Assessment, Employee
from assessments.selectors import assessments_visible_to, employee_of
from common.spreadsheets import DOWNLOAD_FORMATS, download

from .exports import plan_about, plan_dataset
from .forms import ItemProgressForm, PlanCommentForm, PlanItemForm
from .selectors import PlanView, courses_for_assessment, plan_owners, plan_view
from .services import (
    may_approve,
    plan_approve,
    plan_comment_add,
    plan_item_add,
    plan_item_update,
)

OPERATIONS = ("add", "progress", "comment", "approve")


def _submitted_assessment(request: HttpRequest, pk: int) -> Assessment:
    """The assessment behind the plan: one the user may see and that is submitted."""
    assessment = get_object_or_404(
        assessments_visible_to(request.user).select_related("employee__manager"), pk=pk
    )
    if not assessment.is_submitted:
        raise Http404("not submitted")
    return assessment


@login_required
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's items and comments, with forms to add, update, comment and approve;
    `?format=csv` or `xlsx` downloads the items.

    Every POST names its operation (`op`) and answers with a redirect to the page."""
    assessment = _submitted_assessment(request, pk)
    view = plan_view(assessment)
    if (fmt := request.GET.get("format")) in DOWNLOAD_FORMATS and request.method == "GET":
        return download(
            plan_dataset(view.items),
            fmt=fmt,
            filename=assessment_file_name("plan", assessment),
            about=about_assessment(assessment, plan_about(view.plan)),
        )
    acting = employee_of(request.user)
    owners = plan_owners(assessment, acting)
    item_form = PlanItemForm(
        request.POST if request.POST.get("op") == "add" else None,
        assessment=assessment,
        owners=owners,
        courses=courses_for_assessment(assessment),
    )
    if request.method == "POST":
        op = request.POST.get("op")
        if op not in OPERATIONS:
            raise Http404("unknown operation")
        try:
            done = _run(request, op, assessment, acting, view, item_form)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            done = False
        if done:
            return redirect("plans:plan", pk=assessment.pk)
    return render(
        request,
        "plans/plan.html",
        {
            "assessment": assessment,
            "view": view,
            "item_form": item_form,
            "comment_form": PlanCommentForm(),
            "statuses": ItemProgressForm.base_fields["status"].choices,
            "may_approve": may_approve(request.user, acting, assessment),
            "is_own": assessment.employee.user_id == request.user.pk,
        },
    )


def _run(
    request: HttpRequest,
    op: str,
    assessment: Assessment,
    acting: Employee | None,
    view: PlanView,
    item_form: PlanItemForm,
) -> bool:
    """Carry out one operation of the plan page; False when its form is invalid."""
    if op == "add":
        if not item_form.is_valid():
            messages.error(request, _("The item was not added: check the fields marked below."))
            return False
        data = item_form.cleaned_data
        plan_item_add(
            assessment=assessment,
            by=acting,
            action=data["action"],
            course=data["course"],
            owner=item_form.owner(),
            rating=data["rating"],
            knowledge_item=data["knowledge_item"],
            skill_item=data["skill_item"],
            description=data["description"],
            due_on=data["due_on"],
        )
        messages.success(request, _("Item added to the plan."))
    elif op == "progress":
        form = ItemProgressForm(request.POST, items=view.items)
        if not form.is_valid():
            raise Http404("not an item of this plan")
        plan_item_update(
            item=form.plan_item(),
            status=form.cleaned_data["status"],
            due_on=form.cleaned_data["due_on"],
        )
        messages.success(request, _("Item updated."))
    elif op == "comment":
        form = PlanCommentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Write a comment of at most 2,000 characters."))
            return True
        plan_comment_add(assessment=assessment, by=acting, text=form.cleaned_data["text"])
        messages.success(request, _("Comment added."))
    else:
        plan_approve(assessment=assessment, user=request.user, by=acting)
        messages.success(request, _("Plan approved."))
    return True
