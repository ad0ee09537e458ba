"""My assessments marks new assignments and newly shared reviews until the employee
opens them."""

import pytest
from django.urls import reverse

from assessments.services import RatingInput, assessment_save
from reports.services import review_save, review_unshare
from tests.assessments.helpers import assign, open_cycle, ratings
from tests.factories import small_standard

pytestmark = pytest.mark.django_db


def markers(client) -> list[str]:
    html = client.get(reverse("assessments:mine")).content.decode()
    return [part.split('"')[0] for part in html.split('data-new="')[1:]]


def submitted(standard, employee, cycle=None):
    assessment = assign(standard, employee, cycle)
    assessment_save(
        assessment=assessment,
        version=0,
        ratings={r.pk: RatingInput(self_level=3) for r in ratings(assessment)},
        submit=True,
    )
    return assessment


def test_a_new_assignment_is_marked_new_until_the_employee_opens_it(client, alice):
    assessment = assign(small_standard(), alice)
    client.force_login(alice.user)

    assert markers(client) == ["assessment"]
    client.get(reverse("assessments:form", args=[assessment.pk]))

    assert markers(client) == []


def test_hr_or_the_manager_looking_at_it_does_not_take_the_marker_away(
    client, alice, carol, hannah
):
    assessment = submitted(small_standard(), alice)
    assessment.opened_at = None
    assessment.save()
    for reader in (carol, hannah):
        client.force_login(reader.user)
        client.get(reverse("assessments:result", args=[assessment.pk]))

    assessment.refresh_from_db()
    assert assessment.is_new


def test_a_shared_review_is_marked_new_until_the_employee_reads_it(client, alice, carol):
    assessment = submitted(small_standard(), alice)
    review_save(assessment=assessment, reviewer=carol, ratings={}, comment="不錯", share=True)
    client.force_login(alice.user)

    assert markers(client) == ["review"]
    client.get(reverse("reports:shared_review", args=[assessment.pk]))

    assert markers(client) == []


def test_an_unshared_review_is_not_shown_and_sharing_it_again_marks_it_new(client, alice, carol):
    assessment = submitted(small_standard(), alice)
    review = review_save(assessment=assessment, reviewer=carol, ratings={}, comment="", share=True)
    client.force_login(alice.user)
    client.get(reverse("reports:shared_review", args=[assessment.pk]))

    review_unshare(review=review)
    assert markers(client) == []
    assert (
        reverse("reports:shared_review", args=[assessment.pk])
        not in client.get(reverse("assessments:mine")).content.decode()
    )

    review_save(assessment=assessment, reviewer=carol, ratings={}, comment="", share=True)
    assert markers(client) == ["review"]


def test_the_manager_reading_the_review_page_does_not_take_the_marker_away(client, alice, carol):
    assessment = submitted(small_standard(), alice)
    review = review_save(assessment=assessment, reviewer=carol, ratings={}, comment="", share=True)
    client.force_login(carol.user)
    client.get(reverse("reports:shared_review", args=[assessment.pk]))

    review.refresh_from_db()
    assert review.is_new


def test_a_review_in_a_past_cycle_is_marked_too(client, alice, carol):
    cycle = open_cycle("去年")
    assessment = submitted(small_standard(), alice, cycle)
    cycle.closes_on = cycle.opens_on
    cycle.save()
    review_save(assessment=assessment, reviewer=carol, ratings={}, comment="", share=True)
    client.force_login(alice.user)

    assert markers(client) == ["review"]
