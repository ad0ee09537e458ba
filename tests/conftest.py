"""Shared fixtures: the personas of the access matrix and the built-in standard.

alice (employee) and bob (employee) report to carol (manager); dave manages another
team with erin in it; hannah is HR staff; stan is a staff account with no permission
at all; sophie is a superuser. Tests log in with `client.force_login` (django-axes
wants a request on every authenticate() call).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from pytest_django import Settings

from assessments.models import Department, Employee
from standards.models import Standard
from tests.factories import sample_standard

T = TypeVar("T")
# Every table of the standards app, the history of its contents included.
LIBRARY = list(apps.get_app_config("standards").get_models())


@pytest.fixture(autouse=True)
def plain_static_storage(settings: Settings) -> None:
    """Serve {% static %} without a collectstatic manifest, whatever DEBUG was at start-up."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    """Personas log in by force_login; a slow hasher would only cost time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def standard(db) -> Standard:
    """AVA4322-001v4, published: 5 duties, 20 tasks; imported afresh for each test."""
    return sample_standard("AVA4322-001v4")


@pytest.fixture(scope="module")
def read_only_standard(django_db_setup, django_db_blocker) -> Iterator[Standard]:
    """AVA4322-001v4, published, imported once for a whole test module.

    A module whose tests only read the standard overrides `standard` with this one.
    """
    with built_for_module(django_db_blocker, lambda: sample_standard("AVA4322-001v4")) as built:
        yield built


@contextmanager
def built_for_module(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """Build standards once for a test module, outside the tests' transactions; afterwards
    delete every row of the standards app (history included) that the build added.

    pytest-django's documented pattern for module data (a module-scoped fixture using
    `django_db_setup` and `django_db_blocker.unblock()`). Each test still runs in its own
    rolled-back transaction, so a test may change the data; but the data is committed, so
    it is there for every later test of the module, even one that never asked for it:
    use this only where every test of the module is fine with that. Transactional tests
    (`transaction=True`, `live_server`) must not use it: their flush would delete it.
    """
    with django_db_blocker.unblock():
        before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in LIBRARY}
        built = build()
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            # The standards first: they protect their classifications; deleting them
            # records history rows, which the loop then deletes with the rest.
            Standard._base_manager.exclude(pk__in=before[Standard]).delete()
            for model, pks in before.items():
                model._base_manager.exclude(pk__in=pks).delete()


@pytest.fixture
def production(db) -> Department:
    return Department.objects.create(code="PM", name="生產管理部")


@pytest.fixture
def sales(db) -> Department:
    return Department.objects.create(code="SA", name="業務部")


def make_employee(
    username: str,
    number: str,
    name: str,
    department: Department | None = None,
    manager: Employee | None = None,
    *,
    is_staff: bool = False,
) -> Employee:
    user = User.objects.create_user(username, password="password", is_staff=is_staff)
    return Employee.objects.create(
        user=user, employee_number=number, name=name, department=department, manager=manager
    )


@pytest.fixture
def carol(production) -> Employee:
    """A manager."""
    return make_employee("carol", "M001", "陳卡蘿", production)


@pytest.fixture
def alice(production, carol) -> Employee:
    """An employee reporting to carol."""
    return make_employee("alice", "E001", "王愛麗", production, carol)


@pytest.fixture
def bob(production, carol) -> Employee:
    """Another employee reporting to carol."""
    return make_employee("bob", "E002", "林鮑伯", production, carol)


@pytest.fixture
def dave(sales) -> Employee:
    """The manager of another team."""
    return make_employee("dave", "M002", "張大衛", sales)


@pytest.fixture
def erin(sales, dave) -> Employee:
    """An employee in dave's team."""
    return make_employee("erin", "E003", "李艾琳", sales, dave)


@pytest.fixture
def hannah(db) -> Employee:
    """HR staff: staff user in the HR group."""
    employee = make_employee("hannah", "H001", "黃漢娜", is_staff=True)
    group, _ = Group.objects.get_or_create(name="HR")
    employee.user.groups.add(group)
    return employee


@pytest.fixture
def stan(db) -> Employee:
    """A staff account with no permission and no group."""
    return make_employee("stan", "S900", "施坦", is_staff=True)


@pytest.fixture
def sophie(db) -> Employee:
    """A superuser."""
    employee = make_employee("sophie", "S999", "蘇菲", is_staff=True)
    User.objects.filter(pk=employee.user_id).update(is_superuser=True)
    employee.user.refresh_from_db()
    return employee
