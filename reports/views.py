"""The managers' and HR's team reports: dashboard, heatmap and trends, and the helpers
every report view shares. Anyone who is neither manager nor HR, and anything out of
scope, is 404; so is a malformed id in the query string."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from assessments.charts import level_chart
from assessments.scoring import signed_gap
from common.pagination import paginate
from common.spreadsheets import DOWNLOAD_FORMATS as FORMATS
from common.spreadsheets import download

from .downloads import Download, download_or_job, report_download
from .exports import dashboard_dataset, heatmap_dataset, trend_dataset
from .filters import ReportFilter, is_id, report_filter
from .selectors import (
    UNFINISHED,
    Viewer,
    cycle_choices,
    dashboard_assessments,
    stage_counts,
    viewer_for,
    with_stage,
)
from .selectors_gaps import COLUMN_ORDER, ROW_ORDER, Cell, Heatmap, heatmap, trend

# Rows per page of the long lists (downloads have every row); the dashboard also names
# the first few people still to finish.
DASHBOARD_PAGE_SIZE = 50
REMINDERS_SHOWN = 10


def report_viewer(request: HttpRequest) -> Viewer:
    """The report scope of the logged-in user; 404 for someone who has none."""
    viewer = viewer_for(request.user)
    if viewer is None:
        raise Http404("not a manager")
    return viewer


def export_format(request: HttpRequest) -> str | None:
    """The download format asked for, or None for the page."""
    fmt = request.GET.get("format")
    return fmt if fmt in FORMATS else None


def choice_param(params: QueryDict, name: str, choices: tuple[str, ...]) -> str:
    """The query parameter `name` if it is one of `choices`, else the first choice."""
    value = params.get(name)
    return value if value in choices else choices[0]


def _id_param(params: QueryDict, name: str) -> int | None:
    value = params.get(name) or ""
    if not value:
        return None
    if not is_id(value):
        raise Http404(f"bad {name}")
    return int(value)


def filtered(
    params: QueryDict, viewer: Viewer, fields: list[str], defaults: dict[str, Any]
) -> ReportFilter:
    """The report filter of the query `params` with only `fields`; 404 when it is invalid."""
    filterset = report_filter(params, viewer=viewer, fields=fields, defaults=defaults)
    if not filterset.is_valid():
        # A choice outside the viewer's scope: as if it did not exist.
        raise Http404("invalid filter")
    return filterset


def latest_cycle_id(params: QueryDict, viewer: Viewer) -> int | None:
    """The cycle asked for, else the newest one with someone in scope (one query)."""
    requested = _id_param(params, "cycle")
    if requested is not None:
        return requested
    return cycle_choices(viewer).values_list("pk", flat=True).first()


def render_report(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    viewer: Viewer,
    *,
    keep: dict[str, str] | None = None,
) -> HttpResponse:
    """Render a report page; `keep` holds the page's own settings (its sort order…)
    that the filter form sends again, so that changing a filter keeps them."""
    context.update(viewer=viewer, keep=list((keep or {}).items()))
    return render(request, template, context)


def _dashboard_scope(params: QueryDict, viewer: Viewer) -> tuple[ReportFilter, QuerySet]:
    """The dashboard's filter and the assessments of its cycle (none without a cycle)."""
    filterset = filtered(
        params,
        viewer,
        ["cycle", "department", "stage"],
        {"cycle": latest_cycle_id(params, viewer)},
    )
    cycle = filterset.form.cleaned_data.get("cycle")
    return filterset, filterset.qs if cycle else viewer.assessments().none()


