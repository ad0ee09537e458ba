"""The self-assessment form, the evidence upload, and HR's forms for cycles and
assignments."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.html import (
    QuickCheckboxInput,
    QuickSelect,
    QuickTextarea,
    attributes,
    checkbox_tag,
    textarea_tag,
)
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


def level_choices_html(
    name: str, attrs: dict[str, Any], chosen: object, *, shared: str | None = None
) -> SafeString:
    """A task's level choices: one labelled radio button per level, each described by its
    level's definition in the page's level guide; the one chosen (0–6 or its text) is
    checked. The markup Django's RadioSelect makes of them, without its seven templates
    per task."""
    chosen = "" if chosen is None else str(chosen)
    html_id = attrs.get("id")
    if shared is None:  # the attributes of every radio button (`attrs` but the id)
        shared = attributes({key: value for key, value in attrs.items() if key != "id"})
    name = escape(name)
    prefix = escape(html_id) if html_id else None
    return SafeString(  # every value escaped
        "".join(
            f'<label class="level-choice"><input type="radio" name="{name}" value="{level}"'
            f"{shared}{_id(prefix, index)}{' checked' if str(level) == chosen else ''}"
            f' aria-describedby="{level_definition_id(level)}"><span>{label}</span></label>'
            for index, (level, label) in enumerate(_level_labels())
        )
    )


def _id(prefix: str | None, index: int) -> str:
    return f' id="{prefix}_{index}"' if prefix else ""


def _level_labels() -> list[tuple[int, str]]:
    """The levels and their names, escaped, in the active language (once per language)."""
    language = get_language()
    if language not in _LABELS:
        _LABELS[language] = [(level, escape(str(label))) for level, label in LEVEL_CHOICES]
    return _LABELS[language]


_LABELS: dict[str | None, list[tuple[int, str]]] = {}


class LevelRadios(forms.RadioSelect):
    """The level choices as a widget (`level_choices_html`)."""

    def render(
        self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None
    ) -> SafeString:
        return level_choices_html(name, self.build_attrs(self.attrs, attrs), value)


def chosen_level(value: Any) -> int | None:
    """The level a task's radio buttons show as chosen (saved, or sent back with an
    error), or None."""
    chosen = "" if value is None else str(value)
    return next((choice for choice in OWN_LEVELS if str(choice) == chosen), None)


def widget_attrs(field: forms.BoundField) -> dict[str, Any]:
    """The attributes Django's `BoundField.as_widget` gives its widget (the widget's own,
    required, disabled, aria-invalid, the id), for markup built without it."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return widget.build_attrs(widget.attrs, attrs)


def widget_html(widget: forms.Widget, name: str, attrs: dict[str, Any], value: Any) -> SafeString:
    """What the self-assessment form's `widget` renders for `value`, built in Python."""
    if isinstance(widget, LevelRadios):
        return level_choices_html(name, attrs, value)
    if isinstance(widget, forms.CheckboxInput):
        return checkbox_tag(name, attrs, widget.check_test(value))
    return textarea_tag(name, attrs, widget.format_value(value))


class FieldMarkup:
    """`widget_html` for the many fields that share one field object: what does not
    depend on the field's name (its widget's attributes) is built once."""

    def __init__(self, field: forms.Field, auto_id: str | bool) -> None:
        self.widget = widget = field.widget
        self.base = widget.build_attrs(widget.attrs, {"disabled": True} if field.disabled else {})
        self.auto_id = auto_id if auto_id and "id" not in widget.attrs else None
        self.shared = attributes(self.base)

    def __call__(self, name: str, value: Any) -> SafeString:
        html_id = self.auto_id % name if self.auto_id else None
        widget = self.widget
        if isinstance(widget, LevelRadios):
            attrs = {**self.base, "id": html_id} if html_id else self.base
            return level_choices_html(name, attrs, value, shared=self.shared)
        if isinstance(widget, forms.CheckboxInput) and "checked" not in self.base:
            id_attr = f' id="{escape(html_id)}"' if html_id else ""
            checked = " checked" if widget.check_test(value) else ""
            return SafeString(  # every value escaped
                f'<input type="checkbox" name="{escape(name)}"{self.shared}{id_attr}{checked}>'
            )
        attrs = {**self.base, "id": html_id} if html_id else self.base
        return widget_html(widget, name, attrs, value)


@dataclass
class TaskFields:
    """One task of the form: its rating, texts and the names of its fields."""

    rating: TaskRating
    chosen_definition: Promise | str
    level: str  # the field names
    comment: str
    indicators: list[tuple[TaskText, str]]  # (indicator, the name of its checkbox)
    outputs: tuple[TaskText, ...]
    missing: bool = False


@dataclass
class DutyFields:
    code: str
    title: str
    tasks: list[TaskFields]
    tasks_html: SafeString | str = ""  # its tasks' markup (assessments.task_blocks)


def _level_field() -> forms.Field:
    return forms.TypedChoiceField(
        label=_("Your level"),
        choices=LEVEL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=LevelRadios,
    )


