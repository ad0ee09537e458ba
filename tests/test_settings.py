"""Settings read strictly from the environment: a bad value stops start-up."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.release import release_digest
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


def read_settings(expression: str, **env: str) -> subprocess.CompletedProcess:
    """Print `expression` of the settings `s` and Celery app `app` in a fresh interpreter."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            f"from portal.celery import app; print({expression})",
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


SHARED = (
    "s.CACHES['default']['BACKEND'], s.CACHES['default'].get('KEY_PREFIX'), s.SESSION_ENGINE, "
    "app.conf.broker_url, app.conf.task_always_eager, "
    "app.conf.broker_transport_options.get('global_keyprefix')"
)


def test_without_redis_url_nothing_is_shared_and_jobs_run_inline():
    result = read_settings(SHARED)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "django.core.cache.backends.locmem.LocMemCache None "
        "django.contrib.sessions.backends.db None True None"
    )


def test_redis_url_shares_the_cache_sessions_and_celery_under_one_prefix():
    result = read_settings(SHARED, REDIS_URL="redis://10.0.0.5:6379/2", REDIS_KEY_PREFIX="hr")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "django.core.cache.backends.redis.RedisCache hr "
        "django.contrib.sessions.backends.cached_db redis://10.0.0.5:6379/2 False hr:celery:"
    )


def test_jobs_are_acknowledged_late_and_requeued_when_their_worker_dies():
    result = read_settings(
        "app.conf.task_acks_late, app.conf.task_reject_on_worker_lost, "
        "app.conf.worker_prefetch_multiplier, app.conf.broker_transport_options",
        REDIS_URL="redis://127.0.0.1:6379/0",
        JOB_VISIBILITY_SECONDS="600",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "True True 1 {'global_keyprefix': 'portal:celery:', 'visibility_timeout': 600, "
        "'unacked_restore_interval': 10, 'unacked_restore_throttle': 1}"
    )


@pytest.mark.parametrize(
    "env",
    [
        {"REDIS_URL": "127.0.0.1:6379"},
        {"REDIS_URL": "http://127.0.0.1:6379"},
        {"REDIS_KEY_PREFIX": "my prefix"},
        {"STORAGE_OPTIONS": "[1, 2]"},
        {"STORAGE_OPTIONS": "{bad json"},
        {"EXPORT_BACKGROUND_ASSESSMENTS": "0"},
    ],
)
def test_a_bad_redis_or_storage_setting_stops_start_up(env):
    result = read_settings("1", **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_the_storage_of_job_files_comes_from_the_environment(tmp_path):
    result = read_settings(
        "s.STORAGES['default'], s.MEDIA_ROOT",
        STORAGE_BACKEND="django.core.files.storage.FileSystemStorage",
        STORAGE_OPTIONS=f'{{"location": "{tmp_path}"}}',
        MEDIA_ROOT="/srv/portal/media",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "{'BACKEND': 'django.core.files.storage.FileSystemStorage', "
        f"'OPTIONS': {{'location': '{tmp_path}'}}}} /srv/portal/media"
    )


def test_a_shared_cache_keeps_each_releases_keys_apart():
    result = read_settings(
        "s.CACHES['default']['VERSION'] == __import__('portal.release').release"
        ".release_digest(s.BASE_DIR)",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_the_release_digest_follows_the_code_templates_and_translations_only(tmp_path):
    for name, text in [
        ("standards/views.py", "x = 1"),
        ("templates/standards/page.html", "<p>{{ x }}</p>"),
        ("locale/zh_Hant/LC_MESSAGES/django.mo", "mo"),
        ("tests/test_x.py", "assert True"),
        ("media/evidence/a.pdf", "%PDF"),
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    first = release_digest(tmp_path)

    (tmp_path / "tests/test_x.py").write_text("assert 1")
    (tmp_path / "media/evidence/b.pdf").write_text("%PDF")
    assert release_digest(tmp_path) == first
    for name in ["standards/views.py", "templates/standards/page.html"]:
        before = release_digest(tmp_path)
        (tmp_path / name).write_text("changed")
        assert release_digest(tmp_path) != before
    before = release_digest(tmp_path)
    (tmp_path / "locale/zh_Hant/LC_MESSAGES/django.mo").write_bytes(b"new")
    assert release_digest(tmp_path) != before
