"""The training needs rank the item shortfalls kept per assessment
(`assessments.shortfalls`): after every write that changes the levels they sum, the
ranking equals the one read from the ratings themselves, under each level source."""

import importlib

import pytest
from django.apps import apps
from django.db.models import Count, F

from assessments.models import Assessment, ItemShortfall, TaskRating
from assessments.scoring import LevelSource, total_shortfall
from assessments.services import RatingInput, assessment_return, assessment_save
from assessments.shortfalls import shortfalls_refresh
from reports.selectors import Viewer, shortfall_ratings, training_needs
from reports.services import ReviewInput, review_save

pytestmark = pytest.mark.django_db

SOURCES = list(LevelSource.values)
LINKS = {"knowledge": "task__knowledge_links__item", "skill": "task__skill_links__item"}


def from_ratings(assessments, kind: str, source: str) -> dict[int, tuple[int, int, int]]:
    """The ranking's figures read from the shortfall ratings and their tasks' links, as
    the report did before the item shortfalls: item id -> (people, tasks, shortfall)."""
    item = LINKS[kind]
    rows = (
        shortfall_ratings(assessments, source)
        .filter(**{f"{item}__isnull": False})
        .values(item_id=F(item))
        .annotate(
            people=Count("assessment__employee", distinct=True),
            tasks=Count("task", distinct=True),
            shortfall=total_shortfall("", source),
        )
        .order_by()
    )
    return {row["item_id"]: (row["people"], row["tasks"], row["shortfall"]) for row in rows}


def ranked(assessments, source: str) -> dict[str, dict[int, tuple[int, int, int]]]:
    needs = training_needs(assessments, source=source)
    return {
        kind: {n.item_id: (n.people, n.task_count, n.total_shortfall) for n in ranking}
        for kind, ranking in needs.items()
    }


def assert_same_as_the_ratings(cycle) -> None:
    assessments = Viewer(employee=None, hr=True, team=None).assessments().filter(cycle=cycle)
    for source in SOURCES:
        expected = {kind: from_ratings(assessments, kind, source) for kind in LINKS}
        assert ranked(assessments, source) == expected, source


def codes(team, source: str = LevelSource.SELF) -> dict[str, tuple[int, int, int]]:
    """The ranking of the team's current cycle by item code."""
    assessments = Assessment.objects.filter(cycle=team.cycle)
    items = {
        "knowledge": {i.pk: i.code for i in team.standard.knowledge_items.all()},
        "skill": {i.pk: i.code for i in team.standard.skill_items.all()},
    }
    needs = training_needs(assessments, source=source)
    return {
        items[kind][n.item_id]: (n.people, n.task_count, n.total_shortfall)
        for kind, ranking in needs.items()
        for n in ranking
    }


def review(assessment, reviewer, levels: list[int | None]) -> None:
    ratings = assessment.ratings.order_by("order")
    review_save(
        assessment=assessment,
        reviewer=reviewer,
        ratings={r.pk: ReviewInput(level=level) for r, level in zip(ratings, levels, strict=True)},
        comment="",
    )


def test_submissions_give_the_ranking_of_the_ratings(team):
    # alice 3, 2, 3; bob 1, 4, 0; erin 0, 0, 0 against 3, 4, 2. K01 needs T1.1 and T1.2
    # (short: alice T1.2 by 2, bob T1.1 by 2, erin both by 3 and 4); K02 T2.1 (bob by 2,
    # erin by 2); S01 T1.1 and T2.1 (bob by 2 and 2, erin by 3 and 2); S02 nothing.
    assert codes(team) == {"K01": (3, 2, 11), "K02": (2, 1, 4), "S01": (2, 2, 9)}
    assert_same_as_the_ratings(team.cycle)
    assert_same_as_the_ratings(team.earlier_cycle)


def test_a_manager_review_and_its_change_are_ranked_at_once(team, carol, dave):
    assert codes(team, LevelSource.MANAGER) == {}
    review(team.alice, carol, [1, None, 2])
    # The manager's levels: alice T1.1 short by 2 (K01, S01); T1.2 not rated by them.
    assert codes(team, LevelSource.MANAGER) == {"K01": (1, 1, 2), "S01": (1, 1, 2)}
    assert_same_as_the_ratings(team.cycle)
    review(team.alice, carol, [3, 4, 0])
    review(team.erin, dave, [0, None, None])
    assert codes(team, LevelSource.MANAGER) == {
        "K01": (1, 1, 3),
        "K02": (1, 1, 2),
        "S01": (2, 2, 5),
    }
    assert_same_as_the_ratings(team.cycle)


def test_a_returned_assessment_leaves_the_ranking_until_it_is_submitted_again(team, hannah):
    assessment_return(assessment=team.erin, by=hannah.user, reason="請補上證據")
    assert not ItemShortfall.objects.filter(assessment=team.erin).exists()
    assert codes(team) == {"K01": (2, 2, 4), "K02": (1, 1, 2), "S01": (1, 2, 4)}
    assert_same_as_the_ratings(team.cycle)

    ratings = team.erin.ratings.order_by("order")
    assessment_save(
        assessment=team.erin,
        version=Assessment.objects.get(pk=team.erin.pk).version,
        ratings={
            r.pk: RatingInput(self_level=level) for r, level in zip(ratings, [3, 4, 0], strict=True)
        },
        submit=True,
        today=team.cycle.opens_on,
    )
    assert codes(team) == {"K01": (2, 2, 4), "K02": (2, 1, 4), "S01": (2, 2, 6)}
    assert_same_as_the_ratings(team.cycle)


def test_a_draft_has_no_item_shortfalls(team):
    draft = Assessment.objects.get(pk=team.bob.pk)
    TaskRating.objects.filter(assessment=draft).update(self_level=0)
    Assessment.objects.filter(pk=draft.pk).update(stage=Assessment.Stage.DRAFT)
    shortfalls_refresh([draft.pk])
    assert not ItemShortfall.objects.filter(assessment=draft).exists()
    assert_same_as_the_ratings(team.cycle)


def test_the_migration_fills_the_shortfalls_of_earlier_submissions(team, carol):
    review(team.bob, carol, [0, 1, None])
    kept = set(ItemShortfall.objects.values_list(*ROW_FIELDS))
    assert kept
    ItemShortfall.objects.all().delete()

    migration = importlib.import_module("assessments.migrations.0011_item_shortfalls")
    migration.fill_item_shortfalls(apps, None)

    assert set(ItemShortfall.objects.values_list(*ROW_FIELDS)) == kept
    assert_same_as_the_ratings(team.cycle)


ROW_FIELDS = [
    "assessment",
    "knowledge",
    "skill",
    *(f"{source}_{figure}" for source in SOURCES for figure in ("tasks", "shortfall")),
]
