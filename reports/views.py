"""The managers' and HR's team reports: dashboard, heatmap and trends, and the helpers
every report view shares. Anyone who is neither manager nor HR, and anything out of
scope, is 404; so is a malformed id in the query string."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.scoring import LEVEL_HEADINGS, LevelSource, signed_gap
from common.ids import is_id
from common.pagination import paginate
from common.spreadsheets import DOWNLOAD_FORMATS as FORMATS
from common.spreadsheets import download
from plans.selectors import plan_completion, with_plan_progress

from .charts import stage_chart, trend_chart
from .downloads import download_job
from .exports import (
    about_scope,
    dashboard_dataset,
    heatmap_dataset,
    scope_file_name,
    trend_dataset,
)
from .filters import ReportFilter, level_source, report_filter
from .selectors import (
    UNFINISHED,
    Viewer,
    cycle_choices,
    dashboard_assessments,
    stage_counts,
    standard_choices,
    viewer_for,
    with_last_reminder,
    with_stage,
)
from .selectors_gaps import COLUMN_ORDER, ROW_ORDER, Cell, Heatmap, heatmap, trend

STANDARD_NOT_IN_CYCLE = gettext_lazy(
    "No one in scope was given that standard version in this cycle; showing the "
    "standard versions of the cycle instead."
)

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


def choice_param(request: HttpRequest, name: str, choices: tuple[str, ...]) -> str:
    """The query parameter `name` if it is one of `choices`, else the first choice."""
    value = request.GET.get(name)
    return value if value in choices else choices[0]


def _id_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name) or ""
    if not value:
        return None
    if not is_id(value):
        raise Http404(f"bad {name}")
    return int(value)


def filtered(
    request: HttpRequest, viewer: Viewer, fields: list[str], defaults: dict[str, Any]
) -> ReportFilter:
    """The report filter of `request` with only `fields`; 404 when it is invalid.

    A standard version in scope but not in the chosen cycle (the cycle was changed and
    the standard left as it was) is dropped, with a message, for the page's default."""
    filterset = report_filter(request.GET, viewer=viewer, fields=fields, defaults=defaults)
    if not filterset.is_valid() and _standard_left_from_another_cycle(filterset, viewer):
        messages.info(request, STANDARD_NOT_IN_CYCLE)
        data = request.GET.copy()
        del data["standard"]
        filterset = report_filter(data, viewer=viewer, fields=fields, defaults=defaults)
    if not filterset.is_valid():
        # A choice outside the viewer's scope: as if it did not exist.
        raise Http404("invalid filter")
    return filterset


def _standard_left_from_another_cycle(filterset: ReportFilter, viewer: Viewer) -> bool:
    if set(filterset.errors) != {"standard"}:
        return False
    value = str(filterset.data.get("standard", ""))
    return is_id(value) and standard_choices(viewer).filter(pk=int(value)).exists()


def latest_cycle_id(request: HttpRequest, viewer: Viewer) -> int | None:
    """The cycle asked for, else the newest one with someone in scope (one query)."""
    requested = _id_param(request, "cycle")
    if requested is not None:
        return requested
    return cycle_choices(viewer).values_list("pk", flat=True).first()


def levels_context(source: str) -> dict[str, Any]:
    """What a report page says about the levels it scored."""
    return {
        "source": source,
        "source_label": LevelSource(source).label,
        "level_heading": LEVEL_HEADINGS[source],
        "average_level_heading": _("Average %(level)s")
        % {"level": str(LEVEL_HEADINGS[source]).lower()},
    }


def scope_label(viewer: Viewer) -> str:
    """Whose data a team report holds before any filter narrows it."""
    return _("Whole organisation") if viewer.hr else _("My team")


