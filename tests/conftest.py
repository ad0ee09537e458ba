"""Shared fixtures: the personas of the access matrix, the built-in standard, and the
way to build read-only data once per test module (`built_for_module`).

alice (employee) and bob (employee) report to carol (manager); dave manages another
team with erin in it; hannah is HR staff; stan is a staff account with no permission
at all; sophie is a superuser. Tests log in with `client.force_login` (django-axes
wants a request on every authenticate() call). Standards are built by tests/factories.py.
"""

import hashlib
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.db import IntegrityError
from django.db.models import Model, ProtectedError, Q, RestrictedError
from django.db.models.signals import post_migrate
from django.test import override_settings
from pytest_django import Settings

from assessments.models import Department, Employee
from common.hr_group import HR_GROUP
from standards.models import Standard
from tests.factories import sample_standard
from tests.mail import Inbox, free_port, start_smtp_server

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[1]
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Every concrete table, for deleting what a module fixture added.
TABLES = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]


def pytest_configure(config: pytest.Config) -> None:
    """On SQLite, the test database is a file rather than in memory, so that a Celery
    worker started by a test (tests/jobs) can open the same database; pytest-xdist gives
    each of its processes its own file."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and not database.get("TEST", {}).get(
        "NAME"
    ):
        folder = Path(tempfile.gettempdir())
        tree = hashlib.sha256(str(ROOT).encode()).hexdigest()[:8]
        database.setdefault("TEST", {})["NAME"] = str(folder / f"portal-test-{tree}.sqlite3")
        # A throwaway database need not survive a power cut: no waiting for the disk.
        database.setdefault("OPTIONS", {})["init_command"] = "PRAGMA synchronous=OFF"


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Uploaded files go to a folder of the test run's own, never the checkout's media/."""
    root = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=root):
        yield root


@pytest.fixture(scope="session", autouse=True)
def hr_group_survives_flushes(django_db_setup: None, django_db_blocker: Any) -> None:
    """A transactional test (a real worker's, the backup's) ends with a flush, which
    deletes what the migrations wrote, the HR group's permissions included; Django then
    sends post_migrate, on which the group gets its permissions back, so a later test
    of the same process finds HR as the migrations left it."""
    with django_db_blocker.unblock():
        grants = list(
            Permission.objects.filter(group__name=HR_GROUP).values_list(
                "content_type__app_label", "codename"
            )
        )
    last_app = list(apps.get_app_configs())[-1]

    def restore(sender: Any, **kwargs: Any) -> None:
        if sender is not last_app or Group.objects.filter(name=HR_GROUP).exists():
            return
        group = Group.objects.create(name=HR_GROUP)
        wanted = Q()
        for app_label, codename in grants:
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))

    post_migrate.connect(restore, weak=False, dispatch_uid="tests-hr-group-after-flush")


