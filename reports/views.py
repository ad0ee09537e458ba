"""The managers' and HR's reports. Anyone who is neither, and anything out of scope, is 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from common.pagination import paginate
from common.spreadsheets import DOWNLOAD_FORMATS as FORMATS
from common.spreadsheets import download

from .charts import level_chart
from .models import ManagerReview, TaskRating
from .report_exports import (
    dashboard_dataset,
    heatmap_dataset,
    person_dataset,
    training_need_detail_dataset,
    training_needs_dataset,
    trend_dataset,
)
from .report_filters import ReportFilter, report_filter
from .report_forms import ReviewForm
from .reports import (
    TRAINING_KINDS,
    UNFINISHED,
    Cell,
    Heatmap,
    TrainingNeed,
    Viewer,
    cycle_choices,
    dashboard_assessments,
    heatmap,
    people_count,
    status_counts,
    training_need_detail,
    training_needs,
    trend,
    viewer_for,
    with_items,
    with_status,
)
from .review import review_save
from .scoring import TaskScore, summarise, summarise_by_duty
from .selectors import assessments_visible_to

# The session remembers at login whether the account manages someone or is HR, so that
# the navigation can show the reports link without a query on every page.
NAV_FLAG = "reports_nav"

# Rows per page of the long lists (downloads have every row); the dashboard also names
# the first few people still to finish.
DASHBOARD_PAGE_SIZE = 50
REMINDERS_SHOWN = 10
NEEDS_PAGE_SIZE = 25
DETAIL_PAGE_SIZE = 50


@receiver(user_logged_in, dispatch_uid="reports_nav_flag")
def remember_report_access(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[NAV_FLAG] = viewer_for(user) is not None


def _viewer(request: HttpRequest) -> Viewer:
    viewer = viewer_for(request.user)
    if viewer is None:
        raise Http404("not a manager")
    return viewer


def _export_format(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in FORMATS else None


def _export_links(request: HttpRequest) -> dict[str, str]:
    links = {}
    for fmt in FORMATS:
        query = request.GET.copy()
        query["format"] = fmt
        links[fmt] = "?" + query.urlencode()
    return links


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name) or ""
    if not value:
        return None
    if not value.isdigit():
        raise Http404(f"bad {name}")
    return int(value)


def _filtered(
    request: HttpRequest, viewer: Viewer, fields: list[str], defaults: dict[str, Any]
) -> ReportFilter:
    filterset = report_filter(request.GET, viewer=viewer, fields=fields, defaults=defaults)
    if not filterset.is_valid():
        # A choice outside the viewer's scope: as if it did not exist.
        raise Http404("invalid filter")
    return filterset


def _latest_cycle_id(request: HttpRequest, viewer: Viewer) -> int | None:
    """The cycle asked for, else the newest one with someone in scope (one query)."""
    requested = _int_param(request, "cycle")
    if requested is not None:
        return requested
    return cycle_choices(viewer).values_list("pk", flat=True).first()


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], viewer: Viewer
) -> HttpResponse:
    context.update(viewer=viewer, export_links=_export_links(request))
    return render(request, template, context)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The team's assessments in one cycle: counts per status, who still has to finish,
    and every assessment a page at a time (the download has them all)."""
    viewer = _viewer(request)
    filterset = _filtered(
        request,
        viewer,
        ["cycle", "department", "status"],
        {"cycle": _latest_cycle_id(request, viewer)},
    )
    cycle = filterset.form.cleaned_data.get("cycle")
    status = filterset.form.cleaned_data.get("status")
    assessments = filterset.qs if cycle else viewer.assessments().none()
    listed = dashboard_assessments(with_status(assessments, status))
    if fmt := _export_format(request):
        return download(dashboard_dataset(listed), fmt=fmt, filename="team")
    counts = status_counts(assessments)
    unfinished = request.GET.copy()
    unfinished.pop("page", None)
    unfinished["status"] = UNFINISHED
    page = paginate(request, listed, per_page=DASHBOARD_PAGE_SIZE)
    return _render(
        request,
        "reports/dashboard.html",
        {
            "filter": filterset,
            "cycle": cycle,
            "counts": counts,
            "unfinished_count": counts["pending"] + counts["draft"],
            "unfinished_url": "?" + unfinished.urlencode(),
            "page": page,
            "rows": page.object_list,
            "reminders": dashboard_assessments(with_status(assessments, UNFINISHED))[
                :REMINDERS_SHOWN
            ],
        },
        viewer,
    )


