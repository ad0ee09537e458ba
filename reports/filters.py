"""Filters of the report pages; every choice lists only what the viewer may see."""

from __future__ import annotations

import functools
from typing import Any

import django_filters
import django_filters.fields
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Cycle, Department, Employee
from assessments.scoring import LevelSource
from assessments.selectors import department_tree
from common.html import QuickSelect
from common.ids import is_id
from standards.models import Standard

from .selectors import (
    DASHBOARD_STAGES,
    Viewer,
    cycle_choices,
    department_choices,
    employee_choices,
    family_choices,
    standard_choices,
)


class ReadOnceChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices of an IdChoiceField, from the objects it read once."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.choice_objects().values():
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.field.choice_objects()) + (self.field.empty_label is not None)


class IdChoiceField(django_filters.fields.ModelChoiceField):
    """A model choice answered by id: anything but a plain id is an invalid choice
    instead of a lookup that fails in the database or finds another row.

    The choices are read once per form: the select's options, the required-attribute
    check on its first option and the chosen id's validation all use that one read,
    where each would otherwise query again.
    """

    iterator = ReadOnceChoiceIterator

    def choice_objects(self) -> dict[int, Any]:
        """The queryset's objects by id, read at the first use for this queryset."""
        read = getattr(self, "_read_choices", None)
        if read is None or read[0] is not self.queryset:
            read = (self.queryset, {obj.pk: obj for obj in self.queryset})
            self._read_choices = read
        return read[1]

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        chosen = self.choice_objects().get(int(value)) if is_id(str(value)) else None
        if chosen is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return chosen


class IdChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = IdChoiceField


class ReportFilter(django_filters.FilterSet):
    """Narrow the assessments in the viewer's scope by cycle, standard version (only those
    of the chosen cycle), standard (all its versions), department, person; `levels` says
    whose levels the report scores (read by the views, see `level_source`).

    A value outside the choices makes the form invalid, which the views answer with 404.
    """

    cycle = IdChoiceFilter(label=_("Cycle"), queryset=Cycle.objects.none(), empty_label=None)
    standard = IdChoiceFilter(
        label=_("Standard version"),
        queryset=Standard.objects.none(),
        empty_label=_("All standards"),
    )
    family = django_filters.ChoiceFilter(
        label=_("Standard"),
        field_name="standard__family_code",
        empty_label=None,
    )
    department = IdChoiceFilter(
        label=_("Department"),
        queryset=Department.objects.none(),
        method="filter_department",
        empty_label=_("All in scope"),
    )
    employee = IdChoiceFilter(
        label=_("Employee"),
        queryset=Employee.objects.none(),
        empty_label=_("Everyone in scope"),
        widget=QuickSelect,
    )
    stage = django_filters.ChoiceFilter(
        label=_("Stage"),
        choices=DASHBOARD_STAGES,
        method="filter_nothing",
        empty_label=_("Any stage"),
    )
    levels = django_filters.ChoiceFilter(
        label=_("Levels used"),
        choices=LevelSource.choices,
        method="filter_nothing",
        empty_label=None,
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
        cycle = self.data.get("cycle") if self.data else None
        self.filters["standard"].queryset = standard_choices(
            viewer, cycle=int(cycle) if cycle and is_id(str(cycle)) else None
        )
        # Read once, when the field first lists or checks its choices; never for the
        # pages without it.
        self.filters["family"].extra["choices"] = functools.cache(lambda: family_choices(viewer))
        self.filters["department"].queryset = department_choices(viewer)
        self.filters["employee"].queryset = employee_choices(viewer)

    def filter_department(
        self, queryset: QuerySet[Assessment], name: str, value: Department
    ) -> QuerySet[Assessment]:
        return queryset.filter(
            Q(employee__department=value) | Q(employee__department__in=department_tree(value))
        )

    def filter_nothing(
        self, queryset: QuerySet[Assessment], name: str, value: bool
    ) -> QuerySet[Assessment]:
        # Read by the view itself: the heatmap hides rows and columns, not assessments,
        # and the dashboard counts every stage whichever it lists.
        return queryset


def level_source(filterset: ReportFilter) -> str:
    """The level source a valid report filter chose; the own levels by default."""
    return filterset.form.cleaned_data.get("levels") or LevelSource.SELF


def report_filter(
    data: Any, *, viewer: Viewer, fields: list[str], defaults: dict[str, Any] | None = None
) -> ReportFilter:
    """A ReportFilter with only `fields`, `defaults` used where `data` has no value; a
    default may be a function, called only when its value is needed."""
    values = data.copy()
    for name, default in (defaults or {}).items():
        if values.get(name):
            continue
        value = default() if callable(default) else default
        if value is not None:
            values[name] = value
    filterset = ReportFilter(values, queryset=viewer.assessments(), viewer=viewer)
    for name in list(filterset.filters):
        if name not in fields:
            del filterset.filters[name]
    return filterset
