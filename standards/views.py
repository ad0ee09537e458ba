"""The public catalogue: browse and search, read one standard, compare two versions."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from common.pdf import pdf_renderer_available, pdf_response, renderer_missing_message

from .caching import cached, cached_fragment, catalogue_key, catalogue_version
from .case import document_identifier
from .codes import code_error
from .comparison import compare_documents
from .filters import StandardFilter
from .levels import LEVEL_DEFINITIONS
from .listing import catalogue_listing
from .models import Standard, Task
from .search import MAX_QUERY_LENGTH, MAX_TERMS
from .selectors import (
    catalogue_filter,
    family_versions,
    published_documents,
    published_standards,
    tasks_matching,
)
from .services import standard_export

PAGE_SIZE = 25
# What the catalogue's list reads from the query string: its filters and the page.
LIST_PARAMETERS = frozenset([*StandardFilter.base_filters, "page"])


def standard_list(request: HttpRequest) -> HttpResponse:
    """The catalogue: its content is rendered once per catalogue version, language and
    query string (standards.caching), the page around it for each visitor."""

    def content() -> str:
        filters = catalogue_filter(request.GET)
        listing = catalogue_listing(request, filters, per_page=PAGE_SIZE)
        attach_matching_tasks(listing.page, filters.terms)
        context = {
            "filters": filters,
            "facets": listing.facets,
            "page": listing.page,
            "terms": filters.terms,
            "query_shortened": filters.query_shortened,
            "max_terms": MAX_TERMS,
            "max_query_length": MAX_QUERY_LENGTH,
        }
        return render_to_string("standards/_list_content.html", context, request=request)

    rendered = cached_fragment(request, "list", content, params=LIST_PARAMETERS)
    context = {"content": mark_safe(rendered)}  # noqa: S308
    return render(request, "standards/list.html", context)


def attach_matching_tasks(page: Page, terms: list[str]) -> None:
    """Give each standard on the page `matching_tasks`: the tasks a keyword search hit."""
    matches: dict[int, list[Task]] = defaultdict(list)
    if terms and page.object_list:
        ids = [standard.pk for standard in page.object_list]
        for task in tasks_matching(standard_ids=ids, terms=terms):
            matches[task.duty.standard_id].append(task)
    for standard in page.object_list:
        standard.matching_tasks = matches[standard.pk]


@dataclass
class VersionRow:
    """A row of the version history: from the document's table or from the library."""

    version: str
    code: str
    name: str
    status: str
    note: str
    date: datetime.date | None
    in_portal: bool
    is_current: bool


def possible_code(code: str) -> str:
    """`code` from a URL, or 404 when no standard can have it (a NUL, a quote, a line
    break…): PostgreSQL refuses a NUL character in any query, so it is never asked."""
    if code_error(code):
        raise Http404
    return code


def standard_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A published standard: its document is rendered once per catalogue version and
    language (standards.caching), the page around it for each visitor."""
    code = possible_code(code)
    title, content = cached_fragment(request, "detail", lambda: _detail_content(request, code))
    context = {"title": title, "content": mark_safe(content)}  # noqa: S308
    return render(request, "standards/detail.html", context)


def _detail_content(request: HttpRequest, code: str) -> tuple[str, str]:
    """The page title and the rendered document of the published standard `code` (404
    when there is none)."""
    standard = get_object_or_404(published_documents(), code=code)
    family = list(family_versions(standard))
    context = {
        **document_context(standard),
        "latest": next((v for v in family if v.status == Standard.Status.LATEST), None),
        "versions": _version_rows(standard, family),
        "levels": LEVEL_DEFINITIONS,
        "case_identifier": document_identifier(standard),
        "pdf_available": pdf_renderer_available(),
        "pdf_missing": renderer_missing_message(),
    }
    content = render_to_string("standards/_detail_content.html", context, request=request)
    return f"{standard.code} {standard.name}", content


# A file is about 350 KB: kept an hour, for the downloads that follow each other (a
# meeting's print-outs), so that a crawler fetching every standard's PDF cannot fill a
# shared Redis with a day of them.
PDF_CACHE_SECONDS = 60 * 60


def standard_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The published version as a PDF in the official document's layout, kept in the
    cache for an hour per language, day and catalogue version (a published version never
    changes; the file names the day it was printed): a cached file costs one query."""
    code = possible_code(code)

    def context() -> dict[str, Any]:
        standard = get_object_or_404(published_documents(), code=code)
        return {
            "standard": standard,
            "versions": standard.version_records.all(),
            "levels": LEVEL_DEFINITIONS,
        }

    def cached_pdf(day: str, render: Callable[[], bytes]) -> bytes:
        parts = ("pdf", get_language() or "", code, day)
        key = catalogue_key(catalogue_version(request), *parts)
        return cached(key, render, seconds=PDF_CACHE_SECONDS)

    return pdf_response(request, "standards/pdf.html", context, filename=code, cached=cached_pdf)


