"""The manager review form: a level (0–6 or none) and a note per task, and a comment."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import ManagerReview, TaskRating
from standards.levels import OWN_LEVELS

from .services import ReviewInput

LEVEL_CHOICES = [("", _("not rated"))] + [(str(level), str(level)) for level in OWN_LEVELS]


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )

    def __init__(
        self,
        *args: Any,
        ratings: Sequence[TaskRating],
        review: ManagerReview | None = None,
        **kwargs: Any,
    ) -> None:
        if review is not None:
            kwargs.setdefault("initial", {"comment": review.comment})
        super().__init__(*args, **kwargs)
        self.ratings = ratings
        for rating in ratings:
            manager = getattr(rating, "manager_rating", None)
            self.fields[f"level_{rating.pk}"] = forms.TypedChoiceField(
                label=_("Manager's level for %(code)s") % {"code": rating.task_code},
                choices=LEVEL_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                initial="" if manager is None or manager.level is None else str(manager.level),
            )
            self.fields[f"note_{rating.pk}"] = forms.CharField(
                label=_("Note on %(code)s") % {"code": rating.task_code},
                required=False,
                max_length=2000,
                initial=manager.comment if manager else "",
                widget=forms.TextInput(),
            )

    def rows(self) -> list[tuple[TaskRating, forms.BoundField, forms.BoundField]]:
        return [(r, self[f"level_{r.pk}"], self[f"note_{r.pk}"]) for r in self.ratings]

    def review_inputs(self) -> dict[int, ReviewInput]:
        return {
            rating.pk: ReviewInput(
                level=self.cleaned_data[f"level_{rating.pk}"],
                comment=self.cleaned_data[f"note_{rating.pk}"],
            )
            for rating in self.ratings
        }
