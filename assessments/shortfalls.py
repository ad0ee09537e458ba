"""The item shortfalls (`ItemShortfall`): per submitted assessment and knowledge or skill
item, how many of the tasks needing the item fall short and by how much, under each
level source. The one place they are written.

The training needs rank items by the people falling short on tasks needing them. Read
from the ratings, that ranking joins every shortfall rating of a cycle to its task's item
links (104,570 rows a kind for 5,500 assessments at `make bench` scale) and counts
distinct people per item: 150–250 ms a kind on PostgreSQL. Kept per (assessment, item),
both kinds are 109,721 narrow rows, grouped without a join or a distinct count. They are
rewritten, from the ratings, at each change of what they sum: a submission and a return
to the employee (`assessments.services`), a manager review
(`reports.services.review_save`). The ratings
of a submitted assessment change nowhere else (the admin shows them read-only), and a
published standard's tasks and links never change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps as installed_apps
from django.db import transaction
from django.db.models import F, Q

from .scoring import LevelSource, falls_short, short_count, total_shortfall

# From a task rating to the items its task needs, by the ItemShortfall field holding them.
ITEM_PATHS = {"knowledge": "task__knowledge_links__item", "skill": "task__skill_links__item"}
# Assessments per query when many are rewritten at once (a bulk load, the migration).
BATCH = 500


def shortfalls_refresh(assessment_ids: Iterable[int], *, apps: Any = installed_apps) -> int:
    """Rewrite the item shortfalls of these assessments from their ratings; those not
    submitted are left with none. Returns the number of rows written.

    Two queries per kind and BATCH assessments, and the writes. `apps` is the model
    registry (a migration passes its historical one).
    """
    rating_model = apps.get_model("assessments", "TaskRating")
    shortfall_model = apps.get_model("assessments", "ItemShortfall")
    sources = list(LevelSource.values)
    any_short = Q()
    for source in sources:
        any_short |= falls_short(source=source)
    written = 0
    with transaction.atomic():
        ids = sorted(set(assessment_ids))
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            shortfall_model.objects.filter(assessment_id__in=chunk).delete()
            rows = []
            for field, path in ITEM_PATHS.items():
                sums = (
                    rating_model.objects.filter(
                        any_short, assessment__in=chunk, assessment__stage="submitted"
                    )
                    .filter(**{f"{path}__isnull": False})
                    .values("assessment_id", item_id=F(path))
                    .annotate(
                        **{f"{source}_tasks": short_count(source=source) for source in sources},
                        **{
                            f"{source}_shortfall": total_shortfall(source=source)
                            for source in sources
                        },
                    )
                    .order_by()
                )
                rows += [
                    shortfall_model(**{f"{field}_id": row.pop("item_id")}, **row) for row in sums
                ]
            shortfall_model.objects.bulk_create(rows, batch_size=2000)
            written += len(rows)
    return written