def report_download(
    data: Any,
    *,
    fmt: str,
    kind: str,
    viewer: Viewer,
    filters: dict[str, Any],
    extra: list[tuple[str, Any]] | None = None,
) -> HttpResponse:
    """A team report's download, named after and headed by the scope and the filters
    (`cycle`, `standard` or its `family`, `department`, `employee`) it was made with,
    the levels scored, then `extra`."""
    narrowed = {
        key: filters.get(key)
        for key in ("cycle", "standard", "family", "department", "employee")
        if filters.get(key)
    }
    levels = [(_("Levels used"), LevelSource(filters.get("levels") or LevelSource.SELF).label)]
    return download(
        data,
        fmt=fmt,
        filename=scope_file_name(kind, **narrowed),
        about=about_scope(scope_label(viewer), extra=levels + (extra or []), **narrowed),
    )


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


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The team's assessments in one cycle: counts per stage, who still has to finish,
    and every assessment a page at a time (the download has them all)."""
    viewer = report_viewer(request)
    filterset = filtered(
        request,
        viewer,
        ["cycle", "department", "stage"],
        {"cycle": latest_cycle_id(request, viewer)},
    )
    cycle = filterset.form.cleaned_data.get("cycle")
    stage = filterset.form.cleaned_data.get("stage")
    assessments = filterset.qs if cycle else viewer.assessments().none()
    listed = with_plan_progress(dashboard_assessments(with_stage(assessments, stage)))
    if fmt := export_format(request):
        if job := download_job(request, "dashboard", listed, fmt):
            return job
        return report_download(
            dashboard_dataset(listed),
            fmt=fmt,
            kind="team",
            viewer=viewer,
            filters=filterset.form.cleaned_data,
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
            "stage_chart": stage_chart(counts),
            "unfinished": UNFINISHED,
            "unfinished_count": counts["pending"] + counts["draft"],
            "page": page,
            "rows": page.object_list,
            "reminders": with_last_reminder(
                dashboard_assessments(with_stage(assessments, UNFINISHED))
            )[:REMINDERS_SHOWN],
            "plans": plan_completion(assessments),
        },
        viewer,
    )


def heatmap_body(result: Heatmap) -> str:
    """The heatmap's rows as HTML, built here rather than by a template loop, which is
    far too slow for a thousand people's thirty cells each. Names and numbers are
    escaped; everything else is a number, a fixed class name or a word escaped once."""
    required, own = escape(_("required")), escape(_("own"))
    cells: dict[Cell | None, str] = {None: '<td class="heat unrated"></td>'}
    # reverse() a thousand times costs a quarter of a second; fill in one pattern instead.
    person_url = reverse("reports:person", args=[0]).replace("/0/", "/{}/")
    html = []
    for row in result.rows:
        number = escape(row.employee_number)
        html.append(
            f'<tr data-person="{number}"><th scope="row" class="person-col">'
            f'<a href="{person_url.format(row.assessment_id)}">{escape(row.name)}</a> '
            f'<span class="muted">{number}</span></th>'
        )
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
            "</tr>\n"
        )
    return mark_safe("".join(html))  # noqa: S308 - escaped above


def cycle_standard_defaults(request: HttpRequest, viewer: Viewer) -> dict[str, Any]:
    """The cycle asked for or the newest, and the first standard version of that cycle
    (used when none, or one of another cycle, was asked for: read only then)."""
    cycle_id = latest_cycle_id(request, viewer)

    def first_standard() -> int | None:
        if cycle_id is None:
            return None
        return (
            viewer.assessments()
            .filter(cycle=cycle_id)
            .order_by("standard__code")
            .values_list("standard", flat=True)
            .first()
        )

    return {"cycle": cycle_id, "standard": first_standard}


@login_required
def team_heatmap(request: HttpRequest) -> HttpResponse:
    """Employees × tasks for one cycle and standard version, coloured by the gap."""
    viewer = report_viewer(request)
    filterset = filtered(
        request,
        viewer,
        ["cycle", "standard", "department", "levels", "only_shortfalls"],
        cycle_standard_defaults(request, viewer),
    )
    source = level_source(filterset)
    data = filterset.form.cleaned_data
    ready = data.get("cycle") is not None and data.get("standard") is not None
    row_order = choice_param(request, "sort", tuple(ROW_ORDER))
    column_order = choice_param(request, "task_sort", tuple(COLUMN_ORDER))
    assessments = filterset.qs if ready else viewer.assessments().none()
    fmt = export_format(request)
    if fmt and (job := download_job(request, "heatmap", assessments, fmt)):
        return job
    result = heatmap(
        assessments,
        row_order=row_order,
        column_order=column_order,
        only_shortfalls=bool(data.get("only_shortfalls")),
        source=source,
    )
    if fmt:
        return report_download(
            heatmap_dataset(result, source=source),
            fmt=fmt,
            kind="heatmap",
            viewer=viewer,
            filters=data,
        )
    return render_report(
        request,
        "reports/heatmap.html",
        {
            "filter": filterset,
            "heatmap": result,
            "heatmap_body": heatmap_body(result),
            "row_order": row_order,
            "column_order": column_order,
            **levels_context(source),
        },
        viewer,
        keep={"sort": row_order, "task_sort": column_order},
    )


def _trend_defaults(request: HttpRequest, viewer: Viewer) -> dict[str, Any]:
    """The standard of the newest assessment in scope, unless one was asked for."""
    if request.GET.get("family"):
        return {}
    latest = (
        viewer.assessments()
        .order_by("-cycle__opens_on", "standard__code")
        .values_list("standard__family_code", flat=True)
        .first()
    )
    return {"family": latest}


@login_required
def trends(request: HttpRequest) -> HttpResponse:
    """The average shortfall per task and overall across cycles and the versions of one
    standard, for one person or the whole team."""
    viewer = report_viewer(request)
    filterset = filtered(
        request,
        viewer,
        ["family", "department", "employee", "levels"],
        _trend_defaults(request, viewer),
    )
    source = level_source(filterset)
    ready = bool(filterset.form.cleaned_data.get("family"))
    result = trend(filterset.qs if ready else viewer.assessments().none(), source=source)
    if fmt := export_format(request):
        return report_download(
            trend_dataset(result, source=source),
            fmt=fmt,
            kind="trends",
            viewer=viewer,
            filters=filterset.form.cleaned_data,
        )
    chart = trend_chart(result.cycles)
    return render_report(
        request,
        "reports/trends.html",
        {
            "filter": filterset,
            "trend": result,
            "chart": chart,
            "employee": filterset.form.cleaned_data.get("employee"),
            **levels_context(source),
        },
        viewer,
    )
