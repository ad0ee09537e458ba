"""HR in the admin, in headless Chromium: edit a draft, upload a document, export tasks."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from standards.models import Standard, Task
from standards.versioning import standard_create_next_version
from tests.browser.conftest import screenshot
from tests.factories import DATA, sample_standard

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo1234"
hr_group_migration = importlib.import_module("standards.migrations.0004_hr_group")


@pytest.fixture
def hr_user() -> User:
    """The demo's HR account: staff, not superuser, in the HR group."""
    # A transactional test empties the database afterwards; set the group up again.
    hr_group_migration.grant_hr_permissions(apps, None)
    user = User.objects.create_user("hr", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="HR"))
    return user


@pytest.fixture
def draft() -> Standard:
    """A published KRM1324-002v1 and its next version, a draft HR is editing."""
    return standard_create_next_version(standard=sample_standard("KRM1324-002v1"))


def test_hr_edits_a_draft_uploads_a_document_and_exports_tasks(page, hr_user, draft, tmp_path):
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "hr")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("hr")

    # The draft's page shows the whole document; one click opens a task, one saves it.
    page.goto(f"/admin/standards/standard/{draft.pk}/change/")
    expect(page.locator("table.standard-document")).to_contain_text("T1.1")
    screenshot(page, "admin-standard")
    task = Task.objects.filter(duty__standard=draft).order_by("duty__order", "order").first()
    new_level = "6" if task.level != 6 else "5"
    page.locator("table.standard-document a.task-link").first.click()
    page.select_option("select[name=level]", new_level)
    page.click("input[name=_save]")
    expect(page.locator("ul.messagelist")).to_be_visible()
    task.refresh_from_db()
    assert task.level == int(new_level)

    # Upload an official document: preview first, nothing written until confirmed.
    page.goto("/admin/standards/standard/upload/")
    page.set_input_files("input[name=files]", str(DATA / "BHR1212-001v2.txt"))
    page.click("form[enctype='multipart/form-data'] input[type=submit]")
    expect(page.locator("table.upload-preview")).to_contain_text("BHR1212-001v2")
    assert not Standard.objects.filter(code="BHR1212-001v2").exists()
    screenshot(page, "admin-upload-preview")
    page.click("form.upload-confirm input[type=submit]")
    expect(page.locator("ul.messagelist")).to_be_visible()
    assert Standard.objects.filter(code="BHR1212-001v2").exists()

    # Export the tasks as XLSX.
    page.goto("/admin/standards/task/export/")
    page.select_option("select[name=format]", label="xlsx")
    with page.expect_download() as download:
        page.click("div.submit-row input[type=submit]")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".xlsx"
    assert path.stat().st_size > 0
