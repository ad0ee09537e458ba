"""The pure scoring module: gaps, and the summaries per duty and overall."""

import pytest

from assessments.scoring import TaskScore, gap, summarise, summarise_by_duty


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
