"""Cycles, assignments and saving: the writes of the assessments app."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from assessments.models import Assessment, AssessmentReturn, Department, TaskRating
from assessments.services import (
    LOCKED,
    NO_REASON,
    NOT_PUBLISHED,
    NOT_SUBMITTED,
    STALE_SAVE,
    AssessmentLockedError,
    CycleClosedError,
    CycleNotOpenError,
    RatingInput,
    StaleAssessmentError,
    assessment_return,
    assessment_save,
    assessments_assign,
    assessments_assign_department,
    cycle_create,
    not_open_message,
)
from standards.levels import HIGHEST
from standards.models import Standard, Task
from standards.reader import read_document
from tests.assessments.helpers import assign, open_cycle, ratings
from tests.conftest import make_employee
from tests.factories import DATA, sample_standard, standard_from

pytestmark = pytest.mark.django_db


def test_a_cycle_cannot_close_before_it_opens():
    with pytest.raises(ValidationError):
        cycle_create(
            name="backwards",
            opens_on=datetime.date(2026, 5, 1),
            closes_on=datetime.date(2026, 4, 1),
        )


def test_assigning_copies_every_task_with_its_required_level(standard, alice):
    assessment = assign(standard, alice)

    tasks = Task.objects.filter(duty__standard=standard).order_by("duty__order", "order")
    assert assessment.stage == Assessment.Stage.PENDING
    assert [
        (r.duty_code, r.task_code, r.task_title, r.required_level) for r in ratings(assessment)
    ] == [(t.duty.code, t.code, t.title, t.level) for t in tasks]
    assert len(tasks) == 20


def test_assigning_twice_does_not_duplicate_an_assessment_and_says_who_had_it(standard, alice):
    cycle = open_cycle()
    assessments_assign(cycle=cycle, standard=standard, employees=[alice])

    again = assessments_assign(cycle=cycle, standard=standard, employees=[alice, alice])

    assert again.created == []
    assert again.already == [alice]
    assert Assessment.objects.count() == 1
    assert TaskRating.objects.count() == 20


def test_only_a_published_standard_can_be_assigned(alice):
    draft = sample_standard("BGM1219-002v2", publish=False)

    with pytest.raises(ValidationError) as error:
        assessments_assign(cycle=open_cycle(), standard=draft, employees=[alice])

    assert error.value.messages == [str(NOT_PUBLISHED)]
    assert not Assessment.objects.exists()


def test_assigning_a_department_includes_its_sub_departments(standard, production, sales):
    line = Department.objects.create(code="PM-1", name="一課", parent=production)
    shift = Department.objects.create(code="PM-1-A", name="早班", parent=line)
    in_production = make_employee("p", "P1", "甲", production)
    in_line = make_employee("l", "P2", "乙", line)
    in_shift = make_employee("s", "P3", "丙", shift)
    make_employee("x", "S1", "丁", sales)

    assignment = assessments_assign_department(
        cycle=open_cycle(), standard=standard, department=production
    )

    assert {a.employee for a in assignment.created} == {in_production, in_line, in_shift}
    assert Assessment.objects.count() == 3


def test_the_required_levels_survive_an_edit_and_a_new_version_of_the_standard(standard, alice):
    assessment = assign(standard, alice)
    before = [(r.task_code, r.task_title, r.required_level) for r in ratings(assessment)]
    # A new version with every level raised, and an in-place edit of the current one.
    document = read_document(
        name="AVA4322-001v4.txt", data=(DATA / "AVA4322-001v4.txt").read_bytes()
    )
    document.code = "AVA4322-001v5"
    for duty in document.duties:
        for task in duty.tasks:
            task.level = min(HIGHEST, task.level + 1)
            task.title += "（新版）"
    standard_from(document)
    Task.objects.filter(duty__standard=standard).update(level=6, title="edited")

    assert Standard.objects.get(code="AVA4322-001v5").is_published
    assert [(r.task_code, r.task_title, r.required_level) for r in ratings(assessment)] == before


def test_a_draft_saves_partial_answers_and_bumps_the_version(standard, alice):
    assessment = assign(standard, alice)
    first, second = ratings(assessment)[:2]

    missing = assessment_save(
        assessment=assessment,
        version=0,
        ratings={
            first.pk: RatingInput(
                self_level=3, comment="做過三次", indicator_checks={"P1.1.1": True}
            ),
            second.pk: RatingInput(self_level=0),
        },
    )

    assert assessment.stage == Assessment.Stage.DRAFT
    assert assessment.version == 1
    assert len(missing) == 18
    first.refresh_from_db()
    assert (first.self_level, first.comment, first.indicator_checks) == (
        3,
        "做過三次",
        {"P1.1.1": True},
    )
    second.refresh_from_db()
    assert second.self_level == 0


def test_submitting_with_unrated_tasks_keeps_a_draft_and_lists_them(standard, alice):
    assessment = assign(standard, alice)
    stored = ratings(assessment)
    answers = {r.pk: RatingInput(self_level=2) for r in stored if r.order not in (3, 7)}

    missing = assessment_save(assessment=assessment, version=0, ratings=answers, submit=True)

    assert [r.order for r in missing] == [3, 7]
    assert assessment.stage == Assessment.Stage.DRAFT
    assert assessment.submitted_at is None
    assert TaskRating.objects.filter(assessment=assessment, self_level=2).count() == 18


def test_submitting_every_task_rated_locks_the_assessment(standard, alice):
    assessment = assign(standard, alice)
    answers = {r.pk: RatingInput(self_level=4) for r in ratings(assessment)}

    missing = assessment_save(assessment=assessment, version=0, ratings=answers, submit=True)

    assert missing == []
    assert assessment.stage == Assessment.Stage.SUBMITTED
    assert assessment.submitted_at is not None
    with pytest.raises(AssessmentLockedError) as error:
        assessment_save(
            assessment=assessment,
            version=assessment.version,
            ratings={r.pk: RatingInput(self_level=0) for r in ratings(assessment)},
        )
    assert str(error.value) == str(LOCKED)
    assert set(assessment.ratings.values_list("self_level", flat=True)) == {4}


def test_a_save_based_on_a_stale_version_is_refused_and_writes_nothing(standard, alice):
    assessment = assign(standard, alice)
    first = ratings(assessment)[0]
    # Two tabs open the draft at version 0; the first saves.
    assessment_save(assessment=assessment, version=0, ratings={first.pk: RatingInput(self_level=5)})

    with pytest.raises(StaleAssessmentError) as error:
        assessment_save(
            assessment=assessment,
            version=0,
            ratings={first.pk: RatingInput(self_level=1, comment="second tab")},
            submit=True,
        )

    assert str(error.value) == str(STALE_SAVE)
    first.refresh_from_db()
    assert (first.self_level, first.comment) == (5, "")
    assessment.refresh_from_db()
    assert (assessment.version, assessment.stage) == (1, Assessment.Stage.DRAFT)


def test_a_level_outside_0_to_6_is_refused(standard, alice):
    assessment = assign(standard, alice)
    first = ratings(assessment)[0]

    with pytest.raises(ValueError):
        assessment_save(
            assessment=assessment, version=0, ratings={first.pk: RatingInput(self_level=7)}
        )

    first.refresh_from_db()
    assert first.self_level is None
    assert Assessment.objects.get(pk=assessment.pk).version == 0


def test_a_save_after_the_cycle_closed_is_refused_and_writes_nothing(standard, alice):
    assessment = assign(standard, alice)
    first = ratings(assessment)[0]
    assessment_save(assessment=assessment, version=0, ratings={first.pk: RatingInput(4)})
    closes_on = assessment.cycle.closes_on

    with pytest.raises(CycleClosedError) as error:
        assessment_save(
            assessment=assessment,
            version=1,
            ratings={r.pk: RatingInput(self_level=5) for r in ratings(assessment)},
            submit=True,
            today=closes_on + datetime.timedelta(days=1),
        )

    assert closes_on.isoformat() in str(error.value)
    assessment.refresh_from_db()
    assert (assessment.version, assessment.stage) == (1, Assessment.Stage.DRAFT)
    assert list(assessment.ratings.values_list("self_level", flat=True).order_by("order"))[:2] == [
        4,
        None,
    ]


def test_the_closing_day_itself_still_takes_answers(standard, alice):
    assessment = assign(standard, alice)
    answers = {r.pk: RatingInput(self_level=3) for r in ratings(assessment)}

    assessment_save(
        assessment=assessment,
        version=0,
        ratings=answers,
        submit=True,
        today=assessment.cycle.closes_on,
    )

    assert assessment.stage == Assessment.Stage.SUBMITTED


def test_a_save_before_the_cycle_opens_is_refused_and_writes_nothing(standard, alice):
    assessment = assign(standard, alice)
    opens_on = assessment.cycle.opens_on

    with pytest.raises(CycleNotOpenError) as error:
        assessment_save(
            assessment=assessment,
            version=0,
            ratings={r.pk: RatingInput(self_level=5) for r in ratings(assessment)},
            submit=True,
            today=opens_on - datetime.timedelta(days=1),
        )

    assert str(error.value) == not_open_message(assessment.cycle)
    assessment.refresh_from_db()
    assert (assessment.version, assessment.stage) == (0, Assessment.Stage.PENDING)
    assert not assessment.ratings.filter(self_level__isnull=False).exists()


def test_the_opening_day_itself_takes_answers(standard, alice):
    assessment = assign(standard, alice)

    assessment_save(
        assessment=assessment,
        version=0,
        ratings={r.pk: RatingInput(self_level=3) for r in ratings(assessment)},
        submit=True,
        today=assessment.cycle.opens_on,
    )

    assert assessment.stage == Assessment.Stage.SUBMITTED


def submitted(standard, employee) -> Assessment:
    assessment = assign(standard, employee)
    assessment_save(
        assessment=assessment,
        version=0,
        ratings={r.pk: RatingInput(self_level=3, comment="我的證據") for r in ratings(assessment)},
        submit=True,
    )
    return assessment


def test_returning_a_submitted_assessment_makes_it_a_draft_and_records_who_when_why(
    standard, alice, hannah
):
    assessment = submitted(standard, alice)

    assessment_return(assessment=assessment, by=hannah.user, reason="  請補上證據  ")

    assert (assessment.stage, assessment.submitted_at, assessment.version) == (
        Assessment.Stage.DRAFT,
        None,
        2,
    )
    [record] = assessment.returns.all()
    assert (record.returned_by, record.reason) == (hannah.user, "請補上證據")
    assert record.returned_at is not None
    # The answers stay for the employee to change, and they can save again.
    assert set(assessment.ratings.values_list("comment", flat=True)) == {"我的證據"}
    assessment_save(assessment=assessment, version=2, ratings={}, submit=True)
    assert assessment.is_submitted


def test_returning_needs_a_reason_and_a_submitted_assessment(standard, alice, hannah):
    assessment = submitted(standard, alice)
    draft = assign(standard, alice, open_cycle("another"))

    with pytest.raises(ValidationError) as no_reason:
        assessment_return(assessment=assessment, by=hannah.user, reason="  ")
    with pytest.raises(ValidationError) as not_submitted:
        assessment_return(assessment=draft, by=hannah.user, reason="請補上證據")

    assert no_reason.value.messages == [str(NO_REASON)]
    assert not_submitted.value.messages == [str(NOT_SUBMITTED)]
    assessment.refresh_from_db()
    assert assessment.is_submitted
    assert not AssessmentReturn.objects.exists()
