"""notification_send: every e-mail once per event, in its recipient's language, plain
text and HTML, through a real SMTP server; a failed send is recorded and retried."""

import pytest
from django.contrib.auth.models import User

from notifications.models import Notification
from notifications.services import NO_ADDRESS, notification_send

pytestmark = pytest.mark.django_db


def invite(user: User, *, key: str = "invitation:test", language: str | None = None):
    return notification_send(
        recipient=user,
        kind=Notification.Kind.INVITATION,
        event_key=key,
        language=language,
        context={"employee": user.employee, "username": user.username, "link": "https://x/l"},
    )


@pytest.fixture
def alice_user(alice) -> User:
    User.objects.filter(pk=alice.user_id).update(email="alice@example.com")
    return User.objects.get(pk=alice.user_id)


def test_a_message_goes_through_the_smtp_server_as_text_and_html(smtp_server, alice_user):
    notification = invite(alice_user)

    [message] = smtp_server.messages
    assert notification.is_sent and notification.attempts == 1
    assert message["To"] == "alice@example.com"
    assert message["Subject"] == "您已受邀使用職能平台"
    assert "https://x/l" in smtp_server.body(message, "plain")
    assert 'href="https://x/l"' in smtp_server.body(message, "html")
    assert "王愛麗" in smtp_server.body(message, "plain")


def test_a_message_is_written_in_the_recipients_language(smtp_server, alice_user):
    invite(alice_user, language="en")

    [message] = smtp_server.messages
    assert message["Subject"] == "You are invited to the competency portal"
    assert "Hello 王愛麗," in smtp_server.body(message, "plain")


def test_the_same_event_is_never_sent_twice(smtp_server, alice_user):
    first = invite(alice_user)
    again = invite(alice_user)

    assert len(smtp_server.messages) == 1
    assert again.pk == first.pk and again.attempts == 1
    assert Notification.objects.count() == 1


def test_a_refused_message_is_recorded_and_sent_by_the_next_call(smtp_server, alice_user):
    smtp_server.refuse = True
    failed = invite(alice_user)
    smtp_server.refuse = False
    retried = invite(alice_user)

    assert not failed.is_sent and "550" in failed.last_error
    assert retried.pk == failed.pk and retried.is_sent
    assert retried.attempts == 2 and retried.last_error == ""
    assert len(smtp_server.messages) == 1


def test_an_unreachable_mail_server_is_recorded_as_a_failure(smtp_unreachable, alice_user):
    notification = invite(alice_user)

    assert not notification.is_sent
    assert notification.last_error
    assert Notification.objects.get().attempts == 1


def test_a_recipient_without_an_address_is_recorded_as_a_failure(smtp_server, alice):
    notification = invite(User.objects.get(pk=alice.user_id))

    assert not notification.is_sent and notification.last_error == NO_ADDRESS
    assert smtp_server.messages == []
