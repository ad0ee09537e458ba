"""Training needs: knowledge and skill items ranked by the shortfalls behind them, and
the people and tasks behind one item."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.pagination import paginate
from plans.forms import NeedPlanForm
from plans.selectors import courses_for
from plans.services import plan_items_for_need

from .downloads import download_job
from .exports import training_need_detail_dataset, training_needs_dataset
from .filters import ReportFilter, level_source
from .selectors import (
    NEED_ORDER,
    TRAINING_KINDS,
    TrainingNeed,
    Viewer,
    people_count,
    training_items,
    training_need_detail,
    training_needs,
    with_items,
)
from .views import (
    choice_param,
    export_format,
    filtered,
    latest_cycle_id,
    levels_context,
    render_report,
    report_download,
    report_viewer,
    scope_label,
)

# Rows per page of the long lists (downloads have every row).
NEEDS_PAGE_SIZE = 25
DETAIL_PAGE_SIZE = 50
SUGGESTED_COURSES = 5


@login_required
def training_needs_report(request: HttpRequest) -> HttpResponse:
    """Knowledge and skill items ranked by the people falling short on tasks needing them."""
    viewer = report_viewer(request)
    filterset = filtered(
        request,
        viewer,
        ["cycle", "standard", "department", "levels"],
        {"cycle": latest_cycle_id(request, viewer)},
    )
    source = level_source(filterset)
    order = choice_param(request, "order", tuple(NEED_ORDER))
    assessments = filterset.qs if filterset.form.cleaned_data.get("cycle") else None
    if assessments is None:
        assessments = viewer.assessments().none()
    fmt = export_format(request)
    if fmt and (job := download_job(request, "training_needs", assessments, fmt)):
        return job
    needs = training_needs(assessments, order=order, source=source)
    knowledge, skills = needs["knowledge"], needs["skill"]
    if fmt:
        data = training_needs_dataset(
            with_items(knowledge, kind="knowledge"), kind_label=_("Knowledge"), source=source
        )
        skill_rows = training_needs_dataset(
            with_items(skills, kind="skill"), kind_label=_("Skill"), source=source
        )
        for row in skill_rows:
            data.append(row)
        return report_download(
            data,
            fmt=fmt,
            kind="training-needs",
            viewer=viewer,
            filters=filterset.form.cleaned_data,
        )
    return render_report(
        request,
        "reports/training_needs.html",
        {
            "filter": filterset,
            "scope": _scope_label(viewer, filterset),
            "knowledge": _needs_page(request, knowledge, kind="knowledge"),
            "skills": _needs_page(request, skills, kind="skill"),
            "order": order,
            **levels_context(source),
        },
        viewer,
        keep={"order": order},
    )


def _needs_page(request: HttpRequest, needs: list[TrainingNeed], *, kind: str) -> Page:
    """One page of a ranking, with the items of only that page loaded (one query)."""
    page = paginate(request, needs, per_page=NEEDS_PAGE_SIZE, param=f"{kind}_page")
    page.object_list = with_items(list(page.object_list), kind=kind)
    return page


def _scope_label(viewer: Viewer, filterset: ReportFilter) -> str:
    department = filterset.form.cleaned_data.get("department")
    if department is not None:
        return _("Department: %(name)s") % {"name": department.name}
    return scope_label(viewer)


@login_required
def training_need_people(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The people and tasks behind one knowledge or skill item's training need; only
    items of published standard versions are found."""
    viewer = report_viewer(request)
    if kind not in TRAINING_KINDS:
        raise Http404("unknown kind")
    item = get_object_or_404(training_items(kind), pk=pk)
    filterset = filtered(
        request,
        viewer,
        ["cycle", "standard", "department", "levels"],
        {"cycle": latest_cycle_id(request, viewer)},
    )
    source = level_source(filterset)
    assessments = filterset.qs if filterset.form.cleaned_data.get("cycle") else None
    if assessments is None:
        assessments = viewer.assessments().none()
    ratings = training_need_detail(assessments, item=item, source=source)
    courses = courses_for(item)
    plan_form = NeedPlanForm(request.POST or None, courses=courses)
    if request.method == "POST":
        if plan_form.is_valid():
            added = plan_items_for_need(
                ratings=ratings.select_related("assessment__employee"),
                item=item,
                by=viewer.employee,
                **plan_form.cleaned_data,
            )
            messages.success(
                request,
                ngettext(
                    "Added a plan item for %(count)d person.",
                    "Added a plan item for %(count)d people.",
                    added,
                )
                % {"count": added},
            )
            return redirect(request.get_full_path())
        messages.error(request, _("No plan item was added: check the fields marked below."))
    if fmt := export_format(request):
        return report_download(
            training_need_detail_dataset(ratings, source=source),
            fmt=fmt,
            kind=f"training-need-{item.code}",
            viewer=viewer,
            filters=filterset.form.cleaned_data,
            extra=[(_("Knowledge") if kind == "knowledge" else _("Skill"), str(item))],
        )
    page = paginate(request, ratings, per_page=DETAIL_PAGE_SIZE)
    return render_report(
        request,
        "reports/training_need.html",
        {
            "filter": filterset,
            "item": item,
            "kind": kind,
            "page": page,
            "ratings": page.object_list,
            "people": people_count(ratings),
            "plan_form": plan_form,
            "courses": courses[:SUGGESTED_COURSES],
            **levels_context(source),
        },
        viewer,
    )
