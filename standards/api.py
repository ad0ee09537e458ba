"""The read-only JSON API: the catalogue for other HR systems.

`/api/standards/` lists published standards with the browse page's filters, paginated;
`/api/standards/<code>/` returns one standard in the JSON interchange form.
`/api/case/v1p1/…` serves the published versions as CASE 1.1 (standards/case.py).

A keyword (`q`) longer than a search reads (standards.search: MAX_TERMS words,
MAX_QUERY_LENGTH characters) is refused with 400 and `{"errors": {"q": [{"message": …,
"code": "too_long"}]}}`, the shape of every filter error: the browse page shortens it and
says so, but a program should learn that its search was not the one it sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from . import case
from .codes import code_error
from .models import Standard
from .search import QUERY_TOO_LONG
from .selectors import catalogue_filter, catalogue_standards, published_standards, tasks_matching
from .services import standard_export

PAGE_SIZE = 25
NOT_FOUND = "Not found."
INVALID_PAGE = "Invalid page."
JSON_OPTIONS = {"ensure_ascii": False}


@require_GET
def standard_list(request: HttpRequest) -> JsonResponse:
    filters = catalogue_filter(request.GET)
    if not filters.is_valid():
        return _json({"errors": filters.errors.get_json_data()}, status=400)
    if filters.query_shortened:
        return _json(
            {"errors": {"q": [{"message": QUERY_TOO_LONG, "code": "too_long"}]}}, status=400
        )
    paginator = Paginator(catalogue_standards(filters), PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        return _json({"detail": INVALID_PAGE}, status=404)
    matches: dict[int, list[dict[str, str]]] = {}
    terms = filters.terms
    if terms and page.object_list:
        ids = [standard.pk for standard in page.object_list]
        for task in tasks_matching(standard_ids=ids, terms=terms):
            matches.setdefault(task.duty.standard_id, []).append(
                {"code": task.code, "title": task.title}
            )
    return _json(
        {
            "count": paginator.count,
            "next": _page_url(request, page.next_page_number()) if page.has_next() else None,
            "previous": (
                _page_url(request, page.previous_page_number()) if page.has_previous() else None
            ),
            "results": [
                _summary(request, standard, matches.get(standard.pk) if terms else None)
                for standard in page.object_list
            ],
        }
    )


@require_GET
def standard_detail(request: HttpRequest, code: str) -> JsonResponse:
    # A code no standard can have is not looked up (PostgreSQL refuses a NUL in a query).
    standard = None if code_error(code) else published_standards().filter(code=code).first()
    if standard is None:
        return _json({"detail": NOT_FOUND}, status=404)
    return _json(standard_export(standard=standard))


def _summary(
    request: HttpRequest, standard: Standard, matching_tasks: list[dict[str, str]] | None
) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "code": standard.code,
        "name": standard.name,
        "status": standard.status,
        "date": standard.date.isoformat() if standard.date else None,
        "base_level": standard.base_level,
        "category": {"code": standard.category.code, "name": standard.category.name},
        "occupation": {"code": standard.occupation.code, "name": standard.occupation.name},
        "industry": {"code": standard.industry.code, "name": standard.industry.name},
        "url": request.build_absolute_uri(
            reverse("standards-api:detail", kwargs={"code": standard.code})
        ),
    }
    if matching_tasks is not None:
        summary["matching_tasks"] = matching_tasks
    return summary


def _page_url(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _json(data: dict[str, Any], status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params=JSON_OPTIONS)


# CASE 1.1 (standards/case.py): the REST binding's read calls, under /api/case/v1p1/.
CASE_PAGE_SIZE = 100
CASE_MAX_PAGE_SIZE = 1000


@require_GET
def case_documents(request: HttpRequest) -> JsonResponse:
    """CFDocuments: every published version, `limit` and `offset` as the binding has them."""
    try:
        limit = min(int(request.GET.get("limit", CASE_PAGE_SIZE)), CASE_MAX_PAGE_SIZE)
        offset = int(request.GET.get("offset", 0))
    except ValueError:
        return _case_error(
            "invalid_selection_field", "limit and offset must be whole numbers.", 400
        )
    if limit < 1 or offset < 0:
        return _case_error(
            "invalid_selection_field", "limit must be positive, offset not negative.", 400
        )
    standards = case.case_documents()
    total = standards.count()
    uri = _case_uri(request)
    response = _json(
        {
            "CFDocuments": [
                case.case_document(standard, uri=uri)
                for standard in standards[offset : offset + limit]
            ]
        }
    )
    response["X-Total-Count"] = str(total)
    return response


@require_GET
def case_document(request: HttpRequest, identifier: str) -> JsonResponse:
    """CFDocuments/<identifier>: one published version's CFDocument."""
    pk = case.standard_id_for_identifier(identifier)
    if pk is None:
        return _case_error("unknownobject", "Unknown Object", 404)
    standard = case.case_documents().get(pk=pk)
    return _json(case.case_document(standard, uri=_case_uri(request)))


@require_GET
def case_package(request: HttpRequest, identifier: str) -> JsonResponse:
    """CFPackages/<identifier>: one published version, whole."""
    pk = case.standard_id_for_identifier(identifier)
    if pk is None:
        return _case_error("unknownobject", "Unknown Object", 404)
    package_uri = request.build_absolute_uri(
        reverse("standards-api:case_package", kwargs={"identifier": identifier.lower()})
    )
    return _json(case.case_package(pk, uri=_case_uri(request, package_uri=package_uri)))


def _case_uri(request: HttpRequest, *, package_uri: str = "") -> Callable[[str, str], str]:
    """How a CASE object is addressed: documents and packages have their own URL; the
    objects inside a package (items, associations, rubrics) are fragments of it."""

    def uri(kind: str, identifier: str) -> str:
        if kind == "CFDocuments":
            return request.build_absolute_uri(
                reverse("standards-api:case_document", kwargs={"identifier": identifier})
            )
        if kind == "CFPackages" or not package_uri:
            return request.build_absolute_uri(
                reverse("standards-api:case_package", kwargs={"identifier": identifier})
            )
        return f"{package_uri}#{identifier}"

    return uri


def _case_error(code_minor: str, description: str, status: int) -> JsonResponse:
    """The binding's imsx_StatusInfo payload."""
    return _json(
        {
            "imsx_codeMajor": "failure",
            "imsx_severity": "error",
            "imsx_description": description,
            "imsx_codeMinor": {
                "imsx_codeMinorField": [
                    {"imsx_codeMinorFieldName": "sourcedId", "imsx_codeMinorFieldValue": code_minor}
                ]
            },
        },
        status=status,
    )
