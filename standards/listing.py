"""The public catalogue's list: filters, facet counts, order and page, from one index.

Every published version's listing fields (code, name, base level, date, status, and
its job category and every occupation and industry it is filed under, each with the
newest name of its code) fit in a small index, read once per catalogue version and kept in the
cache (standards.caching). A page of the catalogue then filters, counts and orders that
index in memory, where one aggregate query per facet, the paginator's count and the
keyword's keys sent back in every query used to be: the database is only asked for the
keys a keyword matches (once) and the page's own 25 standards.

Orders follow the code points of the texts, as SQLite and PostgreSQL with the C
collation (the portal's databases) order them.
"""

from __future__ import annotations

import itertools
import operator
import weakref
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.cache import DEFAULT_CACHE_ALIAS, BaseCache, caches
from django.core.paginator import Page
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from common.pagination import paginate

from .caching import cached, catalogue_key, catalogue_version
from .filters import ALL_VERSIONS, CLASSIFICATIONS, FACETS, STATUS_CHOICES, StandardFilter
from .levels import LEVELS
from .models import Standard
from .search import matching_keys
from .selectors import FacetChoice, published_standards

SORT_FIELDS = ("code", "name", "base_level", "date")


class Entry(NamedTuple):
    """One published version as the catalogue's list knows it."""

    pk: int
    code: str
    name: str
    base_level: int
    date: Any  # datetime.date | None
    status: str
    # ((code, name), …): one job category; every occupation and industry, in order.
    category: tuple[tuple[str, str], ...]
    occupation: tuple[tuple[str, str], ...]
    industry: tuple[tuple[str, str], ...]


# The index last read by this process, by cache: unpickling it from the cache for every
# page costs more than the page's own work (tens of thousands of strings).
_read_indexes: weakref.WeakKeyDictionary[BaseCache, tuple[str, list[Entry]]] = (
    weakref.WeakKeyDictionary()
)


def catalogue_index(version: int) -> list[Entry]:
    """Every published version's listing fields, in code order: one query per version,
    kept in the cache for every process and in memory for this one."""
    key = catalogue_key(version, "index")
    backend = caches[DEFAULT_CACHE_ALIAS]
    held = _read_indexes.get(backend)
    if held is not None and held[0] == key:
        return held[1]

    def read() -> list[Entry]:
        # One query: a standard under several occupations or industries comes back once
        # per (occupation, industry) pair, in document order; a standard stored before
        # the links existed (no link rows) has its own occupation and industry.
        rows = (
            Standard.objects.published()
            .order_by("code", "occupation_links__order", "industry_links__order")
            .values_list(
                "pk",
                "code",
                "name",
                "base_level",
                "date",
                "status",
                "category__code",
                "category__name",
                Coalesce("occupation_links__occupation__code", "occupation__code"),
                Coalesce("occupation_links__occupation__name", "occupation__name"),
                Coalesce("industry_links__industry__code", "industry__code"),
                Coalesce("industry_links__industry__name", "industry__name"),
            )
        )
        entries: list[Entry] = []
        for _pk, group in itertools.groupby(rows, key=operator.itemgetter(0)):
            pairs = list(group)
            first = pairs[0]
            entries.append(
                Entry(
                    *first[:6],
                    (first[6:8],),
                    tuple(dict.fromkeys(row[8:10] for row in pairs)),
                    tuple(dict.fromkeys(row[10:12] for row in pairs)),
                )
            )
        return entries

    entries = cached(key, read)
    _read_indexes[backend] = (key, entries)
    return entries


@dataclass
class Listing:
    """What the catalogue's list page shows: the facets and one page of standards."""

    facets: dict[str, list[FacetChoice]]
    page: Page


def catalogue_listing(request: HttpRequest, filters: StandardFilter, *, per_page: int) -> Listing:
    """The facets and the requested page of the standards `filters` select.

    Each facet is counted under all the other active filters, so choosing one of its
    choices gives exactly that count. The page holds Standard rows with their
    classification, in the order the filters ask for (code breaks ties).
    """
    filters.is_valid()
    selected = filters.form.cleaned_data
    version = catalogue_version(request)
    entries = catalogue_index(version)
    if filters.terms:
        matches = set(matching_keys(published_search_texts(version), filters.terms))
        entries = [entry for entry in entries if entry.pk in matches]

    tests = _facet_tests(selected)
    found: list[Entry] = []
    # Entries that fail one filter only: they count under that filter's facet.
    near: dict[str, list[Entry]] = {facet: [] for facet in FACETS}
    for entry in entries:
        failed = [facet for facet, test in tests if not test(entry)]
        if not failed:
            found.append(entry)
        elif len(failed) == 1:
            near[failed[0]].append(entry)
    counts = {facet: _count(found + near[facet], facet) for facet in FACETS}

    found = _ordered(found, selected.get("sort") or [])
    page = paginate(request, [entry.pk for entry in found], per_page=per_page)
    standards = published_standards().in_bulk(page.object_list)
    page.object_list = [standards[pk] for pk in page.object_list if pk in standards]
    return Listing(facets=_facets(selected, counts), page=page)


