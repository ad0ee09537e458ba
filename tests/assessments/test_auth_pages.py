"""Logging in and out, changing one's password, and the throttling of failed logins."""

import re

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_the_login_page_uses_the_portal_layout(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert [t.name for t in response.templates][:2] == ["registration/login.html", "base.html"]
    assert 'name="username"' in response.content.decode()


def test_an_employee_logs_in_and_lands_on_my_assessments(client, alice):
    response = client.post(
        reverse("login"), {"username": "alice", "password": "password"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("assessments:mine")
    assert response.context["user"] == alice.user


def test_a_wrong_password_shows_the_error_on_the_login_page(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'class="notice error"' in response.content.decode()


def test_repeated_failed_logins_are_throttled_with_a_clear_message(client, alice, settings):
    settings.AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})

    # Even the right password is refused while the block lasts.
    response = client.post(reverse("login"), {"username": "alice", "password": "password"})

    assert response.status_code == 429
    assert "registration/lockout.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in client.session


def test_logging_out_shows_the_logged_out_page(client, alice, settings):
    settings.LOGOUT_REDIRECT_URL = None
    client.force_login(alice.user)

    response = client.post(reverse("logout"))

    assert response.status_code == 200
    assert [t.name for t in response.templates][:2] == ["registration/logged_out.html", "base.html"]


def test_an_employee_changes_their_password(client, alice):
    client.force_login(alice.user)
    assert client.get(reverse("password_change")).status_code == 200

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "password",
            "new_password1": "a-much-longer-secret-42",
            "new_password2": "a-much-longer-secret-42",
        },
        follow=True,
    )

    assert [t.name for t in response.templates][:2] == [
        "registration/password_change_done.html",
        "base.html",
    ]
    alice.user.refresh_from_db()
    assert alice.user.check_password("a-much-longer-secret-42")


def fail_logins(client, username: str, **headers) -> None:
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": username, "password": "wrong"}, **headers)


def log_in(client, username: str, **headers) -> int:
    response = client.post(
        reverse("login"), {"username": username, "password": "password"}, **headers
    )
    return response.status_code


def test_without_a_proxy_the_lockout_keys_on_the_connections_address(client, alice, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    # A forged header changes nothing: the connection's own address is the client's.
    fail_logins(client, "alice", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")

    assert (
        log_in(client, "alice", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.9.9.9") == 429
    )
    assert log_in(client, "alice", REMOTE_ADDR="203.0.113.8") == 302


PROXY = "10.0.0.2"


def test_behind_the_proxy_one_client_locked_out_does_not_lock_out_another(client, alice, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    fail_logins(client, "alice", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")

    assert log_in(client, "alice", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1") == 429
    assert log_in(client, "alice", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2") == 302


def test_behind_the_proxy_a_forged_forwarded_entry_cannot_escape_the_lockout(
    client, alice, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    fail_logins(client, "alice", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")

    # The client sends its own X-Forwarded-For; the proxy appends the real address.
    forged = "198.51.100.99, 198.51.100.1"

    assert log_in(client, "alice", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forged) == 429


def test_two_trusted_proxies_count_from_the_right(rf, settings):
    from portal.middleware import client_ip

    settings.TRUSTED_PROXY_COUNT = 2
    request = rf.get(
        "/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1, 10.0.0.2"
    )

    assert client_ip(request) == "198.51.100.1"


def test_the_login_page_links_to_the_password_reset(client):
    html = client.get(reverse("login")).content.decode()

    assert f'href="{reverse("password_reset")}"' in html


@pytest.fixture(autouse=True)
def empty_cache():
    """The password reset counts live in the cache, which outlives a test."""
    cache.clear()


@pytest.fixture
def alice_with_email(alice):
    alice.user.email = "alice@example.com"
    alice.user.save()
    return alice


def test_a_password_reset_mails_a_link_that_sets_a_new_password(
    client, alice_with_email, mailoutbox
):
    response = client.post(reverse("password_reset"), {"email": "alice@example.com"})

    assert response.status_code == 302
    [mail] = mailoutbox
    assert mail.to == ["alice@example.com"]
    link = next(line for line in mail.body.splitlines() if "/accounts/reset/" in line)
    form = client.get(link, follow=True)
    assert form.context["validlink"]
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-much-longer-secret-42", "new_password2": "a-much-longer-secret-42"},
    )
    alice_with_email.user.refresh_from_db()
    assert alice_with_email.user.check_password("a-much-longer-secret-42")


def test_the_password_reset_pages_are_in_chinese(client):
    html = client.get(reverse("password_reset")).content.decode()

    assert "忘記密碼" in html
    assert [t.name for t in client.get(reverse("password_reset")).templates][:2] == [
        "registration/password_reset_form.html",
        "base.html",
    ]


def test_password_resets_are_limited_per_client_address(
    client, alice_with_email, mailoutbox, settings
):
    settings.PASSWORD_RESET_PER_HOUR = 3
    for number in range(3):
        client.post(reverse("password_reset"), {"email": f"someone{number}@example.com"})

    response = client.post(reverse("password_reset"), {"email": "alice@example.com"})

    assert response.status_code == 429
    assert mailoutbox == []
    other = client.post(
        reverse("password_reset"), {"email": "alice@example.com"}, REMOTE_ADDR="203.0.113.8"
    )
    assert other.status_code == 302


def test_password_resets_are_limited_per_e_mail_address(
    client, alice_with_email, mailoutbox, settings
):
    settings.PASSWORD_RESET_PER_HOUR = 3
    for number in range(3):
        client.post(
            reverse("password_reset"),
            {"email": "Alice@example.com"},
            REMOTE_ADDR=f"203.0.113.{number + 10}",
        )

    response = client.post(
        reverse("password_reset"), {"email": "alice@example.com"}, REMOTE_ADDR="203.0.113.99"
    )

    assert response.status_code == 429
    assert len(mailoutbox) == 3


def test_a_password_reset_answers_the_same_whether_or_not_the_address_exists(
    client, alice_with_email, mailoutbox
):
    known = client.post(reverse("password_reset"), {"email": "alice@example.com"}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)

    assert known.redirect_chain == unknown.redirect_chain
    assert without_tokens(known) == without_tokens(unknown)
    assert len(mailoutbox) == 1


def without_tokens(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_the_password_reset_works_in_english(client, alice_with_email, mailoutbox):
    # override() gives the language back afterwards: a request leaves its own active.
    with translation.override("zh-hant"):
        page = client.get("/en/accounts/password_reset/").content.decode()
        response = client.post("/en/accounts/password_reset/", {"email": "alice@example.com"})

    assert "Forgot your password?" in page
    assert response.status_code == 302
    assert "/en/accounts/reset/" in mailoutbox[0].body


def test_a_password_reset_is_recorded_without_its_token(client, alice_with_email, mailoutbox):
    from notifications.models import Notification

    client.post(reverse("password_reset"), {"email": "alice@example.com"})

    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/reset/" in line)
    token = link.rstrip("/").rsplit("/", 1)[1]
    record = Notification.objects.get(kind=Notification.Kind.PASSWORD_RESET)
    assert record.is_sent and record.address == "alice@example.com"
    assert token not in record.event_key and token not in record.subject
    assert mailoutbox[0].alternatives[0][1] == "text/html"
