"""The audit trail of one standard: every recorded change to it and to its contents."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet

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
    WorkOutput,
)

# Bookkeeping columns whose change says nothing to HR.
IGNORED_FIELDS = {"updated_at", "content_digest"}


@dataclass
class FieldChange:
    name: str
    old: Any
    new: Any


@dataclass
class Change:
    """One historical record: who changed which row when, and how."""

    when: datetime.datetime
    who: Any
    kind: str
    model: str
    label: str
    fields: list[FieldChange] = field(default_factory=list)


def standard_history_querysets(standard: Standard) -> list[QuerySet]:
    """The historical records of a standard and of everything in it, one QuerySet per model.

    Rows deleted since are included: tasks are found through every duty the standard ever
    had, outputs and indicators through every task.
    """
    duty_ids = Duty.history.filter(standard_id=standard.pk).values("id")
    task_ids = Task.history.filter(duty_id__in=duty_ids).values("id")
    querysets = [
        Standard.history.filter(id=standard.pk),
        Duty.history.filter(standard_id=standard.pk),
        Task.history.filter(duty_id__in=duty_ids),
        WorkOutput.history.filter(task_id__in=task_ids),
        BehaviourIndicator.history.filter(task_id__in=task_ids),
        TaskKnowledge.history.filter(task_id__in=task_ids).select_related("task", "item"),
        TaskSkill.history.filter(task_id__in=task_ids).select_related("task", "item"),
        KnowledgeItem.history.filter(standard_id=standard.pk),
        SkillItem.history.filter(standard_id=standard.pk),
        Attitude.history.filter(standard_id=standard.pk),
        Note.history.filter(standard_id=standard.pk),
    ]
    return [
        qs.select_related("history_user").order_by("id", "history_date", "history_id")
        for qs in querysets
    ]


def standard_changes(standard: Standard, *, limit: int = 300) -> list[Change]:
    """The latest `limit` changes to `standard` and its contents, newest first.

    One query per recorded model (eleven), whatever the number of records; a change
    lists the fields it changed, compared with the same row's previous record.
    """
    changes: list[Change] = []
    for queryset in standard_history_querysets(standard):
        previous: Model | None = None
        for record in queryset:
            if previous is not None and previous.id != record.id:
                previous = None
            change = _change(record, previous)
            if change is not None:
                changes.append(change)
            previous = record
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:limit]


def _change(record: Model, previous: Model | None) -> Change | None:
    model = record.instance_type._meta.verbose_name
    fields: list[FieldChange] = []
    if record.history_type == "~" and previous is not None:
        for tracked in record.tracked_fields:
            if tracked.name in IGNORED_FIELDS:
                continue
            old, new = getattr(previous, tracked.attname), getattr(record, tracked.attname)
            if old != new:
                fields.append(FieldChange(str(tracked.verbose_name), old, new))
        if not fields:
            return None
    return Change(
        when=record.history_date,
        who=record.history_user,
        kind=record.history_type,
        model=str(model),
        label=_label(record),
        fields=fields,
    )


def _label(record: Model) -> str:
    if hasattr(record, "item_id"):
        # A task's link to a K or S item: name both ends (either may be deleted since).
        task, item = record.task, record.item
        return f"{task.code if task else '?'} → {item.code if item else '?'}"
    code = getattr(record, "code", "")
    text = (
        getattr(record, "title", None)
        or getattr(record, "name", None)
        or getattr(record, "text", "")
    )
    return f"{code} {text}".strip()[:80]