def _facet_tests(selected: dict[str, Any]) -> list[tuple[str, Callable[[Entry], bool]]]:
    """(facet, test) for each active filter, as StandardFilter applies it in the database."""
    tests: list[tuple[str, Callable[[Entry], bool]]] = []
    for facet in CLASSIFICATIONS:
        value = (selected.get(facet) or "").strip().casefold()
        if value:
            field = operator.attrgetter(facet)
            # Any of the entry's classifications of this kind, as filter_classification.
            tests.append(
                (
                    facet,
                    lambda entry, field=field, value=value: any(
                        code.casefold() == value or value in name.casefold()
                        for code, name in field(entry)
                    ),
                )
            )
    if selected.get("base_level"):
        level = int(selected["base_level"])
        tests.append(("base_level", lambda entry: entry.base_level == level))
    status = selected.get("status") or Standard.Status.LATEST
    if status != ALL_VERSIONS:
        tests.append(("status", lambda entry: entry.status == status))
    return tests


def _count(entries: list[Entry], facet: str) -> Counter:
    """How many of `entries` count under each value of `facet` (a standard counts under
    each of its classifications of that kind)."""
    values = map(operator.attrgetter(facet), entries)
    return Counter(itertools.chain.from_iterable(values) if facet in CLASSIFICATIONS else values)


# The folded texts last read by this process: (catalogue version, [(pk, text), …]).
_read_texts: list[tuple[int, list[tuple[int, str]]]] = []


def published_search_texts(version: int) -> list[tuple[int, str]]:
    """Every published version's folded search text, read by this process once per
    catalogue version and held in its memory: for the 3,000 standards of the whole iCAP
    catalogue about 17 MB (Python keeps Chinese text at two bytes a character), read in
    about 60 ms by the first search after a publication. Two common words are then
    checked against every text in about 4 ms, where the database scanned every text
    again for each new search (30–40 ms)."""
    if _read_texts and _read_texts[0][0] == version:
        return _read_texts[0][1]
    texts = list(Standard.objects.published().order_by("pk").values_list("pk", "search_text"))
    _read_texts[:] = [(version, texts)]
    return texts


def _ordered(entries: list[Entry], sort: list[str]) -> list[Entry]:
    """`entries` in the order of the sort fields ("-name" descending), then by code.

    A missing date sorts after every date going up and before them going down, as
    PostgreSQL orders NULL.
    """
    ordered = sorted(entries, key=operator.attrgetter("code"))
    for field in reversed([field for field in sort if field.lstrip("-") in SORT_FIELDS]):
        name = field.lstrip("-")
        if name == "date":

            def key(entry: Entry) -> tuple:
                return (entry.date is None, entry.date or 0)

        else:
            key = operator.attrgetter(name)
        ordered.sort(key=key, reverse=field.startswith("-"))
    return ordered


def _facets(selected: dict[str, Any], counts: dict[str, Counter]) -> dict[str, list[FacetChoice]]:
    facets: dict[str, list[FacetChoice]] = {}
    for facet in CLASSIFICATIONS:
        current = (selected.get(facet) or "").strip()
        choices = [
            FacetChoice(
                value=code,
                label=f"{code} {name}",
                count=count,
                selected=code.casefold() == current.casefold(),
            )
            for (code, name), count in sorted(counts[facet].items())
        ]
        if current and not any(choice.selected for choice in choices):
            choices.insert(0, FacetChoice(current, current, 0, True))
        facets[facet] = choices

    current_level = selected.get("base_level") or ""
    facets["base_level"] = [
        FacetChoice(
            str(level), str(level), counts["base_level"][level], str(level) == current_level
        )
        for level in LEVELS
    ]
    statuses = counts["status"]
    current_status = selected.get("status") or Standard.Status.LATEST
    facets["status"] = [
        FacetChoice(
            str(value),
            str(label),
            sum(statuses.values()) if value == ALL_VERSIONS else statuses[value],
            value == current_status,
        )
        for value, label in STATUS_CHOICES
    ]
    return facets
