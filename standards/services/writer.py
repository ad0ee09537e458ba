"""The one document writer: a parsed standard into the library, in bulk, with its history.

Importing a file, uploading one in the admin, "create next version" and the benchmark's
loader all come here. The document is checked once in memory (`document_problems`,
then each new or changed row's own field rules), its search texts are computed from
the document itself, and its rows are written a model at a time.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext

from ..caching import catalogue_batch, catalogue_changed
from ..codes import split_code
from ..consistency import document_problems
from ..matching import match_key
from ..models import (
    Attitude,
    BehaviourIndicator,
    DocumentWarning,
    Duty,
    Industry,
    JobCategory,
    KnowledgeItem,
    Note,
    Occupation,
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
from ..parsing.document import ParsedStandard, ParseWarning
from ..search import document_search_texts
from .export import content_digest
from .family import previous_version, relink_versions
from .history import HistoryWriter, default_history_user
from .rows import Key, Row, StoredRows, check_fields, sync_rows

Outcome = Literal["created", "updated", "unchanged"]
SAME_VERSION_NUMBER = (
    "{code} is version {number} of {family}, which the library already holds as {other}"
)


@dataclass
class ImportResult:
    standard: Standard
    outcome: Outcome
    warnings: list[ParseWarning]


def standard_import(
    *, document: ParsedStandard, publish: bool = True, user: AbstractBaseUser | None = None
) -> ImportResult:
    """Create or update the standard version `document.code` from a parsed document.

    An identical document (same digest, same publication) changes nothing. A published
    version is never changed (nor unpublished): ValidationError. An edited draft is
    updated in place: duties, tasks and K/S items are matched by code, outputs and
    indicators by task and code, K/S links by task and item, attitudes and notes by
    order, so a row that survives keeps its primary key and only what changed is
    written. The versions of the family are then relinked. `user` is recorded in the
    history (by default the user of the current request, if any). Raises
    ValidationError, with nothing written, when the document cannot be stored.
    """
    problems = document_problems(document)
    if problems:
        raise ValidationError([problem.translated(gettext) for problem in problems])
    digest = content_digest(document)
    publication = Standard.Publication.PUBLISHED if publish else Standard.Publication.DRAFT
    warnings = list(document.warnings)
    family_code, number = split_code(document.code)

    with transaction.atomic(), catalogue_batch():
        family = list(Standard.objects.select_for_update().filter(family_code=family_code))
        standard = next((v for v in family if v.code == document.code), None)
        if (
            standard is not None
            and standard.content_digest == digest
            and standard.publication == publication
        ):
            return ImportResult(standard=standard, outcome="unchanged", warnings=warnings)
        if standard is not None:
            standard.check_unlocked()
        namesake = next(
            (v for v in family if v.version_number == number and v is not standard), None
        )
        if namesake is not None:
            raise ValidationError(
                SAME_VERSION_NUMBER.format(
                    code=document.code, number=number, family=family_code, other=namesake.code
                )
            )
        outcome: Outcome = "created" if standard is None else "updated"
        others = [v for v in family if v is not standard]
        standard = _DocumentWriter(document, user).write(
            standard or Standard(), others=others, digest=digest, publication=publication
        )
        relink_versions([*others, standard], user=user)
        # Published or not: the classification upserts may have renamed a job category,
        # occupation or industry that published standards show.
        catalogue_changed()
    return ImportResult(standard=standard, outcome=outcome, warnings=warnings)


class _DocumentWriter:
    """Writes one document over a standard's stored rows (none for a new standard)."""

    def __init__(self, document: ParsedStandard, user: AbstractBaseUser | None) -> None:
        self.document = document
        self.user = user
        self.standard_text, self.task_texts = document_search_texts(document)

    def write(
        self, standard: Standard, *, others: list[Standard], digest: str, publication: str
    ) -> Standard:
        document = self.document
        new = standard.pk is None
        own_version = next((v for v in document.versions if v.code == document.code), None)
        category, occupation, industry = self._classifications()
        self.first_rows = {"occupation": occupation, "industry": industry}
        values = {
            "code": document.code,
            "name": document.name,
            "category_id": category.pk,
            "category_name": document.category.name,
            "occupation_id": occupation.pk,
            "industry_id": industry.pk,
            "description": document.description or "",
            "base_level": document.base_level,
            "date": _date(own_version.date if own_version else None),
            "publication": publication,
            "content_digest": digest,
            "search_text": self.standard_text,
        }
        for field, value in values.items():
            setattr(standard, field, value)
        if new:
            self._link_new_version(standard, others)
        standard.set_family_from_code()
        check_fields(standard, f"standard {document.code}")
        if self.user is not None:
            standard._history_user = self.user
        # Every row of the document, the standard's included, is recorded as changed by
        # the same user at one time.
        history = HistoryWriter(user=default_history_user(standard))
        standard.save_without_historical_record()
        history.record(Standard, [standard], "+" if new else "~")

        stored = StoredRows(standard) if not new else StoredRows.empty()
        self._write_contents(standard, stored, history)
        self._write_classification_links(standard)
        name_category_by_newest(category)
        return standard

    def _write_classification_links(self, standard: Standard) -> None:
        """Every occupation and industry the document names, in order, with the names it
        printed; each classification is then named as the newest version names it."""
        for link_model, field, model, entries in [
            (StandardOccupation, "occupation", Occupation, self.document.occupations),
            (StandardIndustry, "industry", Industry, self.document.industries),
        ]:
            rows = [self.first_rows[field]]  # upserted with the standard's own
            for entry in entries[1:]:
                row = model(code=entry.code, name=entry.name)
                check_fields(row, f"{model._meta.verbose_name} {entry.code}")
                rows.append(_upsert_classification(model, row))
            link_model.objects.filter(standard=standard).delete()
            link_model.objects.bulk_create(
                [
                    link_model(standard=standard, name=entry.name, order=n, **{field: row})
                    for n, (entry, row) in enumerate(zip(entries, rows, strict=True), start=1)
                ]
            )
            name_by_newest(link_model, field, rows)

    def _link_new_version(self, standard: Standard, others: list[Standard]) -> None:
        """Link a new version on its first INSERT, so that it needs no second write."""
        _, number = split_code(standard.code)
        previous = previous_version(others, number)
        if previous is not None and not any(v.supersedes_id == previous.pk for v in others):
            standard.supersedes = previous
        newest_published = max(
            [v.version_number for v in others if v.is_published]
            + ([number] if standard.is_published else []),
            default=0,
        )
        standard.status = (
            Standard.Status.HISTORICAL if number < newest_published else Standard.Status.LATEST
        )

    def _classifications(self) -> list[JobCategory | Occupation | Industry]:
        """The shared classification rows, created or renamed as the document names them.

        One upsert each: the name in the document wins, for every standard using it.
        """
        rows = []
        for model, entry in [
            (JobCategory, self.document.category),
            (Occupation, self.document.occupation),
            (Industry, self.document.industry),
        ]:
            row = model(code=entry.code, name=entry.name)
            check_fields(row, f"{model._meta.verbose_name} {entry.code}")
            rows.append(_upsert_classification(model, row))
        return rows

    def _write_contents(
        self, standard: Standard, stored: StoredRows, history: HistoryWriter
    ) -> None:
        document = self.document
        duties = sync_rows(
            Duty,
            stored.duties,
            {
                d.code: (
                    f"duty {d.code}",
                    Duty(standard_id=standard.pk, code=d.code, title=d.title, order=n),
                )
                for n, d in enumerate(document.duties, start=1)
            },
            ["title", "order"],
            history,
            delete=False,
        )
        task_rows = {}
        for duty_entry in document.duties:
            for n, entry in enumerate(duty_entry.tasks, start=1):
                task = Task(
                    duty_id=duties.rows[duty_entry.code].pk,
                    code=entry.code,
                    title=entry.title,
                    level=entry.level,
                    order=n,
                    search_text=self.task_texts[entry.code],
                )
                task_rows[entry.code] = (f"task {entry.code}", task)
        # Tasks before duties: a task that moved to another duty must not go with its old one.
        tasks = sync_rows(
            Task,
            stored.tasks,
            task_rows,
            ["duty_id", "title", "level", "order", "search_text"],
            history,
        ).rows
        history.delete(Duty, duties.lost)

        item_rows = {}
        for model, entries, label in [
            (KnowledgeItem, document.knowledge, "knowledge"),
            (SkillItem, document.skills, "skill"),
        ]:
            item_rows[model] = sync_rows(
                model,
                stored.items[model],
                {
                    e.code: (
                        f"{label} {e.code}",
                        model(
                            standard_id=standard.pk,
                            code=e.code,
                            name=e.name,
                            match_key=match_key(e.name),
                            order=n,
                        ),
                    )
                    for n, e in enumerate(entries, start=1)
                },
                ["name", "match_key", "order"],
                history,
            ).rows

        entries = [entry for duty in document.duties for entry in duty.tasks]
        for model, label, make in [
            (
                WorkOutput,
                "output",
                lambda t, e: [
                    (o.code, WorkOutput(task_id=t.pk, code=o.code, text=o.text, order=n))
                    for n, o in enumerate(e.outputs, start=1)
                ],
            ),
            (
                BehaviourIndicator,
                "indicator",
                lambda t, e: [
                    (i.code, BehaviourIndicator(task_id=t.pk, code=i.code, text=i.text, order=n))
                    for n, i in enumerate(e.indicators, start=1)
                ],
            ),
        ]:
            sync_rows(
                model,
                stored.texts[model],
                _task_rows(tasks, entries, label, make),
                ["text", "order"],
                history,
            )
        for model, items, kind, codes in [
            (TaskKnowledge, item_rows[KnowledgeItem], "knowledge", lambda e: e.knowledge),
            (TaskSkill, item_rows[SkillItem], "skill", lambda e: e.skills),
        ]:
            wanted = {
                (entry.code, code): (
                    f"task {entry.code} {kind} {code}",
                    model(task_id=tasks[entry.code].pk, item_id=items[code].pk, order=n),
                )
                for entry in entries
                for n, code in enumerate(codes(entry), start=1)
            }
            sync_rows(model, stored.links[model], wanted, ["order"], history)

        sync_rows(
            Attitude,
            stored.attitudes,
            {
                n: (
                    f"attitude {a.code}",
                    Attitude(
                        standard=standard,
                        code=a.code,
                        name=a.name,
                        description=a.description,
                        order=n,
                    ),
                )
                for n, a in enumerate(document.attitudes, start=1)
            },
            ["code", "name", "description"],
            history,
        )
        sync_rows(
            Note,
            stored.notes,
            {
                n: (f"note {n}", Note(standard_id=standard.pk, text=text, order=n))
                for n, text in enumerate(document.notes, start=1)
            },
            ["text"],
            history,
        )
        self._replace_records(standard, stored)

    def _replace_records(self, standard: Standard, stored: StoredRows) -> None:
        """The version table and the parser's warnings: replaced whole, they keep no history."""
        if stored.has_records:
            VersionRecord.objects.filter(standard=standard).delete()
            DocumentWarning.objects.filter(standard=standard).delete()
        records = [
            (
                f"version {v.code}",
                VersionRecord(
                    standard=standard,
                    order=n,
                    version=v.version,
                    code=v.code,
                    name=v.name,
                    status=v.status,
                    note=v.note,
                    date=_date(v.date),
                ),
            )
            for n, v in enumerate(self.document.versions, start=1)
        ]
        warnings = [
            (
                f"warning {n}",
                DocumentWarning(
                    standard=standard,
                    line=w.line,
                    message=w.message,
                    template=w.template,
                    params=w.params,
                    order=n,
                ),
            )
            for n, w in enumerate(self.document.warnings, start=1)
        ]
        for model, labelled in [(VersionRecord, records), (DocumentWarning, warnings)]:
            for label, row in labelled:
                check_fields(row, label)
            if labelled:
                model.objects.bulk_create([row for _, row in labelled])


