"""Versions of a standard: a draft copy of a published version, and publishing the draft.

A published version never changes (self-assessments point at it); corrections go into
the next version, which starts as a draft copy of the published one.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .caching import catalogue_batch, catalogue_changed
from .codes import version_code
from .models import KnowledgeItem, SkillItem, Standard, Task
from .parsing.document import ParsedStandard
from .search import refresh_search_text
from .services import content_digest, link_family, standard_export, standard_import
from .services.history import HistoryWriter
from .services.writer import refresh_classification_links

NOT_PUBLISHED = _("Only a published version can be copied into a next version.")
NEWER_VERSION_EXISTS = _("%(code)s already exists: the next version of %(family)s is there.")
ALREADY_PUBLISHED = _("%(code)s is already published.")
NO_TASKS = _("%(code)s has no task yet: add its duties and tasks before publishing.")
NEWER_PUBLISHED = _("%(code)s is published and newer: an older draft cannot be published.")


def standard_create_next_version(
    *, standard: Standard, user: AbstractBaseUser | None = None
) -> Standard:
    """Copy the published `standard` (vN) into a new draft vN+1 of the same family.

    The copy is the document itself: `standard` exported in the interchange form, its
    code changed, imported as a draft by the one writer (so the draft has every row of
    the document, its history under `user`, its search text and its digest; not the
    parser's warnings, which belong to the imported file). The draft supersedes
    `standard`. Raises ValidationError when `standard` is a draft or a later version
    already exists.
    """
    if not standard.is_published:
        raise ValidationError(NOT_PUBLISHED)
    with transaction.atomic():
        source = Standard.objects.select_for_update().get(pk=standard.pk)
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
        document = ParsedStandard.from_dict(standard_export(standard=source))
        document.code = version_code(source.family_code, number)
        draft = standard_import(document=document, publish=False, user=user).standard
        _copy_item_descriptions(source, draft, user)
    return draft


def standard_publish(*, standard: Standard, user: AbstractBaseUser | None = None) -> Standard:
    """Publish the draft `standard`: it becomes the latest version and read-only.

    The versions before it become historical and each supersedes the one before it.
    A draft without tasks, or older than a published version, is refused.
    """
    with transaction.atomic(), catalogue_batch():
        standard = Standard.objects.select_for_update().get(pk=standard.pk)
        if standard.is_locked:
            raise ValidationError(ALREADY_PUBLISHED % {"code": standard.code})
        if not Task.objects.of_standard(standard).exists():
            raise ValidationError(NO_TASKS % {"code": standard.code})
        newer = (
            Standard.objects.published()
            .filter(family_code=standard.family_code, version_number__gt=standard.version_number)
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
        link_family(standard.family_code, user=user)
        refresh_content_digest(standard)
        catalogue_changed()
        standard.refresh_from_db()
    return standard


def standard_refresh_after_edit(*, standard: Standard) -> None:
    """Bring what is derived from a standard's content up to date after an edit in the admin.

    The search text (so the public search finds the new texts), the links between the
    versions of its family (its code may have changed) and its content digest.
    """
    standard = Standard.objects.select_related("category", "occupation", "industry").get(
        pk=standard.pk
    )
    link_family(standard.family_code)
    refresh_classification_links(standard)
    refresh_search_text(standard)
    refresh_content_digest(standard)


def refresh_content_digest(standard: Standard) -> None:
    """Store the digest of the standard's current content, as the importer computes it.

    Called after an edit in the admin, so that importing the same document again is
    recognised as a change (or as no change) correctly.
    """
    digest = content_digest(ParsedStandard.from_dict(standard_export(standard=standard)))
    Standard.objects.filter(pk=standard.pk).update(content_digest=digest)


def _copy_item_descriptions(
    source: Standard, draft: Standard, user: AbstractBaseUser | None
) -> None:
    """Carry over the K/S descriptions HR wrote in the admin: the interchange form has none."""
    history = HistoryWriter(user=user)
    for model in (KnowledgeItem, SkillItem):
        described = dict(
            model.objects.of_standard(source)
            .exclude(description="")
            .values_list("code", "description")
        )
        if described:
            items = list(model.objects.of_standard(draft).filter(code__in=described))
            for item in items:
                item.description = described[item.code]
            history.update(model, items, ["description"])
