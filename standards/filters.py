"""The catalogue's filters, shared by the browse page and the JSON API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .levels import LEVELS
from .models import Standard, StandardIndustry, StandardOccupation
from .search import is_shortened, search_terms

# The status filter's own choice for "latest and historical alike".
ALL_VERSIONS = "all"
STATUS_CHOICES = [
    (Standard.Status.LATEST, _("Latest versions")),
    (Standard.Status.HISTORICAL, _("Historical versions")),
    (ALL_VERSIONS, _("All versions")),
]
# Facets: the filters whose choices show how many standards each would give.
CLASSIFICATIONS = ["category", "occupation", "industry"]
FACETS = [*CLASSIFICATIONS, "base_level", "status"]
# The most keyword matches passed on as a list of keys (SQLite takes 32,766 parameters).
MATCHES_IN_LIST = 10_000


class StandardFilter(django_filters.FilterSet):
    """Filters for published standards. Without a status, only the latest versions show."""

    q = django_filters.CharFilter(method="filter_keyword", label=_("Keyword"))
    category = django_filters.CharFilter(method="filter_classification", label=_("Job category"))
    occupation = django_filters.CharFilter(method="filter_classification", label=_("Occupation"))
    industry = django_filters.CharFilter(method="filter_classification", label=_("Industry"))
    base_level = django_filters.ChoiceFilter(
        choices=[(level, str(level)) for level in LEVELS], label=_("Base level")
    )
    status = django_filters.ChoiceFilter(
        method="filter_status", choices=STATUS_CHOICES, label=_("Version status"), empty_label=None
    )
    sort = django_filters.OrderingFilter(
        fields=["code", "name", "base_level", "date"],
        field_labels={
            "code": _("Code"),
            "name": _("Name"),
            "base_level": _("Base level"),
            "date": _("Date"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Standard
        fields: list[str] = []

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        self._keyword_matches: list[int] | None = None
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = Standard.Status.LATEST
        super().__init__(data, *args, **kwargs)

    def filter_keyword(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Standards whose text holds every folded term.

        The keys of the matching standards are read once (`keyword_matches`) and shared
        by the page and its count (the catalogue's list filters them in memory,
        standards.listing), which would otherwise each scan the long search text of
        every standard again. Past MATCHES_IN_LIST keys the
        scan runs as a subquery instead, within every database's limit on parameters.
        """
        if not search_terms(value):
            return queryset
        matches = self.keyword_matches()
        if len(matches) > MATCHES_IN_LIST:
            return queryset.filter(pk__in=self.keyword_standards().values("pk"))
        return queryset.filter(pk__in=matches)

    def keyword_standards(self) -> QuerySet[Standard]:
        """Standards whose text holds every term: a case-sensitive `contains`, since the
        stored text and the terms are folded alike (standards.search.fold), which
        PostgreSQL answers from the trigram index on the column (migration 0007)."""
        standards = self.queryset
        for term in self.terms:
            standards = standards.filter(search_text__contains=term)
        return standards

    def keyword_matches(self) -> list[int]:
        """The keys of `keyword_standards`: one query, once per request."""
        if self._keyword_matches is None:
            self._keyword_matches = list(self.keyword_standards().values_list("pk", flat=True))
        return self._keyword_matches

    def filter_classification(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if name == "category":
            return queryset.filter(
                Q(category__code__iexact=value) | Q(category__name__icontains=value)
            )
        # Any of the occupations or industries a standard is filed under.
        links = {"occupation": StandardOccupation, "industry": StandardIndustry}[name]
        matching = links.objects.filter(
            Q(**{f"{name}__code__iexact": value}) | Q(**{f"{name}__name__icontains": value})
        )
        return queryset.filter(pk__in=matching.values("standard_id"))

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == ALL_VERSIONS:
            return queryset
        return queryset.filter(status=value)

    @property
    def terms(self) -> list[str]:
        """The folded keyword terms of a valid filter, for naming the tasks they matched."""
        if not self.is_bound or not self.is_valid():
            return []
        return search_terms(self.form.cleaned_data.get("q") or "")

    @property
    def query_shortened(self) -> bool:
        """Whether the keyword was longer than a search reads (see standards.search)."""
        if not self.is_bound or not self.is_valid():
            return False
        return is_shortened(self.form.cleaned_data.get("q") or "")
