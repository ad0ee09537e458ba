"""The self-assessment form's task blocks: rendered once per published version and
language, cached, and filled with each person's own answers."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from assessments.selectors import TaskText, TaskTexts
from assessments.services import RatingInput, assessment_save
from assessments.task_blocks import MARK, render_block
from standards.models import BehaviourIndicator
from tests.assessments.helpers import assign, ratings

pytestmark = pytest.mark.django_db


def form_page(client, assessment, language: str = "zh-hant") -> str:
    client.force_login(assessment.employee.user)
    with translation.override(language):  # the language's own address: /en/… in English
        url = reverse("assessments:form", args=[assessment.pk])
    response = client.get(url)
    assert response.status_code == 200
    # The CSRF token differs on every page; nothing else may.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_the_page_is_the_same_built_afresh_or_from_the_cached_blocks(client, standard, alice):
    assessment = assign(standard, alice)
    cache.clear()

    fresh = form_page(client, assessment)
    cached = form_page(client, assessment)

    assert cached == fresh
    assert MARK not in fresh
    first = ratings(assessment)[0]
    assert f'<fieldset class="task" id="task-{first.pk}" data-task>' in fresh
    assert f'name="level_{first.pk}" value="0"' in fresh


def test_one_persons_answers_never_reach_another_rating_the_same_version(
    client, standard, alice, bob
):
    mine, theirs = assign(standard, alice), assign(standard, bob)
    first = ratings(mine)[0]
    code = first.task.indicators.first().code
    assessment_save(
        assessment=mine,
        version=mine.version,
        ratings={
            first.pk: RatingInput(self_level=4, comment="只給我看", indicator_checks={code: True})
        },
    )
    cache.clear()

    own = form_page(client, mine)
    other = form_page(client, theirs)

    assert f'id="id_level_{first.pk}_4" checked' in own
    assert "只給我看" in own
    assert f'name="done_{first.pk}_{code}" id="id_done_{first.pk}_{code}" checked' in own
    assert "只給我看" not in other
    assert " checked" not in other
    assert f"level_{first.pk}" not in other  # their own ratings' names only
    theirs_first = ratings(theirs)[0]
    assert f'name="level_{theirs_first.pk}" value="4"' in other


def test_each_language_has_its_own_blocks(client, standard, alice):
    assessment = assign(standard, alice)
    cache.clear()

    chinese = form_page(client, assessment)
    english = form_page(client, assessment, "en")
    chinese_again = form_page(client, assessment)

    assert "行為指標" in chinese and "Behaviour indicators" not in chinese
    assert "Behaviour indicators" in english and "行為指標" not in english
    assert chinese_again == chinese


def test_the_standards_texts_are_escaped_in_the_block(client, standard, alice):
    assessment = assign(standard, alice)
    first = ratings(assessment)[0]
    indicator = first.task.indicators.first()
    # Written past the lock, as a migration or a database console could.
    BehaviourIndicator.objects.filter(pk=indicator.pk).update(text='<img src=x onerror="1">')
    cache.clear()

    page = form_page(client, assessment)

    assert '<img src=x onerror="1">' not in page
    assert "&lt;img src=x onerror=&quot;1&quot;&gt;" in page


def test_a_block_has_a_slot_for_each_answer_and_nothing_personal():
    texts = TaskTexts(indicators=(TaskText("P1.1", "做得到"), TaskText("P1.2", "也做得到")))

    parts = render_block(texts)

    slots = parts[1::2]
    assert {"pk", "level", "comment", "done:P1.1", "done:P1.2", "evidence_files"} <= set(slots)
    assert "做得到" in "".join(parts[::2])
    assert not any(MARK in part for part in parts)
