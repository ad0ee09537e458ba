"""Role fit: which other standards a person's assessed knowledge and skills already
cover, and who covers a standard best.

A person *covers* a knowledge or skill item when, in one of their submitted
self-assessments, their own level reaches the required level of a task that needs it.
Items are compared across standards by their match key after HR's merges
(`standards.matching`), so 溝通 in one standard is 溝通 in another. A standard's
*coverage* by a person is the share of its distinct knowledge and skill names they
cover. Every count is made in the database; only the two kinds' counts per standard
are added up here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from standards.matching import effective_key
from standards.models import KnowledgeItem, SkillItem, Standard

from .models import Assessment, Employee

KINDS = {"knowledge": KnowledgeItem, "skill": SkillItem}
# From a knowledge or skill item to the ratings of the tasks that need it.
RATINGS = "task_links__task__ratings"
# How many standards or people a list shows, best first.
FIT_LIMIT = 20
# How many missing names each listed standard names.
MISSING_SHOWN = 8


@dataclass
class StandardFit:
    standard: Standard
    total: int
    covered: int
    missing: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.covered / self.total if self.total else 0.0


@dataclass
class PersonFit:
    employee: Employee
    covered: int
    total: int

    @property
    def share(self) -> float:
        return self.covered / self.total if self.total else 0.0


def _met(path: str) -> Q:
    """The ratings at `path` of submitted assessments whose own level meets the task's."""
    return Q(
        **{
            f"{path}__assessment__stage": Assessment.Stage.SUBMITTED,
            f"{path}__self_level__gte": F(f"{path}__required_level"),
        }
    )


def covered_keys(employee: Employee) -> dict[str, set[str]]:
    """The knowledge and skill names `employee` covers, by kind: two queries."""
    covered = {}
    for kind, model in KINDS.items():
        covered[kind] = set(
            model.objects.filter(_met(RATINGS), **{f"{RATINGS}__assessment__employee": employee})
            .annotate(key=effective_key(kind))
            .order_by()
            .values_list("key", flat=True)
            .distinct()
        )
    return covered


def candidate_standards() -> QuerySet[Standard]:
    """The latest published version of every standard."""
    return Standard.objects.published().filter(status=Standard.Status.LATEST)


def standards_covered(
    employee: Employee, *, exclude_families: Iterable[str], limit: int = FIT_LIMIT
) -> list[StandardFit]:
    """The latest published standards whose knowledge and skill names `employee` covers
    best, with what is missing; the families in `exclude_families` (those they were
    assessed on) are left out. Nine queries."""
    covered = covered_keys(employee)
    standards = candidate_standards().exclude(family_code__in=list(exclude_families))
    hits: dict[int, int] = {}
    for kind, model in KINDS.items():
        if not covered[kind]:
            continue
        rows = (
            _names(model, kind, standard__in=standards)
            .filter(key__in=covered[kind])
            .values("standard")
            .annotate(covered=Count("key", distinct=True))
            .values_list("standard", "covered")
        )
        for standard_id, count in rows:
            hits[standard_id] = hits.get(standard_id, 0) + count
    totals = _name_counts(list(hits))
    best = sorted(hits, key=lambda pk: (-hits[pk] / totals[pk], -hits[pk]))[:limit]
    loaded = Standard.objects.in_bulk(best)
    fits = [StandardFit(standard=loaded[pk], total=totals[pk], covered=hits[pk]) for pk in best]
    _fill_missing(fits, covered)
    return sorted(fits, key=lambda fit: (-fit.share, -fit.covered, fit.standard.code))


def _names(model: type, kind: str, **filters: Any) -> QuerySet:
    """Knowledge or skill items with the key they count as (`key`)."""
    return model.objects.filter(**filters).annotate(key=effective_key(kind))


def _name_counts(standard_ids: list[int]) -> dict[int, int]:
    """How many distinct knowledge and skill names each standard has: two queries."""
    totals = dict.fromkeys(standard_ids, 0)
    for kind, model in KINDS.items():
        rows = (
            _names(model, kind, standard__in=standard_ids)
            .values("standard")
            .annotate(total=Count("key", distinct=True))
            .values_list("standard", "total")
        )
        for standard_id, total in rows:
            totals[standard_id] += total
    return totals


def _fill_missing(fits: list[StandardFit], covered: dict[str, set[str]]) -> None:
    """The names each listed standard needs that the person does not cover: one query
    per kind for all the listed standards."""
    by_standard = {fit.standard.pk: fit for fit in fits}
    for kind, model in KINDS.items():
        rows = (
            model.objects.filter(standard__in=list(by_standard))
            .annotate(key=effective_key(kind))
            .exclude(key__in=covered[kind])
            .order_by("standard", "order")
            .values_list("standard", "name")
        )
        for standard_id, name in rows:
            missing = by_standard[standard_id].missing
            if len(missing) < MISSING_SHOWN and name not in missing:
                missing.append(name)


def standard_keys(standard: Standard) -> dict[str, set[str]]:
    """The knowledge and skill names of `standard`, by kind: two queries."""
    return {
        kind: set(
            model.objects.filter(standard=standard)
            .annotate(key=effective_key(kind))
            .values_list("key", flat=True)
        )
        for kind, model in KINDS.items()
    }


def people_covering(
    standard: Standard, employees: QuerySet[Employee], *, limit: int = FIT_LIMIT
) -> tuple[int, list[PersonFit]]:
    """The people among `employees` whose assessed knowledge and skills cover
    `standard`'s best, and how many names it has: five queries."""
    keys = standard_keys(standard)
    total = sum(len(found) for found in keys.values())
    counts: dict[int, int] = {}
    for kind, model in KINDS.items():
        if not keys[kind]:
            continue
        rows = (
            model.objects.filter(
                _met(RATINGS), **{f"{RATINGS}__assessment__employee__in": employees.values("pk")}
            )
            .annotate(key=effective_key(kind))
            .filter(key__in=keys[kind])
            .values(f"{RATINGS}__assessment__employee")
            .annotate(covered=Count("key", distinct=True))
            .values_list(f"{RATINGS}__assessment__employee", "covered")
        )
        for employee_id, covered in rows:
            counts[employee_id] = counts.get(employee_id, 0) + covered
    best = sorted(counts.items(), key=lambda row: -row[1])[:limit]
    loaded = Employee.objects.select_related("department").in_bulk([pk for pk, _ in best])
    return total, [
        PersonFit(employee=loaded[pk], covered=covered, total=total) for pk, covered in best
    ]


def assessed_families(employee: Employee) -> set[str]:
    """The standard families the employee has a submitted assessment of: one query."""
    return set(
        Assessment.objects.filter(employee=employee, stage=Assessment.Stage.SUBMITTED)
        .order_by()
        .values_list("standard__family_code", flat=True)
        .distinct()
    )
