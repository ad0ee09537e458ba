"""Training needs: knowledge and skill items ranked by the shortfalls behind them, and
the people and tasks behind one item."""

from __future__ import annotations

import tablib
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from common.pagination import paginate
from common.spreadsheets import download

from .downloads import Download, download_or_job, report_download
from .exports import training_need_detail_dataset, training_needs_dataset
from .filters import ReportFilter
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
    render_report,
    report_viewer,
)

# Rows per page of the long lists (downloads have every row).
NEEDS_PAGE_SIZE = 25
DETAIL_PAGE_SIZE = 50


def _needs_scope(params: QueryDict, viewer: Viewer) -> tuple[ReportFilter, QuerySet]:
    """The filter of the training needs and its assessments (none without a cycle)."""
    filterset = filtered(
        params,
        viewer,
        ["cycle", "standard", "department"],
        {"cycle": latest_cycle_id(params, viewer)},
    )
    if not filterset.form.cleaned_data.get("cycle"):
        return filterset, viewer.assessments().none()
    return filterset, filterset.qs


def _needs(params: QueryDict, assessments: QuerySet, *, kind: str) -> list[TrainingNeed]:
    order = choice_param(params, "order", tuple(NEED_ORDER))
    return training_needs(assessments, kind=kind, order=order)


@report_download("training_needs", filename="training-needs")
def training_needs_download(params: QueryDict, viewer: Viewer) -> Download:
    assessments = _needs_scope(params, viewer)[1]

    def dataset() -> tablib.Dataset:
        knowledge = with_items(_needs(params, assessments, kind="knowledge"), kind="knowledge")
        skills = with_items(_needs(params, assessments, kind="skill"), kind="skill")
        data = training_needs_dataset(knowledge, kind_label=_("Knowledge"))
        for row in training_needs_dataset(skills, kind_label=_("Skill")):
            data.append(row)
        return data

    return assessments, dataset


@login_required
def training_needs_report(request: HttpRequest) -> HttpResponse:
    """Knowledge and skill items ranked by the people falling short on tasks needing them."""
    viewer = report_viewer(request)
    if fmt := export_format(request):
        return download_or_job(request, viewer, "training_needs", fmt)
    filterset, assessments = _needs_scope(request.GET, viewer)
    order = choice_param(request.GET, "order", tuple(NEED_ORDER))
    return render_report(
        request,
        "reports/training_needs.html",
        {
            "filter": filterset,
            "scope": _scope_label(viewer, filterset),
            "knowledge": _needs_page(
                request, _needs(request.GET, assessments, kind="knowledge"), kind="knowledge"
            ),
            "skills": _needs_page(
                request, _needs(request.GET, assessments, kind="skill"), kind="skill"
            ),
            "order": order,
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
    return _("Whole organisation") if viewer.hr else _("My team")


@login_required
def training_need_people(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The people and tasks behind one knowledge or skill item's training need; only
    items of published standard versions are found."""
    viewer = report_viewer(request)
    if kind not in TRAINING_KINDS:
        raise Http404("unknown kind")
    item = get_object_or_404(training_items(kind), pk=pk)
    filterset = filtered(
        request.GET,
        viewer,
        ["cycle", "standard", "department"],
        {"cycle": latest_cycle_id(request.GET, viewer)},
    )
    assessments = filterset.qs if filterset.form.cleaned_data.get("cycle") else None
    if assessments is None:
        assessments = viewer.assessments().none()
    ratings = training_need_detail(assessments, item=item)
    if fmt := export_format(request):
        return download(
            training_need_detail_dataset(ratings), fmt=fmt, filename=f"training-{item.code}"
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
        },
        viewer,
    )