def _comment_field() -> forms.Field:
    return forms.CharField(
        label=_("Comment or evidence (optional)"),
        required=False,
        max_length=4000,
        widget=QuickTextarea(attrs={"rows": 2}),
    )


def _done_field() -> forms.Field:
    return forms.BooleanField(label=_("I do this"), required=False, widget=QuickCheckboxInput)


class AssessmentForm(forms.Form):
    """One level (0–6, optional until submitting), one comment and one "I do this" box
    per behaviour indicator for every task, and the version the answers were made on.

    `texts` are the tasks' indicators and outputs (`task_texts` of the standard). The
    tasks' fields of a kind are one field object (a field keeps no answer: the saved
    ones are the form's `initial`), so a 30-task form builds three fields, not 200.
    """

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
        self.initial = dict(self.initial)  # the caller's dict stays as it was
        self.ratings = ratings
        self.texts = texts
        self._markup: dict[int, FieldMarkup] = {}
        level, comment, done = _level_field(), _comment_field(), _done_field()
        for rating in ratings:
            self.fields[self.level_name(rating)] = level
            self.initial[self.level_name(rating)] = rating.self_level
            self.fields[self.comment_name(rating)] = comment
            self.initial[self.comment_name(rating)] = rating.comment
            for indicator in self._indicators(rating):
                name = self._indicator_field(rating, indicator)
                self.fields[name] = done
                self.initial[name] = bool(rating.indicator_checks.get(indicator.code))
        if disabled:  # a read-only preview
            for form_field in self.fields.values():
                form_field.disabled = True

    @staticmethod
    def level_name(rating: TaskRating) -> str:
        return f"level_{rating.pk}"

    @staticmethod
    def comment_name(rating: TaskRating) -> str:
        return f"comment_{rating.pk}"

    def _texts(self, rating: TaskRating) -> TaskTexts:
        return self.texts.get(rating.task_id, NO_TEXTS)

    def _indicators(self, rating: TaskRating) -> tuple[TaskText, ...]:
        return self._texts(rating).indicators

    @staticmethod
    def _indicator_field(rating: TaskRating, indicator: TaskText) -> str:
        return f"done_{rating.pk}_{indicator.code}"

    def answer(self, name: str) -> Any:
        """The value field `name` shows: what was sent, or the saved answer."""
        if self.is_bound:
            return self[name].value()
        return self.initial.get(name)

    def field_html(self, name: str) -> SafeString:
        """Field `name`'s markup, the same as `str(form[name])`: for an unbound form (the
        page as it opens) built from the field and the saved answer, without the bound
        field's machinery, which costs more than the markup for 300 fields."""
        if self.is_bound:
            bound = self[name]
            return widget_html(bound.field.widget, name, widget_attrs(bound), bound.value())
        field = self.fields[name]
        markup = self._markup.get(id(field))
        if markup is None:  # once per field object: the tasks' fields of a kind share one
            markup = self._markup[id(field)] = FieldMarkup(field, self.auto_id)
        return markup(name, self.answer(name))

    def field_errors(self, name: str) -> str:
        """Field `name`'s error list as Django renders it, or nothing."""
        errors = self.errors.get(name) if self.is_bound else None
        return str(errors) if errors else ""

    def duties(self, missing: set[int] = frozenset()) -> list[DutyFields]:
        """The fields grouped by duty then task, in document order, for the template."""
        duties: list[DutyFields] = []
        for rating in self.ratings:
            if not duties or duties[-1].code != rating.duty_code:
                duties.append(DutyFields(rating.duty_code, rating.duty_title, []))
            level = self.level_name(rating)
            chosen = chosen_level(self.answer(level))
            duties[-1].tasks.append(
                TaskFields(
                    rating=rating,
                    chosen_definition="" if chosen is None else own_level_definition(chosen),
                    level=level,
                    comment=self.comment_name(rating),
                    indicators=[
                        (indicator, self._indicator_field(rating, indicator))
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
                self_level=self.cleaned_data[self.level_name(rating)],
                comment=self.cleaned_data[self.comment_name(rating)].strip(),
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


class LabelFieldsOnly(ModelChoiceIterator):
    """A model choice field's options read with only what their label shows: HR's list
    of 1,800 standards as whole rows was 3.6 MB of texts and timestamps to read and
    convert, twice a page. The chosen value is still read whole (`to_python`)."""

    def __init__(self, field: forms.ModelChoiceField) -> None:
        super().__init__(field)
        self.queryset = self.queryset.only(*field.label_fields)


class StandardChoiceField(forms.ModelChoiceField):
    """A standard chosen from a select whose options are read by their label alone."""

    iterator = LabelFieldsOnly
    label_fields = ("code", "name")  # Standard.__str__


def standard_field() -> forms.ModelChoiceField:
    """The standard to assign: starts empty, lists only the latest published versions."""
    return StandardChoiceField(
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
