"""The scoring module: gaps, shortfalls, the summaries per duty and overall, and the
same measures in SQL, which must agree with the Python ones."""

import pytest

from assessments.models import TaskRating
from assessments.scoring import (
    TaskScore,
    average_shortfall,
    gap,
    short_count,
    shortfall,
    shortfall_expression,
    signed_gap,
    summarise,
    summarise_by_duty,
    total_shortfall,
)
from tests.assessments.helpers import assign, ratings


def score(code: str, required: int, own: int, duty: str = "T1") -> TaskScore:
    return TaskScore(
        duty_code=duty, duty_title=f"duty {duty}", code=code, title=code, required=required, own=own
    )


@pytest.mark.parametrize(
    ("required", "own", "expected"),
    [(3, 3, 0), (3, 1, 2), (2, 5, -3), (1, 0, 1), (6, 0, 6), (1, 6, -5)],
)
def test_gap_is_required_minus_own_level(required, own, expected):
    assert gap(required, own) == expected


@pytest.mark.parametrize(
    ("required", "own", "meets", "shortfall"),
    [(3, 3, True, 0), (3, 4, True, 0), (3, 2, False, 1), (4, 0, False, 4)],
)
def test_a_task_meets_its_level_when_the_gap_is_not_positive(required, own, meets, shortfall):
    task = score("T1.1", required, own)

    assert task.meets is meets
    assert task.shortfall == shortfall


@pytest.mark.parametrize(
    ("pairs", "meeting", "share", "average_shortfall"),
    [
        ([(3, 3), (3, 4), (3, 1), (4, 3)], 2, 0.5, 0.75),  # shortfalls 0, 0, 2, 1
        ([(2, 2), (2, 2)], 2, 1.0, 0.0),
        ([(5, 0)], 0, 0.0, 5.0),
        ([(1, 6), (6, 1), (3, 3)], 2, 2 / 3, 5 / 3),
    ],
)
def test_summary_counts_tasks_meeting_their_level_and_averages_the_shortfall(
    pairs, meeting, share, average_shortfall
):
    summary = summarise(score(f"T1.{i}", r, o) for i, (r, o) in enumerate(pairs))

    assert summary.task_count == len(pairs)
    assert summary.meeting == meeting
    assert summary.share_met == pytest.approx(share)
    assert summary.average_shortfall == pytest.approx(average_shortfall)


def test_an_empty_summary_has_zero_figures():
    summary = summarise([])

    assert (summary.task_count, summary.meeting, summary.share_met) == (0, 0, 0.0)
    assert summary.average_shortfall == 0.0
    assert summary.largest_shortfalls == []


def test_largest_shortfalls_are_the_three_biggest_in_document_order_on_ties():
    tasks = [
        score("T1.1", 3, 2),  # 1
        score("T1.2", 4, 1),  # 3
        score("T1.3", 3, 3),  # met
        score("T1.4", 5, 3),  # 2
        score("T1.5", 4, 2),  # 2
        score("T1.6", 2, 6),  # exceeds
    ]

    largest = summarise(tasks).largest_shortfalls

    assert [(t.code, t.shortfall) for t in largest] == [("T1.2", 3), ("T1.4", 2), ("T1.5", 2)]


def test_summaries_by_duty_keep_the_duty_order_and_their_own_tasks():
    tasks = [score("T2.1", 3, 1, "T2"), score("T1.1", 2, 2, "T1"), score("T2.2", 3, 3, "T2")]

    duties = summarise_by_duty(tasks)

    assert [(d.code, d.title, d.task_count, d.meeting) for d in duties] == [
        ("T2", "duty T2", 2, 1),
        ("T1", "duty T1", 1, 1),
    ]
    assert duties[0].average_required == 3
    assert duties[0].average_own == 2


@pytest.mark.parametrize(
    ("required", "own", "expected"),
    [(3, 3, 0), (3, 1, 2), (2, 5, 0), (1, 0, 1), (6, 0, 6), (1, 6, 0)],
)
def test_shortfall_is_the_gap_where_positive_else_zero(required, own, expected):
    assert shortfall(required, own) == expected


@pytest.mark.parametrize(
    ("value", "shown"),
    [(2, "+2"), (1, "+1"), (0, "0"), (-1, "\u22121"), (-5, "\u22125"), (None, "")],
)
def test_a_gap_is_shown_with_its_sign_a_shortfall_with_a_plus(value, shown):
    assert signed_gap(value) == shown


# Own levels against required levels, with a task not rated (None) in some.
LEVEL_CASES = [
    ([3, 2, 3], [3, 4, 2]),  # 0, +2, -1: the excess does not hide the shortfall
    ([0, 0, 0], [3, 4, 2]),
    ([6, 6, 6], [3, 4, 2]),
    ([1, None, 5], [3, 4, 2]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("own", "required"), LEVEL_CASES)
def test_the_database_measures_agree_with_the_python_ones(standard, alice, own, required):
    assessment = assign(standard, alice)
    stored = ratings(assessment)[: len(own)]
    for rating, level, needed in zip(stored, own, required, strict=True):
        rating.self_level, rating.required_level = level, needed
        rating.save(update_fields=["self_level", "required_level"])
    rated = [(r, o) for r, o in zip(required, own, strict=True) if o is not None]
    summary = summarise(TaskScore("T1", "", f"T1.{i}", "", r, o) for i, (r, o) in enumerate(rated))

    rows = TaskRating.objects.filter(pk__in=[r.pk for r in stored])
    figures = rows.aggregate(
        short=short_count(), total=total_shortfall(), average=average_shortfall()
    )
    per_task = rows.annotate(shortfall=shortfall_expression()).order_by("order")

    assert figures["short"] == sum(1 for r, o in rated if shortfall(r, o) > 0)
    assert figures["total"] == sum(shortfall(r, o) for r, o in rated)
    assert figures["average"] == pytest.approx(summary.average_shortfall)
    assert [r.shortfall for r in per_task] == [
        None if o is None else shortfall(r, o) for r, o in zip(required, own, strict=True)
    ]
