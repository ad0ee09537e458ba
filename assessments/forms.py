"""The self-assessment form, the evidence upload, and HR's forms for cycles and
assignments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from common.html import QuickCheckboxInput, QuickSelect, QuickTextarea, input_tag
from common.ids import is_id
from standards.levels import OWN_LEVELS, own_level_definition, own_level_name
from standards.selectors import latest_published_standards

from .evidence import UNKNOWN_OUTPUT
from .filters import MAX_SEARCH
from .models import Cycle, Department, Employee, TaskRating
from .selectors import NO_TEXTS, TaskText, TaskTexts
from .services import RatingInput

LEVEL_CHOICES = [(level, own_level_name(level)) for level in OWN_LEVELS]


def level_definition_id(level: object) -> str:
    """The id of a level's definition in the form's one level guide, which each level's
    radio button names as its description."""
    return f"level-definition-{level}"


class LevelRadios(forms.RadioSelect):
    """A task's level choices: one labelled radio button per level, each described by its
    level's definition in the page's level guide. The markup is built here from Django's
    own option data (name, value, id, checked, disabled…), without the seven templates
    per task that rendering each option would take."""

    def render(
        self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None
    ) -> SafeString:
        groups = self.get_context(name, value, attrs)["widget"]["optgroups"]
        return mark_safe(  # noqa: S308 - input_tag and conditional_escape escape everything
            "".join(
                '<label class="level-choice">'
                + input_tag(
                    {
                        **option,
                        "attrs": {
                            **option["attrs"],
                            "aria-describedby": level_definition_id(option["value"]),
                        },
                    }
                )
                + f"<span>{conditional_escape(option['label'])}</span></label>"
                for _group, options, _index in groups
                for option in options
            )
        )


def chosen_level(level: forms.BoundField) -> int | None:
    """The level a task's radio buttons show as chosen (saved, or sent back with an
    error), or None."""
    value = level.value()
    chosen = "" if value is None else str(value)
    return next((choice for choice in OWN_LEVELS if str(choice) == chosen), None)


@dataclass
class TaskFields:
    rating: TaskRating
    level: forms.BoundField
    chosen_definition: Promise | str
    comment: forms.BoundField
    indicators: list[tuple[TaskText, forms.BoundField]]  # (indicator, its checkbox)
    outputs: tuple[TaskText, ...]
    missing: bool = False


@dataclass
class DutyFields:
    code: str
    title: str
    tasks: list[TaskFields]


class AssessmentForm(forms.Form):
    """One level (0–6, optional until submitting), one comment and one "I do this" box
    per behaviour indicator for every task, and the version the answers were made on.

    `texts` are the tasks' indicators and outputs (`task_texts` of the standard)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self,
        *args: Any,
        ratings: list[TaskRating],
        texts: dict[int, TaskTexts],
        disabled: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.ratings = ratings
        self.texts = texts
        for rating in ratings:
            self.fields[f"level_{rating.pk}"] = forms.TypedChoiceField(
                label=_("Your level"),
                choices=LEVEL_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=LevelRadios,
                initial=rating.self_level,
            )
            self.fields[f"comment_{rating.pk}"] = forms.CharField(
                label=_("Comment or evidence (optional)"),
                required=False,
                max_length=4000,
                widget=QuickTextarea(attrs={"rows": 2}),
                initial=rating.comment,
            )
            for indicator in self._indicators(rating):
                self.fields[self._indicator_field(rating, indicator)] = forms.BooleanField(
                    label=_("I do this"),
                    required=False,
                    widget=QuickCheckboxInput,
                    initial=bool(rating.indicator_checks.get(indicator.code)),
                )
        if disabled:  # a read-only preview
            for form_field in self.fields.values():
                form_field.disabled = True

    def _texts(self, rating: TaskRating) -> TaskTexts:
        return self.texts.get(rating.task_id, NO_TEXTS)

    def _indicators(self, rating: TaskRating) -> tuple[TaskText, ...]:
        return self._texts(rating).indicators

    @staticmethod
    def _indicator_field(rating: TaskRating, indicator: TaskText) -> str:
        return f"done_{rating.pk}_{indicator.code}"

    def duties(self, missing: set[int] = frozenset()) -> list[DutyFields]:
        """The fields grouped by duty then task, in document order, for the template."""
        duties: list[DutyFields] = []
        for rating in self.ratings:
            if not duties or duties[-1].code != rating.duty_code:
                duties.append(DutyFields(rating.duty_code, rating.duty_title, []))
            level = self[f"level_{rating.pk}"]
            chosen = chosen_level(level)
            duties[-1].tasks.append(
                TaskFields(
                    rating=rating,
                    level=level,
                    chosen_definition="" if chosen is None else own_level_definition(chosen),
                    comment=self[f"comment_{rating.pk}"],
                    indicators=[
                        (indicator, self[self._indicator_field(rating, indicator)])
                        for indicator in self._indicators(rating)
                    ],
                    outputs=self._texts(rating).outputs,
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