@report_download("dashboard", filename="team")
def dashboard_download(params: QueryDict, viewer: Viewer) -> Download:
    filterset, assessments = _dashboard_scope(params, viewer)
    listed = dashboard_assessments(
        with_stage(assessments, filterset.form.cleaned_data.get("stage"))
    )
    return listed, lambda: dashboard_dataset(listed)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The team's assessments in one cycle: counts per stage, who still has to finish,
    and every assessment a page at a time (the download has them all)."""
    viewer = report_viewer(request)
    if fmt := export_format(request):
        return download_or_job(request, viewer, "dashboard", fmt)
    filterset, assessments = _dashboard_scope(request.GET, viewer)
    cycle = filterset.form.cleaned_data.get("cycle")
    listed = dashboard_assessments(
        with_stage(assessments, filterset.form.cleaned_data.get("stage"))
    )
    counts = stage_counts(assessments)
    page = paginate(request, listed, per_page=DASHBOARD_PAGE_SIZE)
    return render_report(
        request,
        "reports/dashboard.html",
        {
            "filter": filterset,
            "cycle": cycle,
            "counts": counts,
            "unfinished": UNFINISHED,
            "unfinished_count": counts["pending"] + counts["draft"],
            "page": page,
            "rows": page.object_list,
            "reminders": dashboard_assessments(with_stage(assessments, UNFINISHED))[
                :REMINDERS_SHOWN
            ],
        },
        viewer,
    )


def _render_rows(result: Heatmap) -> None:
    """Each heatmap row as HTML, built here rather than by a template loop, which is far
    too slow for a thousand people's thirty cells each. Names are escaped; everything
    else is a number, a fixed class name or a word escaped once."""
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
                    f'{own} {cell.own:d}">{signed_gap(cell.gap)}</td>'
                )
            html.append(cells[cell])
        html.append(
            f'<td class="summary-col" data-summary="short">{row.short_count:d}</td>'
            f'<td class="summary-col" data-summary="total">{row.total_shortfall:d}</td>'
            f'<td class="summary-col" data-summary="mean">{row.average_shortfall:.2f}</td>'
        )
        row.cells_html = mark_safe("".join(html))  # noqa: S308 - escaped above


def _heatmap_defaults(params: QueryDict, viewer: Viewer) -> dict[str, Any]:
    cycle_id = latest_cycle_id(params, viewer)
    standard_id = _id_param(params, "standard")
    if standard_id is None and cycle_id is not None:
        standard_id = (
            viewer.assessments()
            .filter(cycle=cycle_id)
            .order_by("standard__code")
            .values_list("standard", flat=True)
            .first()
        )
    return {"cycle": cycle_id, "standard": standard_id}


def _heatmap_scope(params: QueryDict, viewer: Viewer) -> tuple[ReportFilter, QuerySet]:
    """The heatmap's filter and its assessments (none until a cycle and a standard)."""
    filterset = filtered(
        params,
        viewer,
        ["cycle", "standard", "department", "only_shortfalls"],
        _heatmap_defaults(params, viewer),
    )
    data = filterset.form.cleaned_data
    ready = data.get("cycle") is not None and data.get("standard") is not None
    return filterset, filterset.qs if ready else viewer.assessments().none()


def _heatmap_orders(params: QueryDict) -> tuple[str, str]:
    """The heatmap's row and column orders asked for (the first of each by default)."""
    return (
        choice_param(params, "sort", tuple(ROW_ORDER)),
        choice_param(params, "task_sort", tuple(COLUMN_ORDER)),
    )


def _heatmap(params: QueryDict, filterset: ReportFilter, assessments: QuerySet) -> Heatmap:
    row_order, column_order = _heatmap_orders(params)
    return heatmap(
        assessments,
        row_order=row_order,
        column_order=column_order,
        only_shortfalls=bool(filterset.form.cleaned_data.get("only_shortfalls")),
    )


@report_download("heatmap", filename="heatmap")
def heatmap_download(params: QueryDict, viewer: Viewer) -> Download:
    filterset, assessments = _heatmap_scope(params, viewer)
    return assessments, lambda: heatmap_dataset(_heatmap(params, filterset, assessments))


@login_required
def team_heatmap(request: HttpRequest) -> HttpResponse:
    """Employees × tasks for one cycle and standard version, coloured by the gap."""
    viewer = report_viewer(request)
    if fmt := export_format(request):
        return download_or_job(request, viewer, "heatmap", fmt)
    filterset, assessments = _heatmap_scope(request.GET, viewer)
    result = _heatmap(request.GET, filterset, assessments)
    _render_rows(result)
    row_order, column_order = _heatmap_orders(request.GET)
    return render_report(
        request,
        "reports/heatmap.html",
        {
            "filter": filterset,
            "heatmap": result,
            "row_order": row_order,
            "column_order": column_order,
        },
        viewer,
        keep={"sort": row_order, "task_sort": column_order},
    )


def _trend_defaults(params: QueryDict, viewer: Viewer) -> dict[str, Any]:
    if _id_param(params, "standard") is not None:
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
    """The average shortfall per task and overall across cycles, for one person or the
    whole team."""
    viewer = report_viewer(request)
    filterset = filtered(
        request.GET,
        viewer,
        ["standard", "department", "employee"],
        _trend_defaults(request.GET, viewer),
    )
    ready = filterset.form.cleaned_data.get("standard") is not None
    result = trend(filterset.qs if ready else viewer.assessments().none())
    if fmt := export_format(request):
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
    return render_report(
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
