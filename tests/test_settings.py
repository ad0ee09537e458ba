"""Settings read strictly from the environment: a bad value stops start-up."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings import envadmins, envint

ROOT = Path(__file__).resolve().parents[1]


def test_admins_are_read_from_name_and_address_pairs(monkeypatch):
    monkeypatch.setenv("ADMINS", "王小明 <ming@example.com>, Ops Team <ops@example.com>")

    assert envadmins("ADMINS") == [
        ("王小明", "ming@example.com"),
        ("Ops Team", "ops@example.com"),
    ]


def test_no_admins_is_allowed(monkeypatch):
    monkeypatch.delenv("ADMINS", raising=False)

    assert envadmins("ADMINS") == []


@pytest.mark.parametrize(
    "value",
    ["ops@example.com", "Ops <ops>", "Ops <ops@example.com", "Ops <a@b> trailing", "<a@b><c@d>"],
)
def test_a_malformed_admin_entry_is_refused(monkeypatch, value):
    monkeypatch.setenv("ADMINS", value)

    with pytest.raises(ImproperlyConfigured):
        envadmins("ADMINS")


@pytest.mark.parametrize("value", ["", "two", "1.5", "-1"])
def test_a_number_setting_must_be_a_whole_number_not_below_its_minimum(monkeypatch, value):
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", value)

    with pytest.raises(ImproperlyConfigured):
        envint("TRUSTED_PROXY_COUNT", "0")


def start(**env: str) -> subprocess.CompletedProcess:
    """Read the settings in a fresh interpreter with `env` on top of a plain environment."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_AGE, s.TRUSTED_PROXY_COUNT, s.ADMINS)",
        ],
        cwd=ROOT,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DEBUG": "true",
            "SECRET_KEY": secrets.token_urlsafe(50),
            **env,
        },
        capture_output=True,
        text=True,
    )


def test_the_session_idle_time_and_proxy_count_come_from_the_environment():
    result = start(SESSION_IDLE_SECONDS="3600", TRUSTED_PROXY_COUNT="1", ADMINS="Ops <o@p.tw>")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "3600 1 [('Ops', 'o@p.tw')]"


def test_a_bad_admins_value_stops_start_up():
    result = start(ADMINS="ops@example.com")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
