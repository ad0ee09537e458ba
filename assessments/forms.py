"""The self-assessment form, the evidence upload, and HR's forms for cycles and
assignments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from common.html import QuickSelect, input_tag
from common.ids import is_id
from standards.levels import OWN_LEVELS, own_level_definition, own_level_name
from standards.models import BehaviourIndicator, WorkOutput
from standards.selectors import latest_published_standards

from .evidence import UNKNOWN_OUTPUT
from .filters import MAX_SEARCH
from .models import Cycle, Department, Employee, TaskRating
from .services import RatingInput


@dataclass
class Radio:
    """One level's radio button as the template reads it (`tag`, `choice_label`,
    `data.selected`), its markup built without a widget template (common.html)."""

    tag: SafeString
    choice_label: str
    data: dict[str, Any]


@dataclass
class TaskFields:
    rating: TaskRating
    level: forms.BoundField
    level_choices: list[tuple[Radio, int, Promise]]  # (radio, level, definition)
    comment: forms.BoundField
    indicators: list[tuple[BehaviourIndicator, SafeString]]  # (indicator, its checkbox)
    outputs: list[WorkOutput]
    missing: bool = False


def radios(level: forms.BoundField) -> list[Radio]:
    """The radio buttons of a level field: what `BoundWidget.tag()` renders, one template
    per button (seven per task), built from the same widget data in Python instead."""
    return [
        Radio(tag=input_tag(option.data), choice_label=option.choice_label, data=option.data)
        for option in level.subwidgets
    ]


def checkbox(field: forms.BoundField) -> SafeString:
    """The markup `{{ field }}` renders for a checkbox, without the widget's template."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return input_tag(widget.get_context(field.html_name, field.value(), attrs)["widget"])


@dataclass
class DutyFields:
    code: str
    title: str
    tasks: list[TaskFields]


class AssessmentForm(forms.Form):
    """One level (0–6, optional until submitting), one comment and one "I do this" box
    per behaviour indicator for every task, and the version the answers were made on."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self, *args: Any, ratings: list[TaskRating], disabled: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.ratings = ratings
        for rating in ratings:
            self.fields[f"level_{rating.pk}"] = forms.TypedChoiceField(
                label=_("Your level"),
                choices=[(level, own_level_name(level)) for level in OWN_LEVELS],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                initial=rating.self_level,
            )
            self.fields[f"comment_{rating.pk}"] = forms.CharField(
                label=_("Comment or evidence (optional)"),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=rating.comment,
            )
            for indicator in self._indicators(rating):
                self.fields[self._indicator_field(rating, indicator)] = forms.BooleanField(
                    label=_("I do this"),
                    required=False,
                    initial=bool(rating.indicator_checks.get(indicator.code)),
                )
        if disabled:  # a read-only preview
            for form_field in self.fields.values():
                form_field.disabled = True

    @staticmethod
    def _indicators(rating: TaskRating) -> list[BehaviourIndicator]:
        return list(rating.task.indicators.all()) if rating.task else []

    @staticmethod
    def _indicator_field(rating: TaskRating, indicator: BehaviourIndicator) -> str:
        return f"done_{rating.pk}_{indicator.code}"

    def duties(self, missing: set[int] = frozenset()) -> list[DutyFields]:
        """The fields grouped by duty then task, in document order, for the template."""
        duties: list[DutyFields] = []
        for rating in self.ratings:
            if not duties or duties[-1].code != rating.duty_code:
                duties.append(DutyFields(rating.duty_code, rating.duty_title, []))
            level = self[f"level_{rating.pk}"]
            duties[-1].tasks.append(
                TaskFields(
                    rating=rating,
                    level=level,
                    level_choices=[
                        (radio, value, own_level_definition(value))
                        for radio, value in zip(radios(level), OWN_LEVELS, strict=True)
                    ],
                    comment=self[f"comment_{rating.pk}"],
                    indicators=[
                        (indicator, checkbox(self[self._indicator_field(rating, indicator)]))
                        for indicator in self._indicators(rating)
                    ],
                    outputs=list(rating.task.outputs.all()) if rating.task else [],
                    missing=rating.pk in missing,
                )
            )
        return duties

    def rating_inputs(self) -> dict[int, RatingInput]:
        """The cleaned answers, by rating id, for `assessment_save`."""
        return {
            rating.pk: RatingInput(
                self_level=self.cleaned_data[f"level_{rating.pk}"],
                comment=self.cleaned_data[f"comment_{rating.pk}"].strip(),
                indicator_checks={
                    indicator.code: self.cleaned_data[self._indicator_field(rating, indicator)]
                    for indicator in self._indicators(rating)
                },
            )
            for rating in self.ratings
        }


class CycleForm(forms.ModelForm):
    class Meta:
        model = Cycle
        fields = ["name", "opens_on", "closes_on"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
        }


FORGED_PEOPLE = _(
    "Some of the chosen people are not in the organisation (any more); nothing was assigned. "
    "Search again and choose from the list."
)
NOT_A_STANDARD = _(
    "Choose a standard from the list: only the latest published versions can be assigned."
)
NOT_A_DEPARTMENT = _("Choose a department from the list.")
NOBODY_CHOSEN = _("Choose people from the search results, a department, or everyone found.")


class PeopleField(forms.ModelMultipleChoiceField):
    """Employees chosen by id. The template renders the checkboxes of one page of search
    results; anything but an existing employee's id makes the whole form invalid."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Employee.objects.all(),
            error_messages={
                "invalid_choice": FORGED_PEOPLE,
                "invalid_pk_value": FORGED_PEOPLE,
                "invalid_list": FORGED_PEOPLE,
            },
            **kwargs,
        )

    def clean(self, value: Any) -> Any:
        if value and not all(isinstance(v, str) and is_id(v) for v in value):
            raise forms.ValidationError(FORGED_PEOPLE, code="invalid_choice")
        return super().clean(value)


