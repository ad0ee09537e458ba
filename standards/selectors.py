"""Reads of the standards library: QuerySets for the catalogue, the API and the exports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import QueryDict

from .filters import StandardFilter
from .models import (
    Attitude,
    BehaviourIndicator,
    Duty,
    KnowledgeItem,
    Note,
    SkillItem,
    Standard,
    StandardIndustry,
    StandardOccupation,
    Task,
    TaskKnowledge,
    TaskSkill,
    VersionRecord,
    WorkOutput,
)


def published_standards() -> QuerySet[Standard]:
    """Published versions, with their classification, in code order."""
    return Standard.objects.filter(publication=Standard.Publication.PUBLISHED).select_related(
        "category", "occupation", "industry"
    )


def latest_published_standards() -> QuerySet[Standard]:
    """The latest published version of each standard, in code order: what HR assigns."""
    return Standard.objects.published().filter(status=Standard.Status.LATEST).order_by("code")


def classification_links() -> list[Prefetch]:
    """The prefetches `Standard.occupations` and `.industries` read: two queries."""
    return [
        Prefetch(
            "occupation_links",
            queryset=StandardOccupation.objects.select_related("occupation").order_by("order"),
        ),
        Prefetch(
            "industry_links",
            queryset=StandardIndustry.objects.select_related("industry").order_by("order"),
        ),
    ]


def standards_with_contents() -> QuerySet[Standard]:
    """Standards with their whole document loaded, every list in document order.

    Fetching one standard costs 14 queries whatever its size: the standard with its
    classification, then version records, occupation links, industry links, duties,
    tasks, outputs, indicators, task knowledge links, task skill links, knowledge items,
    skill items, attitudes, notes.
    """
    tasks = "duties__tasks"
    return Standard.objects.select_related("category", "occupation", "industry").prefetch_related(
        Prefetch("version_records", queryset=VersionRecord.objects.order_by("order")),
        *classification_links(),
        Prefetch("duties", queryset=Duty.objects.order_by("order")),
        Prefetch(tasks, queryset=Task.objects.order_by("order")),
        Prefetch(f"{tasks}__outputs", queryset=WorkOutput.objects.order_by("order")),
        Prefetch(f"{tasks}__indicators", queryset=BehaviourIndicator.objects.order_by("order")),
        Prefetch(
            f"{tasks}__knowledge_links",
            queryset=TaskKnowledge.objects.select_related("item").order_by("order"),
        ),
        Prefetch(
            f"{tasks}__skill_links",
            queryset=TaskSkill.objects.select_related("item").order_by("order"),
        ),
        Prefetch("knowledge_items", queryset=KnowledgeItem.objects.order_by("order")),
        Prefetch("skill_items", queryset=SkillItem.objects.order_by("order")),
        Prefetch("attitudes", queryset=Attitude.objects.order_by("order")),
        Prefetch("notes", queryset=Note.objects.order_by("order")),
    )


@dataclass
class FacetChoice:
    """One choice of a filter, with how many standards it would show."""

    value: str
    label: str
    count: int
    selected: bool


def catalogue_filter(data: QueryDict | dict[str, Any] | None) -> StandardFilter:
    """The catalogue's filters over published standards, bound to the query string."""
    return StandardFilter(data, queryset=published_standards())


def catalogue_standards(filters: StandardFilter) -> QuerySet[Standard]:
    """The published standards the filters select, in the order they ask for (code by default).

    Code breaks ties, so that a page boundary falls in the same place on every database.
    """
    standards = filters.qs
    ordering = [str(field) for field in standards.query.order_by]
    if "code" in ordering or "-code" in ordering:
        return standards
    return standards.order_by(*ordering, "code")


def tasks_matching(*, standard_ids: list[int], terms: list[str]) -> QuerySet[Task]:
    """The tasks of these standards whose own text holds every search term, in document order."""
    tasks = Task.objects.filter(duty__standard_id__in=standard_ids).select_related("duty")
    for term in terms:
        tasks = tasks.filter(search_text__contains=term)
    return tasks.order_by("duty__standard_id", "duty__order", "order")


def published_documents() -> QuerySet[Standard]:
    """Published standards with their whole document loaded (see standards_with_contents)."""
    return standards_with_contents().filter(publication=Standard.Publication.PUBLISHED)


def family_versions(standard: Standard) -> QuerySet[Standard]:
    """The published versions of a standard's family, and those its version table names."""
    codes = [record.code for record in standard.version_records.all()]
    return (
        published_standards()
        .filter(Q(family_code=standard.family_code) | Q(code__in=codes))
        .order_by("-version_number", "-date")
    )
