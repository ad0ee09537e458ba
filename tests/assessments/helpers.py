"""Small builders shared by the assessment tests."""

import datetime

from django.utils import timezone

from assessments.models import Assessment, Cycle, Employee, TaskRating
from assessments.services import assessments_assign
from standards.models import Standard


def days_from_today(days: int) -> datetime.date:
    """The portal's today (Asia/Taipei, read when called) moved by `days`."""
    return timezone.localdate() + datetime.timedelta(days=days)


def open_cycle(name: str = "2026 自評", *, closes_in: int = 30) -> Cycle:
    """A cycle that opened a week ago and closes in `closes_in` days."""
    return Cycle.objects.create(
        name=name, opens_on=days_from_today(-7), closes_on=days_from_today(closes_in)
    )


def assign(standard: Standard, employee: Employee, cycle: Cycle | None = None) -> Assessment:
    cycle = cycle or Cycle.objects.first() or open_cycle()
    assessments_assign(cycle=cycle, standard=standard, employees=[employee])
    return Assessment.objects.get(cycle=cycle, standard=standard, employee=employee)


def ratings(assessment: Assessment) -> list[TaskRating]:
    return list(assessment.ratings.order_by("order"))


def form_data(
    assessment: Assessment,
    levels: dict[int, int | None] | None = None,
    *,
    action: str = "save",
    version: int | None = None,
    comments: dict[int, str] | None = None,
    done: dict[int, list[str]] | None = None,
) -> dict[str, str]:
    """POST data for the assessment form; `levels` etc. are keyed by rating position."""
    data = {"version": str(assessment.version if version is None else version), action: "1"}
    for index, rating in enumerate(ratings(assessment)):
        level = (levels or {}).get(index)
        if level is not None:
            data[f"level_{rating.pk}"] = str(level)
        data[f"comment_{rating.pk}"] = (comments or {}).get(index, "")
        for code in (done or {}).get(index, []):
            data[f"done_{rating.pk}_{code}"] = "on"
    return data


def all_levels(assessment: Assessment, level: int) -> dict[int, int]:
    return {index: level for index in range(assessment.ratings.count())}
