"""Logging in and out, changing one's password, and the throttling of failed logins."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

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
