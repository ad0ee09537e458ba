"""Forms of the plan page; every choice lists only what belongs to the assessment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Employee, TaskRating
from standards.models import KnowledgeItem, SkillItem

from .models import Course, PlanItem

MAX_TEXT = 2000


def description_field() -> forms.CharField:
    return forms.CharField(
        label=_("What will be done"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def due_on_field() -> forms.DateField:
    return forms.DateField(
        label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class RatingChoice(forms.ModelChoiceField):
    def label_from_instance(self, rating: TaskRating) -> str:
        return f"{rating.task_code} {rating.task_title}"


class ItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, item: Any) -> str:
        return f"{item.code} {item.name}"


class PlanItemForm(forms.Form):
    """A new plan item: the task and/or K/S item it targets, the action, due date, owner.

    The service checks the item as a whole (`PlanItem.clean`); the choices here list only
    the assessment's own tasks and its standard's items."""

    rating = RatingChoice(queryset=TaskRating.objects.none(), required=False, label=_("Task"))
    knowledge_item = ItemChoice(
        queryset=KnowledgeItem.objects.none(), required=False, label=_("Knowledge")
    )
    skill_item = ItemChoice(queryset=SkillItem.objects.none(), required=False, label=_("Skill"))
    action = forms.ChoiceField(label=_("Action"), choices=PlanItem.Action.choices)
    course = forms.ModelChoiceField(
        queryset=Course.objects.none(), required=False, label=_("Course")
    )
    description = description_field()
    due_on = due_on_field()

    def __init__(
        self,
        *args: Any,
        assessment: Assessment,
        owners: list[Employee],
        courses: QuerySet[Course],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["rating"].queryset = assessment.ratings.order_by("order")
        self.fields["knowledge_item"].queryset = KnowledgeItem.objects.filter(
            standard=assessment.standard_id
        ).order_by("order")
        self.fields["skill_item"].queryset = SkillItem.objects.filter(
            standard=assessment.standard_id
        ).order_by("order")
        self.fields["course"].queryset = courses
        self.fields["owner"] = forms.TypedChoiceField(
            label=_("Owner"),
            choices=[(owner.pk, owner.name) for owner in owners],
            coerce=int,
        )
        self.owners = {owner.pk: owner for owner in owners}

    def owner(self) -> Employee:
        return self.owners[self.cleaned_data["owner"]]


class ItemProgressForm(forms.Form):
    """The status and due date of one of the plan's items."""

    item = forms.TypedChoiceField(coerce=int)
    status = forms.ChoiceField(label=_("Status"), choices=PlanItem.Status.choices)
    due_on = due_on_field()

    def __init__(self, *args: Any, items: list[PlanItem], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.items = {item.pk: item for item in items}
        self.fields["item"].choices = [(pk, pk) for pk in self.items]

    def plan_item(self) -> PlanItem:
        return self.items[self.cleaned_data["item"]]


class PlanCommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class NeedPlanForm(forms.Form):
    """A plan item for every person behind one training need."""

    action = forms.ChoiceField(label=_("Action"), choices=PlanItem.Action.choices)
    course = forms.ModelChoiceField(
        queryset=Course.objects.none(), required=False, label=_("Course")
    )
    description = description_field()
    due_on = due_on_field()

    def __init__(self, *args: Any, courses: QuerySet[Course], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
