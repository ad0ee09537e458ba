"""Versions of a standard: a draft copy of a published version, and publishing the draft.

A published version never changes (self-assessments point at it); corrections go into
the next version, which starts as a draft copy of the published one.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
from .parsing.document import ParsedStandard
from .search import refresh_search_text
from .selectors import standards_with_contents
from .services import _link_family, content_digest, export_standard

NOT_PUBLISHED = _("Only a published version can be copied into a next version.")
NEWER_VERSION_EXISTS = _("%(code)s already exists: the next version of %(family)s is there.")
ALREADY_PUBLISHED = _("%(code)s is already published.")
NO_TASKS = _("%(code)s has no task yet: add its duties and tasks before publishing.")
NEWER_PUBLISHED = _("%(code)s is published and newer: an older draft cannot be published.")


def create_next_version(*, standard: Standard, user: AbstractBaseUser | None = None) -> Standard:
    """Copy the published `standard` (vN) into a new draft vN+1 of the same family.

    Everything of the document is copied: header, version table, duties, tasks with
    their outputs, indicators and K/S links, the K/S catalogues, attitudes and notes;
    not the importer's warnings, which belong to the imported file. The family is then
    relinked, so the draft supersedes `standard`. Raises ValidationError when `standard`
    is a draft or a later version already exists.
    """
    if not standard.is_published:
        raise ValidationError(NOT_PUBLISHED)
    with transaction.atomic():
        source = standards_with_contents().select_for_update(of=("self",)).get(pk=standard.pk)
        number = source.version_number + 1
        newer = (
            Standard.objects.filter(family_code=source.family_code, version_number__gte=number)
            .order_by("version_number")
            .first()
        )
        if newer is not None:
            raise ValidationError(
                NEWER_VERSION_EXISTS % {"code": newer.code, "family": source.family_code}
            )
        draft = Standard(
            code=f"{source.family_code}v{number}",
            family_code=source.family_code,
            version_number=number,
            name=source.name,
            publication=Standard.Publication.DRAFT,
            category_id=source.category_id,
            occupation_id=source.occupation_id,
            industry_id=source.industry_id,
            description=source.description,
            base_level=source.base_level,
        )
        if user is not None:
            draft._history_user = user
        draft.full_clean(exclude=["supersedes"])
        draft.save()
        _copy_contents(source, draft, user)
        _link_family(draft.family_code)
        refresh_search_text(draft)
        refresh_content_digest(draft)
        draft.refresh_from_db()
    return draft


def publish_version(*, standard: Standard, user: AbstractBaseUser | None = None) -> Standard:
    """Publish the draft `standard`: it becomes the latest version and read-only.

    The versions before it become historical and each supersedes the one before it.
    A draft without tasks, or older than a published version, is refused.
    """
    with transaction.atomic():
        standard = Standard.objects.select_for_update().get(pk=standard.pk)
        if standard.is_published:
            raise ValidationError(ALREADY_PUBLISHED % {"code": standard.code})
        if not Task.objects.filter(duty__standard=standard).exists():
            raise ValidationError(NO_TASKS % {"code": standard.code})
        newer = (
            Standard.objects.filter(
                family_code=standard.family_code,
                version_number__gt=standard.version_number,
                publication=Standard.Publication.PUBLISHED,
            )
            .order_by("version_number")
            .first()
        )
        if newer is not None:
            raise ValidationError(NEWER_PUBLISHED % {"code": newer.code})
        standard.publication = Standard.Publication.PUBLISHED
        standard.date = standard.date or timezone.localdate()
        if user is not None:
            standard._history_user = user
        standard.save()
        _link_family(standard.family_code)
        refresh_content_digest(standard)
        standard.refresh_from_db()
    return standard


def refresh_after_edit(standard: Standard) -> None:
    """Bring what is derived from a standard's content up to date after an edit in the admin.

    The search text (so the public search finds the new texts), the links between the
    versions of its family (its code may have changed) and its content digest.
    """
    standard = Standard.objects.select_related("category", "occupation", "industry").get(
        pk=standard.pk
    )
    _link_family(standard.family_code)
    refresh_search_text(standard)
    refresh_content_digest(standard)


def refresh_content_digest(standard: Standard) -> None:
    """Store the digest of the standard's current content, as the importer computes it.

    Called after an edit in the admin, so that importing the same document again is
    recognised as a change (or as no change) correctly.
    """
    digest = content_digest(ParsedStandard.from_dict(export_standard(standard)))
    Standard.objects.filter(pk=standard.pk).update(content_digest=digest)


def _copy_contents(source: Standard, draft: Standard, user: AbstractBaseUser | None) -> None:
    """Copy the prefetched document of `source` into the new `draft`, history included."""
    _create(
        VersionRecord,
        [
            VersionRecord(
                standard=draft,
                order=record.order,
                version=record.version,
                code=record.code,
                name=record.name,
                status=record.status,
                note=record.note,
                date=record.date,
            )
            for record in source.version_records.all()
        ],
        user,
    )
    knowledge = dict(
        zip(
            [item.pk for item in source.knowledge_items.all()],
            _create(
                KnowledgeItem,
                [
                    KnowledgeItem(
                        standard=draft,
                        code=item.code,
                        name=item.name,
                        description=item.description,
                        order=item.order,
                    )
                    for item in source.knowledge_items.all()
                ],
                user,
            ),
            strict=True,
        )
    )
    skills = dict(
        zip(
            [item.pk for item in source.skill_items.all()],
            _create(
                SkillItem,
                [
                    SkillItem(
                        standard=draft,
                        code=item.code,
                        name=item.name,
                        description=item.description,
                        order=item.order,
                    )
                    for item in source.skill_items.all()
                ],
                user,
            ),
            strict=True,
        )
    )
    source_duties = list(source.duties.all())
    duties = _create(
        Duty,
        [Duty(standard=draft, code=d.code, title=d.title, order=d.order) for d in source_duties],
        user,
    )
    source_tasks = [task for duty in source_duties for task in duty.tasks.all()]
    new_duty = {old.pk: new for old, new in zip(source_duties, duties, strict=True)}
    tasks = _create(
        Task,
        [
            Task(
                duty=new_duty[task.duty_id],
                code=task.code,
                title=task.title,
                level=task.level,
                order=task.order,
            )
            for task in source_tasks
        ],
        user,
    )
    outputs, indicators, knowledge_links, skill_links = [], [], [], []
    for old, new in zip(source_tasks, tasks, strict=True):
        outputs += [
            WorkOutput(task=new, code=o.code, text=o.text, order=o.order) for o in old.outputs.all()
        ]
        indicators += [
            BehaviourIndicator(task=new, code=i.code, text=i.text, order=i.order)
            for i in old.indicators.all()
        ]
        knowledge_links += [
            TaskKnowledge(task=new, item=knowledge[link.item_id], order=link.order)
            for link in old.knowledge_links.all()
        ]
        skill_links += [
            TaskSkill(task=new, item=skills[link.item_id], order=link.order)
            for link in old.skill_links.all()
        ]
    _create(WorkOutput, outputs, user)
    _create(BehaviourIndicator, indicators, user)
    _create(TaskKnowledge, knowledge_links, user)
    _create(TaskSkill, skill_links, user)
    _create(
        Attitude,
        [
            Attitude(
                standard=draft, code=a.code, name=a.name, description=a.description, order=a.order
            )
            for a in source.attitudes.all()
        ],
        user,
    )
    _create(
        Note, [Note(standard=draft, text=n.text, order=n.order) for n in source.notes.all()], user
    )


def _create(
    model: type[models.Model], rows: list[models.Model], user: AbstractBaseUser | None
) -> list[models.Model]:
    """bulk_create `rows` (primary keys are set on SQLite and PostgreSQL) and their history."""
    created = model.objects.bulk_create(rows)
    history = getattr(model, "history", None)
    if history is not None and created:
        history.bulk_history_create(created, default_user=user)
    return created
