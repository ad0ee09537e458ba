"""Matching a document's rows with the rows a standard already has, and writing the difference."""

from __future__ import annotations

import functools
from collections.abc import Hashable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models

from ..models import (
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
from .history import HistoryWriter

Row = models.Model
Key = Hashable


class StoredRows:
    """The rows a standard already has, keyed the way the document's rows are matched."""

    def __init__(self, standard: Standard | None) -> None:
        self.has_records = standard is not None
        self.duties: dict[Key, Row] = {}
        self.tasks: dict[Key, Row] = {}
        self.items: dict[type[Row], dict[Key, Row]] = {KnowledgeItem: {}, SkillItem: {}}
        self.texts: dict[type[Row], dict[Key, Row]] = {WorkOutput: {}, BehaviourIndicator: {}}
        self.links: dict[type[Row], dict[Key, Row]] = {TaskKnowledge: {}, TaskSkill: {}}
        self.attitudes: dict[Key, Row] = {}
        self.notes: dict[Key, Row] = {}
        if standard is None:
            return
        self.duties = {d.code: d for d in Duty.objects.of_standard(standard)}
        tasks = list(Task.objects.of_standard(standard))
        self.tasks = {t.code: t for t in tasks}
        task_codes = {t.pk: t.code for t in tasks}
        item_codes = {}
        for model in (KnowledgeItem, SkillItem):
            rows = list(model.objects.of_standard(standard))
            self.items[model] = {row.code: row for row in rows}
            item_codes[model] = {row.pk: row.code for row in rows}
        for model in (WorkOutput, BehaviourIndicator):
            self.texts[model] = {
                (task_codes[row.task_id], row.code): row
                for row in model.objects.of_standard(standard)
            }
        for model, items in [(TaskKnowledge, KnowledgeItem), (TaskSkill, SkillItem)]:
            self.links[model] = {
                (task_codes[row.task_id], item_codes[items][row.item_id]): row
                for row in model.objects.of_standard(standard)
            }
        self.attitudes = {row.order: row for row in Attitude.objects.of_standard(standard)}
        self.notes = {row.order: row for row in Note.objects.of_standard(standard)}

    @classmethod
    def empty(cls) -> StoredRows:
        return cls(None)


@dataclass
class Synced:
    rows: dict[Key, Row]
    lost: list[Row]


def sync_rows(
    model: type[Row],
    stored: dict[Key, Row],
    wanted: dict[Key, tuple[str, Row]],
    fields: list[str],
    history: HistoryWriter,
    *,
    delete: bool = True,
) -> Synced:
    """Make the `stored` rows of one model what `wanted` (label and row by key) says.

    A stored row whose key is wanted keeps its primary key and is updated only if one
    of `fields` differs; new rows are created, and stored rows nobody wants are deleted
    (or returned as `lost` for the caller to delete later). Each new or changed row is
    checked against its fields' rules first.
    """
    rows: dict[Key, Row] = {}
    created, changed = [], []
    for key, (label, row) in wanted.items():
        old = stored.get(key)
        if old is None:
            check_fields(row, label)
            created.append(row)
            rows[key] = row
            continue
        if any(getattr(old, field) != getattr(row, field) for field in fields):
            for field in fields:
                setattr(old, field, getattr(row, field))
            check_fields(old, label)
            changed.append(old)
        rows[key] = old
    lost = [row for key, row in stored.items() if key not in wanted]
    if delete:
        history.delete(model, lost)
        lost = []
    history.update(model, changed, fields)
    history.create(model, created)
    return Synced(rows=rows, lost=lost)


def check_fields(row: Row, label: str) -> None:
    """The row's own field rules (required texts, lengths), checked in memory.

    Codes and levels were checked by `document_problems`, with uniqueness within the
    document; relations are not re-queried, as their rows were just read or written.
    The quick check runs on every row; Django's own `clean_fields` only on a row that
    fails it, for its exact messages.
    """
    for attname, required, max_length in _text_rules(type(row)):
        value = getattr(row, attname)
        if (required and not value) or (max_length and value and len(value) > max_length):
            break
    else:
        return
    parents = [field.name for field in row._meta.fields if field.is_relation]
    try:
        row.clean_fields(exclude=parents)
    except ValidationError as exc:
        raise ValidationError(
            [
                f"{label}: {field}: {message}"
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        ) from exc


@functools.cache
def _text_rules(model: type[Row]) -> list[tuple[str, bool, int | None]]:
    """(column, required, max_length) of each text field of `model`."""
    return [
        (field.attname, not field.blank, field.max_length)
        for field in model._meta.fields
        if isinstance(field, models.CharField | models.TextField) and not field.is_relation
    ]
