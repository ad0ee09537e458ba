"""Writes for the manager review of a submitted self-assessment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Employee, ManagerRating, ManagerReview
from assessments.shortfalls import shortfalls_refresh
from standards.levels import OWN_RANGE, is_own_level

NOT_SUBMITTED = _("Only a submitted self-assessment can be reviewed.")


@dataclass(frozen=True)
class ReviewInput:
    """The manager's answer for one task: their level (or none) and a note."""

    level: int | None
    comment: str = ""


def review_save(
    *,
    assessment: Assessment,
    reviewer: Employee | None,
    ratings: Mapping[int, ReviewInput],
    comment: str,
    share: bool = False,
) -> ManagerReview:
    """Record the reviewer's level and note per task (`ratings`, by TaskRating id) and
    their overall comment; with `share`, the employee can see the review from now on.

    The employee's own levels are never touched. Raises ValidationError for an
    assessment that is not submitted; ids of other assessments' ratings are ignored.
    """
    if not assessment.is_submitted:
        raise ValidationError(NOT_SUBMITTED, code="not_submitted")
    for answer in ratings.values():
        if answer.level is not None and not is_own_level(answer.level):
            raise ValueError(f"level {answer.level} is outside {OWN_RANGE}")
    with transaction.atomic():
        review, _created = ManagerReview.objects.select_for_update().get_or_create(
            assessment=assessment
        )
        review.reviewer = reviewer
        review.comment = comment
        if share and review.shared_at is None:
            review.shared_at = timezone.now()
        review.save()
        existing = {r.rating_id: r for r in review.ratings.all()}
        task_ratings = assessment.ratings.filter(pk__in=list(ratings))
        new, changed = [], []
        for task_rating in task_ratings:
            answer = ratings[task_rating.pk]
            stored = existing.get(task_rating.pk)
            if stored is None:
                new.append(
                    ManagerRating(
                        review=review,
                        rating=task_rating,
                        level=answer.level,
                        comment=answer.comment,
                    )
                )
            else:
                stored.level = answer.level
                stored.comment = answer.comment
                changed.append(stored)
        ManagerRating.objects.bulk_create(new)
        ManagerRating.objects.bulk_update(changed, ["level", "comment"])
        shortfalls_refresh([assessment.pk])
    return review


def review_unshare(*, review: ManagerReview) -> ManagerReview:
    """Hide a shared review from the employee again."""
    with transaction.atomic():
        review.shared_at = None
        review.save(update_fields=["shared_at", "updated_at"])
    return review


def review_mark_seen(*, review: ManagerReview) -> None:
    """Record that the employee opened their shared review: it is no longer new."""
    if not review.is_new:
        return
    now = timezone.now()
    # One UPDATE, atomic by itself; not through save(): the review's updated_at is the
    # reviewer's, not the reader's.
    ManagerReview.objects.filter(pk=review.pk).update(seen_at=now)
    review.seen_at = now
