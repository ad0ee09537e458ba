"""Every import and export page of every admin, for every persona: the model's permissions.

The admins are read from the admin site's registry, so a new import-export admin is in
this matrix the day it is registered. Import needs the model's add and change
permissions, export its view permission; the standards library also needs its own
import or export permission.
"""

from __future__ import annotations

import os
import tempfile

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.urls import reverse
from import_export.admin import ImportExportMixin

from assessments.models import Department
from common.admin import IMPORT_EXPIRED
from common.sessions import session_take

pytestmark = pytest.mark.django_db

IMPORT_EXPORT_MODELS = sorted(
    (
        model
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ImportExportMixin)
    ),
    key=lambda model: model._meta.label,
)
PAGES = ["import", "process_import", "export"]
LIBRARY_PERMISSION = {
    "import": "standards.import_standards",
    "export": "standards.export_standards",
}


def required_permissions(model: type[Model], page: str) -> list[str]:
    opts = model._meta
    kind = "export" if page == "export" else "import"
    actions = ["view"] if kind == "export" else ["add", "change"]
    permissions = [f"{opts.app_label}.{action}_{opts.model_name}" for action in actions]
    if opts.app_label == "standards":
        permissions.append(LIBRARY_PERMISSION[kind])
    return permissions


def request_page(client, model: type[Model], page: str):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}")
    if page == "process_import":
        # No pending file: an allowed user is sent back to the import page with a message.
        return client.post(url, {"import_file_name": "0" * 32, "format": "0"})
    return client.get(url)


# What a user allowed on the page gets: the page itself; process_import without a
# pending file sends them back to the import page.
ALLOWED_STATUS = {"import": 200, "process_import": 302, "export": 200}


def test_the_matrix_covers_every_import_export_admin_of_every_app():
    labels = {model._meta.label for model in IMPORT_EXPORT_MODELS}
    assert {
        "standards.Standard",
        "standards.Task",
        "standards.KnowledgeItem",
        "standards.SkillItem",
        "standards.Attitude",
        "assessments.Department",
        "assessments.Employee",
    } <= labels


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("model", IMPORT_EXPORT_MODELS, ids=lambda model: model._meta.label)
def test_staff_without_permissions_gets_403(client, stan, model, page):
    client.force_login(stan.user)

    assert request_page(client, model, page).status_code == 403


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("model", IMPORT_EXPORT_MODELS, ids=lambda model: model._meta.label)
def test_hr_opens_every_import_and_export_page(client, hannah, model, page):
    # HR holds every permission these pages need (see the test below).
    client.force_login(hannah.user)

    assert request_page(client, model, page).status_code == ALLOWED_STATUS[page]


def test_hr_may_import_and_export_the_library_and_the_staff_list(hannah):
    user = User.objects.get(pk=hannah.user_id)
    for model in IMPORT_EXPORT_MODELS:
        for page in PAGES:
            assert user.has_perms(required_permissions(model, page)), (model, page)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("model", IMPORT_EXPORT_MODELS, ids=lambda model: model._meta.label)
def test_superuser_opens_every_page(client, sophie, model, page):
    client.force_login(sophie.user)

    assert request_page(client, model, page).status_code == ALLOWED_STATUS[page]


# The preview's file waits in the session, named by a token; confirming takes it once.

DEPARTMENTS_CSV = b"code,name,parent\nQA,Quality,\n"


def preview_departments(client) -> str:
    response = client.post(
        reverse("admin:assessments_department_import"),
        {"import_file": SimpleUploadedFile("departments.csv", DEPARTMENTS_CSV), "format": "0"},
    )
    return response.context["confirm_form"].initial["import_file_name"]


def confirm_departments(client, token: str):
    return client.post(
        reverse("admin:assessments_department_process_import"),
        {"import_file_name": token, "original_file_name": "departments.csv", "format": "0"},
    )


def test_a_previewed_import_is_written_on_confirmation_and_nothing_waits_in_tmp(client, sophie):
    client.force_login(sophie.user)

    token = preview_departments(client)
    waiting_in_tmp = os.path.exists(os.path.join(tempfile.gettempdir(), token))
    response = confirm_departments(client, token)

    assert not waiting_in_tmp
    assert response.status_code == 302
    assert Department.objects.filter(code="QA", name="Quality").exists()


def test_a_confirmation_naming_a_server_file_reads_and_deletes_nothing(client, sophie):
    client.force_login(sophie.user)
    with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as planted:
        planted.write(DEPARTMENTS_CSV)
    name = os.path.basename(planted.name)

    response = confirm_departments(client, name)

    assert response.status_code == 302
    assert str(IMPORT_EXPIRED) in [str(m) for m in get_messages(response.wsgi_request)]
    assert os.path.exists(planted.name)
    assert not Department.objects.filter(code="QA").exists()
    os.remove(planted.name)


def test_confirming_the_same_import_twice_writes_once_and_says_so(client, sophie):
    client.force_login(sophie.user)
    token = preview_departments(client)
    confirm_departments(client, token)
    Department.objects.filter(code="QA").update(name="Renamed since")

    response = confirm_departments(client, token)

    assert response.status_code == 302
    assert str(IMPORT_EXPIRED) in [str(m) for m in get_messages(response.wsgi_request)]
    assert Department.objects.get(code="QA").name == "Renamed since"


def test_of_two_requests_holding_the_same_session_only_one_takes_the_pending_value(db):
    session = SessionStore()
    session["pending"] = {"token": 1}
    session.save()
    first, second = SessionStore(session.session_key), SessionStore(session.session_key)
    assert first["pending"] == second["pending"]  # both loaded before either takes it

    assert session_take(first, "pending") == {"token": 1}
    assert session_take(second, "pending") is None
    assert "pending" not in SessionStore(session.session_key).load()