def _task_rows(
    tasks: dict[str, Task],
    entries: list[Any],
    label: str,
    make: Callable[[Task, Any], list[tuple[str, Row]]],
) -> dict[Key, tuple[str, Row]]:
    return {
        (entry.code, code): (f"{label} {code}", row)
        for entry in entries
        for code, row in make(tasks[entry.code], entry)
    }


def name_by_newest(
    link_model: type[StandardOccupation | StandardIndustry],
    field: str,
    rows: list[Occupation | Industry],
) -> None:
    """Name each classification as the most recent version filed under it printed it."""
    for row in rows:
        newest = (
            link_model.objects.filter(**{field: row})
            .order_by(F("standard__date").desc(nulls_last=True), "-standard_id")
            .values_list("name", flat=True)
            .first()
        )
        if newest is not None and newest != row.name:
            type(row).objects.filter(pk=row.pk).update(name=newest)


def name_category_by_newest(category: JobCategory) -> None:
    """Name the job category as the most recent version filed under it printed it."""
    newest = (
        Standard.objects.filter(category=category)
        .exclude(category_name="")
        .order_by(F("date").desc(nulls_last=True), "-pk")
        .values_list("category_name", flat=True)
        .first()
    )
    if newest is not None and newest != category.name:
        JobCategory.objects.filter(pk=category.pk).update(name=newest)


def refresh_classification_links(standard: Standard) -> None:
    """After an edit in the admin: the first occupation and industry are the standard's."""
    for link_model, field in [(StandardOccupation, "occupation"), (StandardIndustry, "industry")]:
        chosen = getattr(standard, field)
        first = link_model.objects.filter(standard=standard).order_by("order").first()
        if first is not None and getattr(first, f"{field}_id") == chosen.pk:
            continue
        # Chosen from further down the list: it moves to the front.
        link_model.objects.filter(standard=standard, **{field: chosen}).delete()
        if first is None:
            link_model.objects.create(
                standard=standard, name=chosen.name, order=1, **{field: chosen}
            )
        else:
            link_model.objects.filter(pk=first.pk).update(name=chosen.name, **{field: chosen})


def _upsert_classification(
    model: type[JobCategory | Occupation | Industry], row: Row
) -> JobCategory | Occupation | Industry:
    """INSERT the classification, or rename the stored one; one query, and its primary key."""
    (saved,) = model.objects.bulk_create(
        [row], update_conflicts=True, unique_fields=["code"], update_fields=["name"]
    )
    return saved


def _date(value: str | None) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"{value!r} is not a date (YYYY-MM-DD)") from None
