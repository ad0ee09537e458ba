from django.db.models import Prefetch, QuerySet

from .models import (
    Attitude,
    BehaviourIndicator,
    Duty,
    KnowledgeItem,
    Note,
    SkillItem,
    Standard,
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


def standards_with_contents() -> QuerySet[Standard]:
    """Standards with their whole document loaded, every list in document order.

    Fetching one standard costs 12 queries whatever its size: the standard with its
    classification, then version records, duties, tasks, outputs, indicators, task
    knowledge links, task skill links, knowledge items, skill items, attitudes, notes.
    """
    tasks = "duties__tasks"
    return Standard.objects.select_related("category", "occupation", "industry").prefetch_related(
        Prefetch("version_records", queryset=VersionRecord.objects.order_by("order")),
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
