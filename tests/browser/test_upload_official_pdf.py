"""HR uploads the official PDF in the admin, reads the whole preview, and confirms."""

import importlib
import json
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from standards.models import Standard
from standards.services import standard_export
from tests.browser.conftest import screenshot
from tests.standards.samples import expected_data
from tests.standards.test_official_documents import DOCUMENTS

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo1234"
hr_group_migration = importlib.import_module("standards.migrations.0004_hr_group")


@pytest.fixture
def hr_user() -> User:
    # A transactional test empties the database afterwards; set the group up again.
    hr_group_migration.grant_hr_permissions(apps, None)
    user = User.objects.create_user("hr", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="HR"))
    return user


def test_hr_uploads_the_pdf_sees_the_whole_document_and_confirms(page, hr_user):
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "hr")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("hr")

    page.goto("/admin/standards/standard/upload/")
    page.set_input_files("input[name=files]", str(DOCUMENTS / "KRM1324-002v1.pdf"))
    page.click("form[enctype='multipart/form-data'] input[type=submit]")

    # The preview shows the document as its page will: tasks, levels, K/S per task, and
    # each warning in the row of the task it concerns.
    document = page.locator(".document-preview")
    expect(document.locator("table.header-table")).to_contain_text("KRM1324-002v1")
    row = document.locator("#preview-KRM1324-002v1-task-T2\\.1")
    expect(row).to_contain_text("P2.1.1")
    expect(row.locator(".level-badge")).to_have_text(re.compile(r"\b3$"))
    expect(row).to_contain_text("K02")
    expect(row.locator(".parse-warnings")).to_contain_text("P2.2.1")
    expect(document.locator("tbody.duty")).to_have_count(3)
    expect(document.locator("#preview-KRM1324-002v1-attitudes")).to_contain_text("A06")
    assert not Standard.objects.exists()
    screenshot(page, "admin-upload-pdf-preview")

    page.click("form.upload-confirm input[type=submit]")
    expect(page.locator("ul.messagelist")).to_be_visible()
    standard = Standard.objects.get(code="KRM1324-002v1")
    assert json.loads(json.dumps(standard_export(standard=standard))) == expected_data(
        "KRM1324-002v1"
    )
