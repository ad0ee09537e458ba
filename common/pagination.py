"""Long lists shown a page at a time, the page links keeping the rest of the query."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(
    request: HttpRequest,
    items: QuerySet[Any] | Sequence[Any],
    *,
    per_page: int,
    param: str = "page",
) -> Page:
    """The page `request` asks for in `param` (the first or last for anything invalid),
    with `previous_url` and `next_url` ("" where there is none) for `_pagination.html`.

    Several lists on one page each take their own `param`.
    """
    page = Paginator(items, per_page).get_page(request.GET.get(param))
    page.previous_url = _page_url(request, param, page.number - 1) if page.has_previous() else ""
    page.next_url = _page_url(request, param, page.number + 1) if page.has_next() else ""
    return page


def _page_url(request: HttpRequest, param: str, number: int) -> str:
    query = request.GET.copy()
    query.pop("format", None)
    if number == 1:
        query.pop(param, None)
    else:
        query[param] = str(number)
    return "?" + query.urlencode() if query else request.path