def _person_rows(ratings: list[TaskRating]) -> list[dict[str, Any]]:
    rows = []
    for rating in ratings:
        manager = getattr(rating, "manager_rating", None)
        manager_level = manager.level if manager else None
        rows.append(
            {
                "rating": rating,
                "self_gap": (
                    rating.required_level - rating.self_level
                    if rating.self_level is not None
                    else None
                ),
                "manager_level": manager_level,
                "manager_gap": (
                    rating.required_level - manager_level if manager_level is not None else None
                ),
                "differs": manager_level is not None and manager_level != rating.self_level,
                "note": manager.comment if manager else "",
            }
        )
    return rows


@login_required
def person_report(request: HttpRequest, pk: int) -> HttpResponse:
    """One report's result (required, own, gap per task and duty) and the manager review."""
    viewer = _viewer(request)
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
    basis = "manager" if request.GET.get("basis") == "manager" else "self"
    if fmt := _export_format(request):
        return download(person_dataset(rows), fmt=fmt, filename=f"gap-{assessment.pk}")
    scores = [
        TaskScore(
            duty_code=row["rating"].duty_code,
            duty_title=row["rating"].duty_title,
            code=row["rating"].task_code,
            title=row["rating"].task_title,
            required=row["rating"].required_level,
            own=row["manager_level"] if basis == "manager" else row["rating"].self_level,
        )
        for row in rows
        if (row["manager_level"] if basis == "manager" else row["rating"].self_level) is not None
    ]
    duties = summarise_by_duty(scores)
    return _render(
        request,
        "reports/person.html",
        {
            "assessment": assessment,
            "review": review,
            "form": form,
            "rows": rows,
            "differences": sum(1 for row in rows if row["differs"]),
            "basis": basis,
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
    ratings = list(assessment.ratings.select_related("manager_rating").order_by("order"))
    rows = _person_rows(ratings)
    if fmt := _export_format(request):
        return download(person_dataset(rows), fmt=fmt, filename=f"review-{assessment.pk}")
    return render(
        request,
        "reports/shared_review.html",
        {
            "assessment": assessment,
            "review": assessment.review,
            "rows": rows,
            "export_links": _export_links(request),
        },
    )


def _render_rows(result: Heatmap) -> None:
    """Each heatmap row as HTML, built here rather than by a template loop, which is far
    too slow for a thousand people's thirty cells each. Names are escaped; everything
    else is an integer, a fixed class name or a word escaped once."""
    required, own = escape(_("required")), escape(_("own"))
    cells: dict[Cell | None, str] = {None: '<td class="heat unrated"></td>'}
    # reverse() a thousand times costs a quarter of a second; fill in one pattern instead.
    person_url = reverse("reports:person", args=[0]).replace("/0/", "/{}/")
    for row in result.rows:
        html = [
            format_html(
                '<th scope="row" class="person-col"><a href="{}">{}</a> '
                '<span class="muted">{}</span></th>',
                person_url.format(row.assessment_id),
                row.name,
                row.employee_number,
            )
        ]
        for cell in row.cells:
            if cell not in cells:
                cells[cell] = (
                    f'<td class="heat {cell.css}" title="{required} {cell.required:d}, '
                    f'{own} {cell.own:d}">{cell.gap:d}</td>'
                )
            html.append(cells[cell])
        html.append(
            f'<td class="summary-col" data-summary="short">{row.short_count:d}</td>'
            f'<td class="summary-col" data-summary="total">{row.total_shortfall:d}</td>'
            f'<td class="summary-col" data-summary="mean">{row.mean_gap:.2f}</td>'
        )
        row.cells_html = mark_safe("".join(html))  # noqa: S308 - escaped above


def _heatmap_defaults(request: HttpRequest, viewer: Viewer) -> dict[str, Any]:
    cycle_id = _latest_cycle_id(request, viewer)
    standard_id = _int_param(request, "standard")
    if standard_id is None and cycle_id is not None:
        standard_id = (
            viewer.assessments()
            .filter(cycle=cycle_id)
            .order_by("standard__code")
            .values_list("standard", flat=True)
            .first()
        )
    return {"cycle": cycle_id, "standard": standard_id}


@login_required
def team_heatmap(request: HttpRequest) -> HttpResponse:
    """Employees × tasks for one cycle and standard version, coloured by the gap."""
    viewer = _viewer(request)
    filterset = _filtered(
        request,
        viewer,
        ["cycle", "standard", "department", "only_shortfalls"],
        _heatmap_defaults(request, viewer),
    )
    data = filterset.form.cleaned_data
    ready = data.get("cycle") is not None and data.get("standard") is not None
    row_order = request.GET.get("sort", "person")
    column_order = request.GET.get("task_sort", "task")
    result = heatmap(
        filterset.qs if ready else viewer.assessments().none(),
        row_order=row_order,
        column_order=column_order,
        only_shortfalls=bool(data.get("only_shortfalls")),
    )
    if fmt := _export_format(request):
        return download(heatmap_dataset(result), fmt=fmt, filename="heatmap")
    _render_rows(result)
    sort_query = request.GET.copy()
    for name in ("sort", "task_sort", "format"):
        sort_query.pop(name, None)
    return _render(
        request,
        "reports/heatmap.html",
        {
            "filter": filterset,
            "heatmap": result,
            "row_order": row_order,
            "column_order": column_order,
            "sort_query": sort_query.urlencode(),
        },
        viewer,
    )


@login_required
def training_needs_report(request: HttpRequest) -> HttpResponse:
    """Knowledge and skill items ranked by the people falling short on tasks needing them."""
    viewer = _viewer(request)
    filterset = _filtered(
        request,
        viewer,
        ["cycle", "standard", "department"],
        {"cycle": _latest_cycle_id(request, viewer)},
    )
    order = "shortfall" if request.GET.get("order") == "shortfall" else "people"
    assessments = filterset.qs if filterset.form.cleaned_data.get("cycle") else None
    if assessments is None:
        assessments = viewer.assessments().none()
    knowledge = training_needs(assessments, kind="knowledge", order=order)
    skills = training_needs(assessments, kind="skill", order=order)
    if fmt := _export_format(request):
        data = training_needs_dataset(
            with_items(knowledge, kind="knowledge"), kind_label=_("Knowledge")
        )
        for row in training_needs_dataset(with_items(skills, kind="skill"), kind_label=_("Skill")):
            data.append(row)
        return download(data, fmt=fmt, filename="training-needs")
    query = request.GET.copy()
    for name in ("order", "format", "knowledge_page", "skill_page"):
        query.pop(name, None)
    return _render(
        request,
        "reports/training_needs.html",
        {
            "filter": filterset,
            "scope": _scope_label(viewer, filterset),
            "knowledge": _needs_page(request, knowledge, kind="knowledge"),
            "skills": _needs_page(request, skills, kind="skill"),
            "order": order,
            "query": query.urlencode(),
        },
        viewer,
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
    """The people and tasks behind one knowledge or skill item's training need."""
    viewer = _viewer(request)
    if kind not in TRAINING_KINDS:
        raise Http404("unknown kind")
    item = get_object_or_404(TRAINING_KINDS[kind].objects.select_related("standard"), pk=pk)
    filterset = _filtered(
        request,
        viewer,
        ["cycle", "standard", "department"],
        {"cycle": _latest_cycle_id(request, viewer)},
    )
    assessments = filterset.qs if filterset.form.cleaned_data.get("cycle") else None
    if assessments is None:
        assessments = viewer.assessments().none()
    ratings = training_need_detail(assessments, item=item)
    if fmt := _export_format(request):
        return download(
            training_need_detail_dataset(ratings), fmt=fmt, filename=f"training-{item.code}"
        )
    query = request.GET.copy()
    for name in ("format", "page"):
        query.pop(name, None)
    page = paginate(request, ratings, per_page=DETAIL_PAGE_SIZE)
    return _render(
        request,
        "reports/training_need.html",
        {
            "filter": filterset,
            "item": item,
            "kind": kind,
            "page": page,
            "ratings": page.object_list,
            "people": people_count(ratings),
            "query": query.urlencode(),
        },
        viewer,
    )


def _trend_defaults(request: HttpRequest, viewer: Viewer) -> dict[str, Any]:
    if _int_param(request, "standard") is not None:
        return {}
    latest = (
        viewer.assessments()
        .order_by("-cycle__opens_on", "standard__code")
        .values_list("standard", flat=True)
        .first()
    )
    return {"standard": latest}


@login_required
def trends(request: HttpRequest) -> HttpResponse:
    """The gap per task and overall across cycles, for one person or the whole team."""
    viewer = _viewer(request)
    filterset = _filtered(
        request,
        viewer,
        ["standard", "department", "employee"],
        _trend_defaults(request, viewer),
    )
    ready = filterset.form.cleaned_data.get("standard") is not None
    result = trend(filterset.qs if ready else viewer.assessments().none())
    if fmt := _export_format(request):
        return download(trend_dataset(result), fmt=fmt, filename="trends")
    chart = level_chart(
        [
            (
                f"C{index}",
                cycle.name,
                round(cycle.average_required, 1),
                round(cycle.average_own, 1),
            )
            for index, cycle in enumerate(result.cycles, start=1)
        ]
    )
    return _render(
        request,
        "reports/trends.html",
        {
            "filter": filterset,
            "trend": result,
            "chart": chart,
            "employee": filterset.form.cleaned_data.get("employee"),
        },
        viewer,
    )
