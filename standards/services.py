"""Writing parsed standards to the library, and reading them back in the interchange form."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction

from .codes import split_code
from .models import (
    Attitude,
    BehaviourIndicator,
    Duty,
    ImportWarning,
    Industry,
    JobCategory,
    KnowledgeItem,
    Note,
    Occupation,
    SkillItem,
    Standard,
    Task,
    TaskKnowledge,
    TaskSkill,
    VersionRecord,
    WorkOutput,
)
from .parsing.document import Classification, ParsedStandard, ParseWarning
from .reader import document_problems
from .search import refresh_search_text
from .selectors import standards_with_contents

Outcome = Literal["created", "updated", "unchanged"]


@dataclass
class ImportResult:
    standard: Standard
    outcome: Outcome
    warnings: list[ParseWarning]


def content_digest(document: ParsedStandard) -> str:
    """SHA-256 of the canonical JSON of the interchange form, to recognise a re-import."""
    canonical = json.dumps(
        document.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def import_standard(*, document: ParsedStandard, publish: bool = True) -> ImportResult:
    """Create or update the standard version `document.code` from a parsed document.

    An identical document (same digest, same publication) changes nothing. An edited one
    updates the version in place: duties, tasks and K/S items are matched by code so that
    rows whose code survives keep their primary key; everything else of the document is
    replaced. The versions of the family are then relinked. Raises ValidationError, with
    nothing written, when the document cannot be stored.
    """
    problems = document_problems(document)
    if problems:
        raise ValidationError([problem.message for problem in problems])
    digest = content_digest(document)
    publication = Standard.Publication.PUBLISHED if publish else Standard.Publication.DRAFT
    warnings = list(document.warnings)

    with transaction.atomic():
        standard = Standard.objects.select_for_update().filter(code=document.code).first()
        if (
            standard is not None
            and standard.content_digest == digest
            and standard.publication == publication
        ):
            return ImportResult(standard=standard, outcome="unchanged", warnings=warnings)
        outcome: Outcome = "created" if standard is None else "updated"
        standard = _save_standard(standard or Standard(), document, digest, publication)
        _save_duties_and_tasks(standard, document)
        _save_replaced_rows(standard, document)
        _link_family(standard.family_code)
        refresh_search_text(standard)
        standard.refresh_from_db(fields=["status", "supersedes"])
    return ImportResult(standard=standard, outcome=outcome, warnings=warnings)


def export_standard(standard: Standard) -> dict[str, Any]:
    """The interchange form of a stored standard, the same shape `ParsedStandard.to_dict()` has.

    Reads the standard again through `standards_with_contents()`: 12 queries whatever
    its size.
    """
    standard = standards_with_contents().get(pk=standard.pk)
    return {
        "code": standard.code,
        "name": standard.name,
        "versions": [
            {
                "version": record.version,
                "code": record.code,
                "name": record.name,
                "status": record.status,
                "note": record.note,
                "date": record.date.isoformat() if record.date else None,
            }
            for record in standard.version_records.all()
        ],
        "category": _classification_dict(standard.category),
        "occupation": _classification_dict(standard.occupation),
        "industry": _classification_dict(standard.industry),
        "description": standard.description,
        "base_level": standard.base_level,
        "duties": [
            {
                "code": duty.code,
                "title": duty.title,
                "tasks": [
                    {
                        "code": task.code,
                        "title": task.title,
                        "level": task.level,
                        "outputs": [{"code": o.code, "text": o.text} for o in task.outputs.all()],
                        "indicators": [
                            {"code": i.code, "text": i.text} for i in task.indicators.all()
                        ],
                        "knowledge": [link.item.code for link in task.knowledge_links.all()],
                        "skills": [link.item.code for link in task.skill_links.all()],
                    }
                    for task in duty.tasks.all()
                ],
            }
            for duty in standard.duties.all()
        ],
        "knowledge": [{"code": k.code, "name": k.name} for k in standard.knowledge_items.all()],
        "skills": [{"code": s.code, "name": s.name} for s in standard.skill_items.all()],
        "attitudes": [
            {"code": a.code, "name": a.name, "description": a.description}
            for a in standard.attitudes.all()
        ],
        "notes": [note.text for note in standard.notes.all()],
    }


def _classification_dict(row: JobCategory | Occupation | Industry) -> dict[str, str]:
    return {"code": row.code, "name": row.name}


def _save_standard(
    standard: Standard, document: ParsedStandard, digest: str, publication: str
) -> Standard:
    family_code, version_number = split_code(document.code)
    namesake = (
        Standard.objects.filter(family_code=family_code, version_number=version_number)
        .exclude(code=document.code)
        .first()
    )
    if namesake is not None:
        raise ValidationError(
            f"{document.code} is version {version_number} of {family_code}, "
            f"which the library already holds as {namesake.code}"
        )
    own_version = next((v for v in document.versions if v.code == document.code), None)
    _save_if_changed(
        standard,
        f"standard {document.code}",
        code=document.code,
        family_code=family_code,
        version_number=version_number,
        name=document.name,
        category_id=_classification(JobCategory, document.category).pk,
        occupation_id=_classification(Occupation, document.occupation).pk,
        industry_id=_classification(Industry, document.industry).pk,
        description=document.description or "",
        base_level=document.base_level,
        date=_date(own_version.date if own_version else None),
        publication=publication,
        content_digest=digest,
    )
    return standard


def _classification(
    model: type[JobCategory | Occupation | Industry], entry: Classification
) -> JobCategory | Occupation | Industry:
    """The shared row for a classification code, renamed when the document names it anew."""
    row = model.objects.filter(code=entry.code).first() or model(code=entry.code)
    _save_if_changed(row, f"{model._meta.verbose_name} {entry.code}", name=entry.name)
    return row


def _save_duties_and_tasks(standard: Standard, document: ParsedStandard) -> None:
    """Update duties, tasks and K/S items matched by code; delete those the document lost."""
    duties = {duty.code: duty for duty in standard.duties.all()}
    tasks = {task.code: task for task in Task.objects.filter(duty__standard=standard)}
    for duty_order, duty_entry in enumerate(document.duties, start=1):
        duty = duties.pop(duty_entry.code, None) or Duty(standard=standard, code=duty_entry.code)
        _save_if_changed(duty, f"duty {duty_entry.code}", title=duty_entry.title, order=duty_order)
        for task_order, task_entry in enumerate(duty_entry.tasks, start=1):
            task = tasks.pop(task_entry.code, None) or Task(code=task_entry.code)
            _save_if_changed(
                task,
                f"task {task_entry.code}",
                duty_id=duty.pk,
                title=task_entry.title,
                level=task_entry.level,
                order=task_order,
            )
    # Tasks first: a task that moved to another duty must not go with its old duty.
    Task.objects.filter(pk__in=[task.pk for task in tasks.values()]).delete()
    Duty.objects.filter(pk__in=[duty.pk for duty in duties.values()]).delete()

    for model, entries, label in [
        (KnowledgeItem, document.knowledge, "knowledge"),
        (SkillItem, document.skills, "skill"),
    ]:
        items = {item.code: item for item in model.objects.filter(standard=standard)}
        for order, entry in enumerate(entries, start=1):
            item = items.pop(entry.code, None) or model(standard=standard, code=entry.code)
            _save_if_changed(item, f"{label} {entry.code}", name=entry.name, order=order)
        model.objects.filter(pk__in=[item.pk for item in items.values()]).delete()


def _save_replaced_rows(standard: Standard, document: ParsedStandard) -> None:
    """Replace the rows nothing else refers to: texts, links, attitudes, notes, records."""
    for model in (WorkOutput, BehaviourIndicator, TaskKnowledge, TaskSkill):
        model.objects.filter(task__duty__standard=standard).delete()
    for model in (Attitude, Note, VersionRecord, ImportWarning):
        model.objects.filter(standard=standard).delete()

    tasks = {task.code: task for task in Task.objects.filter(duty__standard=standard)}
    knowledge = {item.code: item for item in standard.knowledge_items.all()}
    skills = {item.code: item for item in standard.skill_items.all()}
    rows: dict[type[models.Model], list[tuple[str, models.Model]]] = {
        WorkOutput: [],
        BehaviourIndicator: [],
        TaskKnowledge: [],
        TaskSkill: [],
        Attitude: [],
        Note: [],
        VersionRecord: [],
        ImportWarning: [],
    }
    for duty_entry in document.duties:
        for entry in duty_entry.tasks:
            task = tasks[entry.code]
            for order, output in enumerate(entry.outputs, start=1):
                rows[WorkOutput].append(
                    (
                        f"output {output.code}",
                        WorkOutput(task=task, code=output.code, text=output.text, order=order),
                    )
                )
            for order, indicator in enumerate(entry.indicators, start=1):
                rows[BehaviourIndicator].append(
                    (
                        f"indicator {indicator.code}",
                        BehaviourIndicator(
                            task=task, code=indicator.code, text=indicator.text, order=order
                        ),
                    )
                )
            for order, code in enumerate(entry.knowledge, start=1):
                rows[TaskKnowledge].append(
                    (
                        f"task {entry.code} knowledge {code}",
                        TaskKnowledge(task=task, item=knowledge[code], order=order),
                    )
                )
            for order, code in enumerate(entry.skills, start=1):
                rows[TaskSkill].append(
                    (
                        f"task {entry.code} skill {code}",
                        TaskSkill(task=task, item=skills[code], order=order),
                    )
                )
    for order, attitude in enumerate(document.attitudes, start=1):
        rows[Attitude].append(
            (
                f"attitude {attitude.code}",
                Attitude(
                    standard=standard,
                    code=attitude.code,
                    name=attitude.name,
                    description=attitude.description,
                    order=order,
                ),
            )
        )
    for order, text in enumerate(document.notes, start=1):
        rows[Note].append((f"note {order}", Note(standard=standard, text=text, order=order)))
    for order, version in enumerate(document.versions, start=1):
        rows[VersionRecord].append(
            (
                f"version {version.code}",
                VersionRecord(
                    standard=standard,
                    order=order,
                    version=version.version,
                    code=version.code,
                    name=version.name,
                    status=version.status,
                    note=version.note,
                    date=_date(version.date),
                ),
            )
        )
    for order, warning in enumerate(document.warnings, start=1):
        rows[ImportWarning].append(
            (
                f"warning {order}",
                ImportWarning(
                    standard=standard, line=warning.line, message=warning.message, order=order
                ),
            )
        )
    for model, labelled in rows.items():
        # The parents were read or written in this transaction, uniqueness within the
        # document was checked by document_problems and the old rows are gone: the
        # queries full_clean would make for relations and unique constraints find nothing.
        parents = [field.name for field in model._meta.fields if field.is_relation]
        for label, row in labelled:
            _full_clean(row, label, exclude=parents, validate_constraints=False)
        model.objects.bulk_create([row for _, row in labelled])


def _link_family(family_code: str) -> None:
    """Each version supersedes the one before it; all but the newest published are historical."""
    versions = list(Standard.objects.filter(family_code=family_code).order_by("version_number"))
    previous: dict[int, int | None] = {}
    for index, version in enumerate(versions):
        previous[version.pk] = versions[index - 1].pk if index else None
    relinked = [v for v in versions if v.supersedes_id != previous[v.pk]]
    # Unlink first: `supersedes` is one-to-one, and databases check that row by row.
    Standard.objects.filter(pk__in=[v.pk for v in relinked]).update(supersedes=None)
    for version in relinked:
        if previous[version.pk] is not None:
            Standard.objects.filter(pk=version.pk).update(supersedes_id=previous[version.pk])

    newest_published = max((v.version_number for v in versions if v.is_published), default=0)
    for version in versions:
        if version.version_number < newest_published:
            status = Standard.Status.HISTORICAL
        else:
            status = Standard.Status.LATEST
        if version.status != status:
            Standard.objects.filter(pk=version.pk).update(status=status)


def _date(value: str | None) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _save_if_changed(row: models.Model, label: str, **values: Any) -> None:
    """Set `values` on `row`, then validate and save it if it is new or anything changed."""
    changed = row._state.adding
    for field, value in values.items():
        if getattr(row, field) != value:
            setattr(row, field, value)
            changed = True
    if changed:
        _full_clean(row, label)
        row.save()


def _full_clean(row: models.Model, label: str, **options: Any) -> None:
    """`row.full_clean()`, with messages that say which row of the document is wrong."""
    try:
        row.full_clean(**options)
    except ValidationError as exc:
        messages = [
            f"{label}: {message}" if field == NON_FIELD_ERRORS else f"{label}: {field}: {message}"
            for field, field_messages in exc.message_dict.items()
            for message in field_messages
        ]
        raise ValidationError(messages) from exc
