"""The production profile: what `DEBUG=false` turns on, checked on real responses."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INLINE_HANDLER = re.compile(r"\son[a-z]+=")

# Runs in a fresh interpreter, so that settings are read from a production environment.
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings, setup_test_environment
setup_test_environment()
# The manifest storage needs collectstatic; the headers do not depend on it.
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
response = Client().get("/accounts/login/", secure=True, HTTP_HOST="portal.example")
cookie = response.cookies["csrftoken"]
print(json.dumps({
    "status": response.status_code,
    "headers": dict(response.headers),
    "csrf_cookie": {"secure": bool(cookie["secure"]), "samesite": cookie["samesite"]},
    "session_cookie": [settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY,
                       settings.SESSION_COOKIE_SAMESITE],
    "plain_http": Client().get("/standards/", HTTP_HOST="portal.example").status_code,
}))
"""


def production_env(tmp_path: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portal.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}",
    }


@pytest.fixture(scope="module")
def probe(tmp_path_factory) -> dict:
    env = production_env(tmp_path_factory.mktemp("production"))
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_responses_carry_the_security_headers(probe):
    headers = probe["headers"]

    assert probe["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_content_security_policy_allows_no_inline_or_foreign_script(probe):
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in probe["headers"]["Content-Security-Policy"].split(";")
    )

    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"


def test_cookies_are_secure_httponly_and_same_site(probe):
    assert probe["csrf_cookie"] == {"secure": True, "samesite": "Lax"}
    assert probe["session_cookie"] == [True, True, "Lax"]


def test_plain_http_is_redirected_to_https(probe):
    assert probe["plain_http"] == 301


def test_check_deploy_reports_nothing(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        for line in path.read_text(encoding="utf-8").splitlines()
        if ("<script" in line and " src=" not in line) or INLINE_HANDLER.search(line)
    ]

    assert offenders == []


# -- Personal pages are never cached, sessions expire, errors are logged ----------------

PRIVATE_URLS = [
    "/assessments/",
    "/assessments/my-data/",
    "/assessments/my-data.csv",
    "/assessments/my-data.json",
    "/reports/",
    "/admin/",
    "/standards/",  # a public page, but shown to a logged-in user
]


def cache_directives(response) -> set[str]:
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_personal_pages_and_downloads_are_never_stored_by_a_cache(client, sophie, url):
    client.force_login(sophie.user)

    response = client.get(url)

    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_directives(response)


@pytest.mark.django_db
def test_the_result_page_is_never_stored_by_a_cache(client, standard, alice):
    from assessments.services import RatingInput, assessment_save
    from tests.assessments.helpers import assign, ratings

    assessment = assign(standard, alice)
    assessment_save(
        assessment=assessment,
        version=0,
        ratings={r.pk: RatingInput(self_level=3) for r in ratings(assessment)},
        submit=True,
    )
    client.force_login(alice.user)

    response = client.get(f"/assessments/{assessment.pk}/result/")

    assert {"private", "no-store"} <= cache_directives(response)


@pytest.mark.django_db
def test_the_public_catalogue_stays_cacheable_for_anonymous_visitors(client):
    response = client.get("/standards/")

    assert response.status_code == 200
    assert "no-store" not in cache_directives(response)


def session_expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_session_expires_after_a_working_day_by_default():
    from django.conf import settings as django_settings

    assert django_settings.SESSION_COOKIE_AGE == 9 * 60 * 60


@pytest.mark.django_db
def test_working_moves_the_sessions_expiry_forward(client, alice):
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from portal.middleware import SESSION_REFRESH_SECONDS, SESSION_REFRESHED

    client.force_login(alice.user)
    session = client.session
    session[SESSION_REFRESHED] -= SESSION_REFRESH_SECONDS
    session.save()
    # As if the working day were nearly over.
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(seconds=60)
    )
    before = session_expiry(client)

    response = client.get("/assessments/")

    assert response.cookies["sessionid"]["max-age"] == 9 * 60 * 60
    assert (session_expiry(client) - before).total_seconds() > 8 * 60 * 60


@pytest.mark.django_db
def test_a_session_is_not_written_again_within_minutes_of_the_last_write(client, alice):
    client.force_login(alice.user)
    before = session_expiry(client)

    response = client.get("/assessments/")

    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert session_expiry(client) == before


@pytest.mark.django_db
def test_an_unhandled_error_in_a_view_is_logged_with_its_traceback(caplog, alice, monkeypatch):
    from django.test import Client

    from assessments import views

    def broken(*args, **kwargs):
        raise RuntimeError("the database fell over")

    monkeypatch.setattr(views, "own_assessments", broken)
    client = Client(raise_request_exception=False)
    client.force_login(alice.user)

    response = client.get("/assessments/")

    assert response.status_code == 500
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelname == "ERROR"
    assert record.exc_info[0] is RuntimeError
    assert "the database fell over" in caplog.text
    assert "Traceback" in caplog.text


# A view that fails, served by the production settings in a fresh interpreter.
BROKEN = """
import django
django.setup()
from django.test import Client
from django.test.utils import override_settings, setup_test_environment
from django.urls import path

def broken(request):
    raise RuntimeError("the database fell over")

urlpatterns = [path("broken/", broken)]
setup_test_environment()
with override_settings(ROOT_URLCONF=__name__):
    status = Client(raise_request_exception=False).get(
        "/broken/", secure=True, HTTP_HOST="portal.example"
    ).status_code
print("status", status)
"""


def test_production_logs_an_unhandled_error_with_its_traceback_to_stderr(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", BROKEN],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
    )

    assert "status 500" in result.stdout, result.stderr
    assert "ERROR django.request Internal Server Error: /broken/" in result.stderr
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: the database fell over" in result.stderr
