"""HR's search for people to assign: by name, employee number, department and job title."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Employee

# A search longer than this is cut: no name, number or title is anywhere near it.
MAX_SEARCH = 100


class PeopleFilter(django_filters.FilterSet):
    """Every word of `q` must appear in the person's name, employee number, job title,
    or department name or code."""

    q = django_filters.CharFilter(
        method="filter_words",
        label=_("Search people"),
        max_length=MAX_SEARCH,
        help_text=_("Name, employee number, department or job title"),
    )

    class Meta:
        model = Employee
        fields: list[str] = []

    def filter_words(self, queryset: QuerySet[Employee], name: str, value: str) -> QuerySet:
        for word in value.split():
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(employee_number__icontains=word)
                | Q(job_title__icontains=word)
                | Q(department__name__icontains=word)
                | Q(department__code__iexact=word)
            )
        return queryset
