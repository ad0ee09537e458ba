"""Calibration: do managers rate the way their people rate themselves, and the same way
as each other?

For one cycle and standard version, every task that has both an own level and a
manager's level is a *pair*. The *difference* of a pair is the manager's level minus
the own level: above 0 the manager rates higher (lenient, or a modest employee), below 0
lower (severe). Grouped by reviewer and by department, in the database:

- the distribution of own levels and of manager's levels (0–6) over the pairs;
- the mean difference and its spread (the population standard deviation);
- the share of pairs that differ by 2 or more levels either way (`wide`);
- per task, the mean absolute difference: the tasks whose wording people read most
  differently.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Avg,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    StdDev,
    Sum,
    When,
)
from django.db.models.functions import Abs
from django.db.models.lookups import GreaterThanOrEqual

from assessments.models import Assessment, ManagerRating
from standards.levels import OWN_LEVELS

# A difference this large (either way) counts as a wide disagreement.
WIDE_DIFFERENCE = 2
# The tasks listed as the ones where ratings disagree most.
DISAGREEING_TASKS = 10

BY_REVIEWER = "reviewer"
BY_DEPARTMENT = "department"
GROUPINGS = {
    BY_REVIEWER: ("review__reviewer", "review__reviewer__name"),
    BY_DEPARTMENT: (
        "rating__assessment__employee__department",
        "rating__assessment__employee__department__name",
    ),
}

DIFFERENCE = ExpressionWrapper(F("level") - F("rating__self_level"), output_field=IntegerField())
WIDE = GreaterThanOrEqual(Abs(DIFFERENCE), WIDE_DIFFERENCE)


@dataclass(frozen=True)
class CalibrationRow:
    """The pairs of one reviewer, one department, or everyone in scope."""

    key: int | None
    name: str
    people: int
    pairs: int
    own_counts: tuple[int, ...]
    manager_counts: tuple[int, ...]
    mean_difference: float | None
    spread: float | None
    wide: int

    @property
    def wide_share(self) -> float | None:
        return self.wide / self.pairs if self.pairs else None


@dataclass(frozen=True)
class TaskDisagreement:
    task_code: str
    task_title: str
    pairs: int
    mean_difference: float
    mean_absolute_difference: float
    wide: int


@dataclass(frozen=True)
class Calibration:
    overall: CalibrationRow
    by_reviewer: list[CalibrationRow]
    by_department: list[CalibrationRow]
    tasks: list[TaskDisagreement]


def calibration_pairs(assessments: QuerySet[Assessment]) -> QuerySet[ManagerRating]:
    """The manager's ratings of submitted assessments among `assessments` that have both
    levels set: one pair each."""
    return ManagerRating.objects.filter(
        level__isnull=False,
        rating__self_level__isnull=False,
        rating__assessment__in=assessments.filter(stage=Assessment.Stage.SUBMITTED).values("pk"),
    ).order_by()


def _figures() -> dict:
    counts = {
        f"own_{level}": Count("pk", filter=Q(rating__self_level=level)) for level in OWN_LEVELS
    } | {f"manager_{level}": Count("pk", filter=Q(level=level)) for level in OWN_LEVELS}
    return counts | {
        "people": Count("rating__assessment__employee", distinct=True),
        "pairs": Count("pk"),
        "mean_difference": Avg(DIFFERENCE),
        "spread": StdDev(DIFFERENCE),
        "wide": Sum(Case(When(WIDE, then=1), default=0, output_field=IntegerField())),
    }


def _row(values: dict, *, key: int | None, name: str) -> CalibrationRow:
    return CalibrationRow(
        key=key,
        name=name,
        people=values["people"],
        pairs=values["pairs"],
        own_counts=tuple(values[f"own_{level}"] for level in OWN_LEVELS),
        manager_counts=tuple(values[f"manager_{level}"] for level in OWN_LEVELS),
        mean_difference=values["mean_difference"],
        spread=values["spread"],
        wide=values["wide"] or 0,
    )


def calibration_groups(pairs: QuerySet[ManagerRating], *, by: str) -> list[CalibrationRow]:
    """The figures of each reviewer or department (`by`), most lenient first: one query."""
    key, name = GROUPINGS[by]
    rows = pairs.values(key, name).annotate(**_figures()).order_by("-mean_difference", name)
    return [_row(values, key=values[key], name=values[name] or "—") for values in rows]


def task_disagreements(
    pairs: QuerySet[ManagerRating], *, limit: int = DISAGREEING_TASKS
) -> list[TaskDisagreement]:
    """The tasks whose two levels differ most on average, either way: one query."""
    rows = (
        pairs.values("rating__task_code", "rating__task_title")
        .annotate(
            pairs=Count("pk"),
            mean_difference=Avg(DIFFERENCE),
            mean_absolute_difference=Avg(Abs(DIFFERENCE)),
            wide=Sum(Case(When(WIDE, then=1), default=0, output_field=IntegerField())),
        )
        .order_by("-mean_absolute_difference", "rating__task_code")[:limit]
    )
    return [
        TaskDisagreement(
            task_code=row["rating__task_code"],
            task_title=row["rating__task_title"],
            pairs=row["pairs"],
            mean_difference=row["mean_difference"],
            mean_absolute_difference=row["mean_absolute_difference"],
            wide=row["wide"] or 0,
        )
        for row in rows
    ]


def calibration(assessments: QuerySet[Assessment], *, overall_name: str) -> Calibration:
    """Everything the calibration page shows for `assessments`: four queries."""
    pairs = calibration_pairs(assessments)
    return Calibration(
        overall=_row(pairs.aggregate(**_figures()), key=None, name=overall_name),
        by_reviewer=calibration_groups(pairs, by=BY_REVIEWER),
        by_department=calibration_groups(pairs, by=BY_DEPARTMENT),
        tasks=task_disagreements(pairs),
    )
