"""The rules on the models themselves, which the admin and import-export go through."""

import pytest
from django.core.exceptions import ValidationError

from standards.codes import code_error, split_code, task_code_error
from standards.models import (
    BehaviourIndicator,
    Duty,
    KnowledgeItem,
    SkillItem,
    Standard,
    Task,
    TaskKnowledge,
    WorkOutput,
)
from tests.factories import sample_standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(db) -> Standard:
    return sample_standard("KRM1324-002v1", publish=False)


def first_task(standard: Standard) -> Task:
    return Task.objects.of_standard(standard).order_by("duty__order", "order").first()


def code_errors(row) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        row.full_clean()
    return raised.value.message_dict["code"]


@pytest.mark.parametrize("bad", ["AVA/4322", "K0\n1", "T1'"])
def test_every_code_field_refuses_a_code_a_code_may_not_be(draft, bad):
    task = first_task(draft)
    duty = task.duty
    rows = [
        Standard.objects.get(pk=draft.pk),
        Duty(standard=draft, code=bad, title="職責"),
        Task(duty=duty, code=bad, title="任務", level=3),
        KnowledgeItem(standard=draft, code=bad, name="知識"),
        SkillItem(standard=draft, code=bad, name="技能"),
        WorkOutput(task=task, code=bad, text="產出"),
        BehaviourIndicator(task=task, code=bad, text="指標"),
    ]
    rows[0].code = bad

    for row in rows:
        assert code_error(bad) in code_errors(row), type(row).__name__


def test_a_task_code_must_start_with_its_duty_code(draft):
    task = first_task(draft)
    task.code = "X9.9"

    assert code_errors(task) == [task_code_error("X9.9", task.duty.code)]


def test_the_family_and_version_number_come_from_the_code(draft):
    draft.code = "KRM1324-002v7"
    draft.family_code, draft.version_number = "wrong", 99

    draft.save()

    draft.refresh_from_db()
    assert (draft.family_code, draft.version_number) == ("KRM1324-002", 7)


def test_full_clean_reads_the_family_from_the_code():
    standard = Standard(code="ABC1234-001")
    standard.version_number = 5

    standard.clean()

    assert (standard.family_code, standard.version_number) == ("ABC1234-001", 1)


def test_a_published_version_is_locked_and_a_draft_is_not(standard, draft):
    assert standard.is_locked
    assert not draft.is_locked
    with pytest.raises(ValidationError):
        standard.check_unlocked()
    draft.check_unlocked()


def test_every_row_knows_its_standard(standard, draft):
    task = first_task(draft)
    link = TaskKnowledge.objects.of_standard(draft).first()

    assert task.standard == draft
    assert task.indicators.first().standard == draft
    assert link.standard == draft
    assert set(Task.objects.of_standard(standard).values_list("duty__standard", flat=True)) == {
        standard.pk
    }
    assert set(Task.objects.unlocked().values_list("duty__standard", flat=True)) == {draft.pk}


def test_a_code_with_a_version_number_too_long_for_a_number_is_a_family_of_its_own():
    code = "AVA4322-001v" + "9" * 5000

    assert split_code(code) == (code, 1)
