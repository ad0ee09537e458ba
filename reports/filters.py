"""Filters of the report pages; every choice lists only what the viewer may see."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.html import select_options
from standards.models import Standard

from .models import Assessment, Cycle, Department, Employee
from .reports import (
    DASHBOARD_STATUSES,
    Viewer,
    cycle_choices,
    department_choices,
    employee_choices,
    standard_choices,
)
from .selectors import department_tree_ids


class QuickSelect(forms.Select):
    """A select rendered in Python: Django's per-option templates take half a second
    for HR's list of a thousand employees."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> str:
        attrs = self.build_attrs(self.attrs, attrs)
        selected = "" if value is None else str(value)
        options = select_options(
            (option_value, label, str(option_value) == selected)
            for option_value, label in self.choices
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), options)


class ReportFilter(django_filters.FilterSet):
    """Narrow the assessments in the viewer's scope by cycle, standard, department, person.

    A value outside the choices makes the form invalid, which the views answer with 404.
    """

    cycle = django_filters.ModelChoiceFilter(
        label=_("Cycle"), queryset=Cycle.objects.none(), empty_label=None
    )
    standard = django_filters.ModelChoiceFilter(
        label=_("Standard version"),
        queryset=Standard.objects.none(),
        empty_label=_("All standards"),
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Department.objects.none(),
        method="filter_department",
        empty_label=_("All in scope"),
    )
    employee = django_filters.ModelChoiceFilter(
        label=_("Employee"),
        queryset=Employee.objects.none(),
        empty_label=_("Everyone in scope"),
        widget=QuickSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=DASHBOARD_STATUSES,
        method="filter_nothing",
        empty_label=_("Any status"),
    )
    only_shortfalls = django_filters.BooleanFilter(
        label=_("Only shortfalls"),
        method="filter_nothing",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Assessment
        fields: list[str] = []

    def __init__(self, *args: Any, viewer: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.filters["cycle"].queryset = cycle_choices(viewer)
        self.filters["standard"].queryset = standard_choices(viewer)
        self.filters["department"].queryset = department_choices(viewer)
        self.filters["employee"].queryset = employee_choices(viewer)

    def filter_department(
        self, queryset: QuerySet[Assessment], name: str, value: Department
    ) -> QuerySet[Assessment]:
        return queryset.filter(employee__department__in=department_tree_ids(value))

    def filter_nothing(
        self, queryset: QuerySet[Assessment], name: str, value: bool
    ) -> QuerySet[Assessment]:
        # Read by the view itself: the heatmap hides rows and columns, not assessments,
        # and the dashboard counts every status whichever it lists.
        return queryset


def report_filter(
    data: Any, *, viewer: Viewer, fields: list[str], defaults: dict[str, Any] | None = None
) -> ReportFilter:
    """A ReportFilter with only `fields`, `defaults` used where `data` has no value."""
    values = data.copy()
    for name, value in (defaults or {}).items():
        if not values.get(name) and value is not None:
            values[name] = value
    filterset = ReportFilter(values, queryset=viewer.assessments(), viewer=viewer)
    for name in list(filterset.filters):
        if name not in fields:
            del filterset.filters[name]
    return filterset