def document_context(standard: Standard) -> dict[str, Any]:
    """What the document's partials need (standards/_basic_information.html and
    standards/_document.html), for a standard from `standards_with_contents()`: the
    standard page and the upload preview show it alike."""
    tasks = [task for duty in standard.duties.all() for task in duty.tasks.all()]
    # Cross-reference: each knowledge and skill item learns the tasks that list it.
    for items, links in [
        (standard.knowledge_items.all(), "knowledge_links"),
        (standard.skill_items.all(), "skill_links"),
    ]:
        needed_by = _tasks_by_item(tasks, links)
        for item in items:
            item.needed_by = needed_by.get(item.pk, [])
    return {
        "standard": standard,
        "used_levels": sorted({task.level for task in tasks} | {standard.base_level}),
    }


def _tasks_by_item(tasks: list[Task], links: str) -> dict[int, list[Task]]:
    """Item id → the tasks that list it, in document order (from the prefetched links)."""
    needed_by: dict[int, list[Task]] = defaultdict(list)
    for task in tasks:
        for link in getattr(task, links).all():
            needed_by[link.item_id].append(task)
    return dict(needed_by)


def _version_rows(standard: Standard, family: list[Standard]) -> list[VersionRow]:
    in_portal = {version.code: version for version in family}
    rows = [
        VersionRow(
            version=record.version,
            code=record.code,
            name=record.name,
            status=record.status,
            note=record.note,
            date=record.date,
            in_portal=record.code in in_portal,
            is_current=record.code == standard.code,
        )
        for record in standard.version_records.all()
    ]
    listed = {row.code for row in rows}
    # Versions the document's own table cannot know about (a newer one), or all of them
    # when the document has no version table.
    for version in family:
        if version.code not in listed:
            rows.append(
                VersionRow(
                    version=f"V{version.version_number}",
                    code=version.code,
                    name=version.name,
                    status=version.get_status_display(),
                    note="",
                    date=version.date,
                    in_portal=True,
                    is_current=version.code == standard.code,
                )
            )
    return sorted(rows, key=lambda row: (_version_number(row), row.code), reverse=True)


def _version_number(row: VersionRow) -> int:
    digits = "".join(ch for ch in row.version if ch.isdigit())
    return int(digits) if digits else 0


def standard_compare(request: HttpRequest, code: str, other: str) -> HttpResponse:
    first = get_object_or_404(published_standards(), code=possible_code(code))
    second = get_object_or_404(published_standards(), code=possible_code(other))
    # Changes read from the older version to the newer, whichever way round the URL has them.
    old, new = sorted([first, second], key=lambda s: (s.version_number, s.code))
    comparison = compare_documents(standard_export(standard=old), standard_export(standard=new))
    context = {"standard": first, "old": old, "new": new, "comparison": comparison}
    return render(request, "standards/compare.html", context)
