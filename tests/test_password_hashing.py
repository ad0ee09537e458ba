"""Passwords are stored with Argon2id at OWASP's minimum; older hashes move over at login."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher, make_password
from django.contrib.auth.models import User
from django.urls import reverse

from portal.hashers import OwaspArgon2idPasswordHasher

pytestmark = pytest.mark.django_db

OWASP_MINIMUM = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


@pytest.fixture
def real_hashers(settings):
    """The production hashers (the suite otherwise hashes with MD5, for speed)."""
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS


PRODUCTION_HASHERS = list(django_settings.PASSWORD_HASHERS)


def test_the_portal_prefers_argon2id_at_owasps_minimum():
    assert PRODUCTION_HASHERS[0] == "portal.hashers.OwaspArgon2idPasswordHasher"
    assert make_password("demo1234", hasher=OwaspArgon2idPasswordHasher()).startswith(OWASP_MINIMUM)


def test_a_new_password_is_stored_with_argon2id(real_hashers):
    user = User.objects.create_user("alice", password="correct horse battery")

    assert user.password.startswith(OWASP_MINIMUM)
    assert user.check_password("correct horse battery")


OLDER_HASHES = {
    # Django's default before: about a second of CPU per login on this project's servers.
    "pbkdf2": lambda password: make_password(password, hasher="pbkdf2_sha256"),
    # Argon2 with Django's own parameters (100 MiB, eight lanes).
    "argon2 at Django's parameters": lambda password: Argon2PasswordHasher().encode(
        password, "saltsaltsalt"
    ),
}


@pytest.mark.parametrize("older_hash", OLDER_HASHES.values(), ids=OLDER_HASHES.keys())
def test_an_older_hash_is_stored_again_with_argon2id_at_the_next_login(
    real_hashers, client, older_hash
):
    user = User.objects.create(username="bob", password=older_hash("correct horse battery"))

    response = client.post(
        reverse("login"), {"username": "bob", "password": "correct horse battery"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith(OWASP_MINIMUM)
    assert identify_hasher(user.password).algorithm == "argon2"
