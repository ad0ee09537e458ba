"""The remind button beside someone not finished on the team dashboard: once a day per
person, POST with CSRF, a confirmation message, and the dashboard says when it went."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, Employee
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def frank(unfinished) -> Assessment:
    """frank (carol's team) has not started; he has an address."""
    User.objects.filter(username="frank").update(email="frank@example.com")
    return Assessment.objects.get(employee__user__username="frank")


def press(client, assessment: Assessment, **data: str):
    return client.post(reverse("reports:remind", args=[assessment.pk]), data, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_a_manager_reminds_someone_not_finished_and_is_told_it_went(
    client, carol, frank, mailoutbox
):
    client.force_login(carol.user)

    response = press(client, frank)

    [mail] = mailoutbox
    assert mail.to == ["frank@example.com"]
    assert "提醒" in mail.subject and "TST" not in mail.subject
    assert messages_of(response) == ["已寄出提醒給范克。"]
    assert response.redirect_chain[-1][0] == reverse("reports:dashboard")


def test_a_second_press_the_same_day_sends_nothing(client, carol, hannah, frank, mailoutbox):
    client.force_login(carol.user)
    press(client, frank)
    client.force_login(hannah.user)

    response = press(client, frank)

    assert len(mailoutbox) == 1
    assert messages_of(response) == ["今天已提醒過范克；每天提醒一次就夠了。"]


def test_the_dashboard_shows_when_the_last_reminder_went(client, carol, frank):
    client.force_login(carol.user)
    before = client.get(reverse("reports:dashboard")).content.decode()

    press(client, frank)
    after = client.get(reverse("reports:dashboard")).content.decode()

    assert "尚未提醒" in before
    sent = Notification.objects.get(kind=Notification.Kind.REMINDER).sent_at
    assert f"已於 {timezone.localtime(sent):%Y-%m-%d %H:%M} 提醒" in after
    assert f'action="{reverse("reports:remind", args=[frank.pk])}"' in after


def test_a_reminder_that_could_not_be_sent_says_so(client, carol, frank, mailoutbox):
    User.objects.filter(username="frank").update(email="")
    client.force_login(carol.user)

    response = press(client, frank)

    assert mailoutbox == []
    assert "無法寄出" in messages_of(response)[0]


def test_remind_goes_back_to_the_filtered_dashboard_but_never_to_another_site(client, carol, frank):
    client.force_login(carol.user)
    back = reverse("reports:dashboard") + f"?cycle={frank.cycle_id}"

    kept = client.post(reverse("reports:remind", args=[frank.pk]), {"next": back})
    refused = client.post(
        reverse("reports:remind", args=[frank.pk]), {"next": "https://evil.example/"}
    )

    assert kept["Location"] == back
    assert refused["Location"] == reverse("reports:dashboard")


def test_remind_is_a_post_only(client, carol, frank):
    client.force_login(carol.user)

    assert client.get(reverse("reports:remind", args=[frank.pk])).status_code == 405


def test_remind_without_the_csrf_token_is_refused(carol, frank, mailoutbox):
    client = Client(enforce_csrf_checks=True)
    client.force_login(carol.user)

    response = client.post(reverse("reports:remind", args=[frank.pk]))

    assert response.status_code == 403
    assert mailoutbox == []


def test_another_teams_manager_cannot_remind_this_team(client, dave, frank, mailoutbox):
    client.force_login(dave.user)

    assert press(client, frank).status_code == 404
    assert mailoutbox == []


def test_a_submitted_assessment_needs_no_reminder(client, carol, unfinished, mailoutbox):
    client.force_login(carol.user)

    response = press(client, unfinished.alice)

    assert mailoutbox == []
    assert messages_of(response) == ["這份自評已送出，不需要提醒。"]
    assert Employee.objects.filter(user__username="alice").exists()