@pytest.fixture(autouse=True)
def plain_static_storage(settings: Settings) -> None:
    """Serve {% static %} without a collectstatic manifest, whatever DEBUG was at start-up."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def own_cache(settings: Settings, request: pytest.FixtureRequest) -> None:
    """A fresh local-memory cache for each test: rolled-back data can come back under the
    same catalogue version, and a page cached by an earlier test must not answer."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{request.node.nodeid}",
        }
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    """Personas log in by force_login; a slow hasher would only cost time."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def quick_pdf_renderer(monkeypatch):
    """For the access matrices, which test who gets a PDF, not what is in it (that is
    tests/standards/test_pdf.py and tests/reports/test_pdf.py): a stand-in for
    WeasyPrint that returns the HTML it was given, so a matrix renders no real PDF."""
    from common import pdf

    monkeypatch.setattr(pdf, "_renderer", lambda: lambda html, base_url: html.encode())


@pytest.fixture
def smtp_server(settings: Settings) -> Iterator[Inbox]:
    """A real SMTP server on loopback (aiosmtpd) that Django's SMTP backend sends to."""
    inbox = Inbox()
    controller = start_smtp_server(inbox)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_unreachable(settings: Settings) -> None:
    """Django's SMTP backend pointed at a loopback port nobody listens on."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def standard(db) -> Standard:
    """AVA4322-001v4, published: 5 duties, 20 tasks; imported afresh for each test."""
    return sample_standard("AVA4322-001v4")


def standard_once_per_module(name: str, build: Callable[[], Standard]) -> tuple:
    """Fixtures for a module whose tests only read one standard: `build` runs once for the
    module (`module_standard`, see `built_for_module`) and the fixture `name` gives each
    test a fresh instance of it. Unpack them into the module:
    `module_standard, draft = standard_once_per_module("draft", …)`."""

    @pytest.fixture(scope="module")
    def module_standard(django_db_setup, django_db_blocker) -> Iterator[Standard]:
        with built_for_module(django_db_blocker, build) as standard:
            yield standard

    # The module fixture is a parameter, not a getfixturevalue() call: so it is built
    # before the test's transaction starts, not inside it (and rolled back with it).
    @pytest.fixture(name=name)
    def fresh(module_standard: Standard, db) -> Standard:
        return Standard.objects.get(pk=module_standard.pk)

    return module_standard, fresh


@contextmanager
def built_for_module(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """Build data once for a test module, outside the tests' transactions; afterwards
    delete every row that the build added, in every table (history included).

    pytest-django's documented pattern for module data: a module-scoped fixture using
    `django_db_setup` and `django_db_blocker.unblock()`. Each test still runs in its own
    rolled-back transaction, so a test may change the data; but the data is committed:
    it is there for every later test of the module, even one that never asked for it.
    Use it only where every test of the module is fine with that, never in a module with
    transactional tests (`transaction=True`, `live_server`), whose flush would delete it.
    """
    with django_db_blocker.unblock():
        before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in TABLES}
    try:
        with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            built = build()
        yield built
    finally:
        with django_db_blocker.unblock():
            delete_rows_added_since(before)


def delete_rows_added_since(before: dict[type[Model], set[Any]]) -> None:
    # Deleting a row may be refused while rows pointing at it are left (a standard
    # protects its classifications) and may add rows (history records a deletion), so
    # go round until nothing new is left.
    for _ in range(5):
        added = [m._base_manager.exclude(pk__in=pks) for m, pks in before.items()]
        added = [rows for rows in added if rows.exists()]
        if not added:
            return
        for rows in added:
            try:
                rows.delete()
            except (ProtectedError, RestrictedError, IntegrityError):
                pass
    raise AssertionError(f"module data left behind: {[rows.model for rows in added]}")


DEPARTMENTS = {"production": ("PM", "生產管理部"), "sales": ("SA", "業務部")}
# username: employee number, name, department, manager.
PEOPLE = {
    "carol": ("M001", "陳卡蘿", "production", None),
    "alice": ("E001", "王愛麗", "production", "carol"),
    "bob": ("E002", "林鮑伯", "production", "carol"),
    "dave": ("M002", "張大衛", "sales", None),
    "erin": ("E003", "李艾琳", "sales", "dave"),
    "hannah": ("H001", "黃漢娜", None, None),
    "stan": ("S900", "施坦", None, None),
    "sophie": ("S999", "蘇菲", None, None),
}


def make_department(name: str) -> Department:
    """The department `name` of DEPARTMENTS ("production" or "sales")."""
    code, title = DEPARTMENTS[name]
    return Department.objects.create(code=code, name=title)


def make_persona(username: str) -> Employee:
    """The persona `username` of PEOPLE; their department and manager must exist already."""
    number, name, department, manager = PEOPLE[username]
    employee = make_employee(
        username,
        number,
        name,
        department and Department.objects.get(code=DEPARTMENTS[department][0]),
        manager and Employee.objects.get(user__username=manager),
        is_staff=username in ("hannah", "stan", "sophie"),
    )
    if username == "hannah":
        group, _ = Group.objects.get_or_create(name="HR")
        employee.user.groups.add(group)
    if username == "sophie":
        User.objects.filter(pk=employee.user_id).update(is_superuser=True)
        employee.user.refresh_from_db()
    return employee


def make_employee(
    username: str,
    number: str,
    name: str,
    department: Department | None = None,
    manager: Employee | None = None,
    *,
    is_staff: bool = False,
    job_title: str = "",
) -> Employee:
    user = User.objects.create_user(username, password="password", is_staff=is_staff)
    return Employee.objects.create(
        user=user,
        employee_number=number,
        name=name,
        department=department,
        manager=manager,
        job_title=job_title,
    )


@pytest.fixture
def production(db) -> Department:
    return make_department("production")


@pytest.fixture
def sales(db) -> Department:
    return make_department("sales")


@pytest.fixture
def carol(production) -> Employee:
    """A manager."""
    return make_persona("carol")


@pytest.fixture
def alice(production, carol) -> Employee:
    """An employee reporting to carol."""
    return make_persona("alice")


@pytest.fixture
def bob(production, carol) -> Employee:
    """Another employee reporting to carol."""
    return make_persona("bob")


@pytest.fixture
def dave(sales) -> Employee:
    """The manager of another team."""
    return make_persona("dave")


@pytest.fixture
def erin(sales, dave) -> Employee:
    """An employee in dave's team."""
    return make_persona("erin")


@pytest.fixture
def hannah(db) -> Employee:
    """HR staff: staff user in the HR group."""
    return make_persona("hannah")


@pytest.fixture
def stan(db) -> Employee:
    """A staff account with no permission and no group."""
    return make_persona("stan")


@pytest.fixture
def sophie(db) -> Employee:
    """A superuser."""
    return make_persona("sophie")
