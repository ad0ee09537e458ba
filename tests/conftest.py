"""Shared fixtures: the personas of the access matrix and the built-in standards.

alice (employee) and bob (employee) report to carol (manager); dave manages another
team with erin in it; hannah is HR staff; stan is a staff account with no permission
at all; sophie is a superuser. Tests log in with `client.force_login` (django-axes
wants a request on every authenticate() call).
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from pytest_django import Settings

from assessments.models import Department, Employee
from standards.models import Standard
from standards.reader import read_document
from standards.services import standard_import

DATA = Path(__file__).resolve().parents[1] / "standards" / "data"


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


def import_sample(code: str, *, publish: bool = True) -> Standard:
    """Import one of the built-in sample documents through the real reader and importer."""
    path = DATA / f"{code}.txt"
    document = read_document(name=path.name, data=path.read_bytes())
    return standard_import(document=document, publish=publish).standard


@pytest.fixture
def standard(db) -> Standard:
    """AVA4322-001v4, published: 5 duties, 20 tasks."""
    return import_sample("AVA4322-001v4")


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