def standard_field() -> forms.ModelChoiceField:
    """The standard to assign: starts empty, lists only the latest published versions."""
    return forms.ModelChoiceField(
        label=_("Standard"),
        queryset=latest_published_standards(),
        empty_label=_("Choose a standard…"),
        widget=QuickSelect,
        error_messages={"invalid_choice": NOT_A_STANDARD, "required": NOT_A_STANDARD},
    )


class AssignForm(forms.Form):
    """Assign a standard to people chosen from a search, to a whole department (with
    its sub-departments), or to everyone the search found."""

    standard = standard_field()
    employees = PeopleField(label=_("People"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department (with its sub-departments)"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("No department"),
        error_messages={"invalid_choice": NOT_A_DEPARTMENT},
    )
    everyone_found = forms.BooleanField(label=_("Everyone the search found"), required=False)
    q = forms.CharField(required=False, max_length=MAX_SEARCH, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A fresh queryset each time: the list changes when a version is published.
        self.fields["standard"].queryset = latest_published_standards()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        chosen = cleaned.get("employees") or cleaned.get("department")
        if not chosen and not cleaned.get("everyone_found"):
            raise forms.ValidationError(NOBODY_CHOSEN, code="nobody")
        return cleaned


class JobTitleAssignmentForm(forms.Form):
    """ "Everyone with this job title takes this standard in this cycle"."""

    job_title = forms.CharField(
        label=_("Job title"),
        max_length=100,
        widget=forms.TextInput(attrs={"list": "job-title-list", "autocomplete": "off"}),
        help_text=_("People who get this job title later receive the standard too."),
    )
    standard = standard_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standard"].queryset = latest_published_standards()


class EvidenceForm(forms.Form):
    """One file for one task of the employee's assessment, optionally for one of the
    task's work outputs (the choices are grouped by task)."""

    rating = forms.TypedChoiceField(label=_("Task"), coerce=int)
    output = forms.ChoiceField(label=_("Work output (optional)"), required=False)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, ratings: list[TaskRating], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ratings = {rating.pk: rating for rating in ratings}
        self.fields["rating"].choices = [
            (rating.pk, f"{rating.task_code} {rating.task_title}") for rating in ratings
        ]
        self.fields["output"].choices = [("", _("The task as a whole"))] + [
            (
                rating.task_code,
                [
                    (output.code, f"{output.code} {output.text}")
                    for output in rating.task.outputs.all()
                ],
            )
            for rating in ratings
            if rating.task and rating.task.outputs.all()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        rating = self.ratings.get(data.get("rating"))
        output = data.get("output")
        if rating is not None and output:
            codes = {o.code for o in rating.task.outputs.all()} if rating.task else set()
            if output not in codes:
                self.add_error("output", UNKNOWN_OUTPUT)
        return data

    def chosen_rating(self) -> TaskRating:
        return self.ratings[self.cleaned_data["rating"]]
