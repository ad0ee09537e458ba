"""Knowledge and skill items across standards, matched by name.

K and S codes are local to one document, but the names repeat across standards (溝通,
問題解決, 專案管理…). Each item keeps its *match key*, its name folded as the search
folds it (full-width to half-width, 臺/台, case) with spaces and punctuation dropped;
items of one kind with the same key are the same competence. HR reviews the index in
the admin: merging says that two keys are one (`ItemNameMatch`, key → the key it counts
as), and deleting such a match splits them again.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce

IGNORED = re.compile(r"[\s\W_]+", re.UNICODE)
KEY_LENGTH = 200


def match_key(name: str) -> str:
    """The key an item of this name is matched by (at most KEY_LENGTH characters)."""
    # Imported here: the search module reads the models, which compute this key.
    from .search import fold

    return IGNORED.sub("", fold(name))[:KEY_LENGTH]


def effective_key(kind: str, path: str = "") -> Coalesce:
    """The key an item counts as after HR's merges, as a database expression; `path`
    leads from the query's model to the item (`"knowledge__"`…)."""
    from .models import ItemNameMatch

    merged = ItemNameMatch.objects.filter(kind=kind, key=OuterRef(f"{path}match_key")).values(
        "same_as"
    )[:1]
    return Coalesce(Subquery(merged), F(f"{path}match_key"))


def item_names_merge(*, kind: str, keys: list[str], into: str) -> int:
    """Count the items whose key is one of `keys` as `into` from now on, and the keys
    already merged into one of them too. Returns how many keys were merged."""
    from .models import ItemNameMatch

    target = ItemNameMatch.objects.filter(kind=kind, key=into).values_list("same_as", flat=True)
    with transaction.atomic():
        into = target.first() or into
        keys = [key for key in dict.fromkeys(keys) if key != into]
        ItemNameMatch.objects.filter(kind=kind, same_as__in=keys).update(same_as=into)
        ItemNameMatch.objects.filter(kind=kind, key__in=keys).delete()
        ItemNameMatch.objects.bulk_create(
            [ItemNameMatch(kind=kind, key=key, same_as=into) for key in keys]
        )
    return len(keys)
