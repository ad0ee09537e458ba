"""The versions of one family: each supersedes the one before it, and only the newest
published version (and the drafts after it) is latest."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from ..models import Standard
from .history import HistoryWriter


def link_family(family_code: str, *, user: AbstractBaseUser | None = None) -> None:
    """Relink the stored versions of `family_code` (see `relink_versions`)."""
    relink_versions(list(Standard.objects.filter(family_code=family_code)), user=user)


def relink_versions(versions: list[Standard], *, user: AbstractBaseUser | None = None) -> None:
    """Give every saved version of one family its predecessor and status, with history.

    `versions` holds every version of the family as just read or written; only the rows
    whose link or status changes are written (none in the common case of a new family).
    """
    ordered = sorted(versions, key=lambda version: version.version_number)
    newest_published = max((v.version_number for v in ordered if v.is_published), default=0)
    wanted = {}
    for index, version in enumerate(ordered):
        previous = ordered[index - 1].pk if index else None
        status = (
            Standard.Status.HISTORICAL
            if version.version_number < newest_published
            else Standard.Status.LATEST
        )
        wanted[version.pk] = (previous, status)
    changed = [v for v in ordered if (v.supersedes_id, v.status) != wanted[v.pk]]
    if not changed:
        return
    relinked = [v.pk for v in changed if v.supersedes_id != wanted[v.pk][0]]
    if relinked:
        # Unlink first: `supersedes` is one-to-one, and databases check that row by row.
        Standard.objects.filter(pk__in=relinked).update(supersedes=None)
    for version in changed:
        version.supersedes_id, version.status = wanted[version.pk]
    HistoryWriter(user=user).update(Standard, changed, ["supersedes", "status"])


def previous_version(versions: list[Standard], version_number: int) -> Standard | None:
    """The saved version a new version `version_number` supersedes, if any."""
    older = [v for v in versions if v.version_number < version_number]
    return max(older, key=lambda v: v.version_number, default=None)
