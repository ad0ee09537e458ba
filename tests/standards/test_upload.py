"""Uploading official documents in the admin: preview, confirm, errors write nothing."""

import json
import re

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from standards.admin.upload import UPLOAD_EXPIRED, UploadView
from standards.models import Industry, JobCategory, Occupation, Standard
from standards.reader import read_document
from standards.services import standard_export
from standards.uploads import (
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_TOTAL_BYTES,
    TOO_MUCH_AT_ONCE,
    UploadedDocument,
    pending_upload_key,
    uploads_confirm,
    uploads_preview,
)
from tests.factories import DATA
from tests.standards.admin_helpers import staff_outside_hr

pytestmark = pytest.mark.django_db

UPLOAD = "admin:standards_standard_upload"


def sample(code: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{code}.txt", (DATA / f"{code}.txt").read_bytes())


def document(code: str) -> UploadedDocument:
    return UploadedDocument(name=f"{code}.txt", data=(DATA / f"{code}.txt").read_bytes())


BROKEN = UploadedDocument(name="broken.json", data=b'{\n  "code": "X",\n  oops\n}')


@pytest.fixture
def hr_client(client, hannah):
    client.force_login(hannah.user)
    return client


def test_preview_reports_the_outcome_and_warnings_and_writes_nothing(hr_client):
    response = hr_client.post(
        reverse(UPLOAD), {"files": [sample("KRM1324-002v1")], "publish": "on"}
    )

    (preview,) = response.context["previews"]
    assert (preview.code, preview.outcome, preview.duties, preview.tasks) == (
        "KRM1324-002v1",
        "created",
        3,
        6,
    )
    parsed = read_document(name="KRM1324-002v1.txt", data=sample("KRM1324-002v1").read())
    assert preview.warnings == parsed.warnings
    assert all(warning.line > 0 for warning in preview.warnings)
    # P2.2.1 printed under T2.1 renumbered P2.1.1, on a zh-hant page
    assert "列在 T2.1 下的 P2.2.1 重新編號為 P2.1.1" in response.content.decode()
    assert response.context["confirm_form"] is not None
    assert not Standard.objects.exists()


def test_confirm_writes_every_previewed_file(hr_client):
    preview = hr_client.post(
        reverse(UPLOAD),
        {"files": [sample("KRM1324-002v1"), sample("BHR1212-001v2")], "publish": "on"},
    )
    token = preview.context["confirm_form"].initial["token"]

    response = hr_client.post(reverse(UPLOAD), {"token": token})

    assert response.url == reverse("admin:standards_standard_changelist")
    assert set(Standard.objects.values_list("code", "publication")) == {
        ("KRM1324-002v1", "published"),
        ("BHR1212-001v2", "published"),
    }


def test_upload_as_draft(hr_client):
    preview = hr_client.post(reverse(UPLOAD), {"files": [sample("KRM1324-002v1")]})
    hr_client.post(reverse(UPLOAD), {"token": preview.context["confirm_form"].initial["token"]})

    assert Standard.objects.get().publication == Standard.Publication.DRAFT


def test_a_file_with_an_error_shows_its_line_and_offers_no_confirmation(hr_client):
    broken = SimpleUploadedFile("broken.json", BROKEN.data)

    response = hr_client.post(
        reverse(UPLOAD), {"files": [sample("KRM1324-002v1"), broken], "publish": "on"}
    )

    good, bad = response.context["previews"]
    assert good.ok and good.outcome == "created"
    assert (bad.ok, bad.error_line) == (False, 3)
    assert "confirm_form" not in response.context
    assert not Standard.objects.exists()


def test_confirming_with_a_failing_file_writes_nothing():
    previews, written = uploads_confirm(documents=[document("KRM1324-002v1"), BROKEN], publish=True)

    assert written is False
    assert [p.ok for p in previews] == [True, False]
    assert not Standard.objects.exists()


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n...", b"PK\x03\x04rest-of-a-zip", b"\x89PNG\r\n", "職能基準\x00".encode()],
)
def test_file_type_is_checked_by_content_not_name(data):
    (preview,) = uploads_preview(
        documents=[UploadedDocument(name="AVA4322-001v4.txt", data=data)], publish=True
    )

    assert not preview.ok


def test_upload_size_is_capped(hr_client):
    big = SimpleUploadedFile("big.txt", b"a" * (MAX_UPLOAD_BYTES + 1))

    response = hr_client.post(reverse(UPLOAD), {"files": [big]})

    assert response.context["form"].errors["files"]
    assert "previews" not in response.context


def test_total_upload_size_is_capped(hr_client):
    files = [
        SimpleUploadedFile(f"{n}.txt", b"a" * MAX_UPLOAD_BYTES)
        for n in range(MAX_UPLOAD_TOTAL_BYTES // MAX_UPLOAD_BYTES + 1)
    ]

    response = hr_client.post(reverse(UPLOAD), {"files": files})

    assert response.context["form"].errors["files"] == [
        TOO_MUCH_AT_ONCE % {"limit": MAX_UPLOAD_TOTAL_BYTES // 2**20}
    ]


def test_a_changed_published_version_is_refused(standard):
    data = standard_export(standard=standard)
    data["name"] = "改過的名稱"
    changed = UploadedDocument(name="x.json", data=json.dumps(data, ensure_ascii=False).encode())

    (preview,) = uploads_preview(documents=[changed], publish=True)

    assert not preview.ok
    assert "AVA4322-001v4" in preview.error


def test_the_same_published_version_again_is_unchanged(standard):
    (preview,) = uploads_preview(documents=[document("AVA4322-001v4")], publish=True)

    assert (preview.ok, preview.outcome) == (True, "unchanged")


def test_a_standard_exported_from_the_admin_imports_back_the_same(hr_client, standard):
    exported = hr_client.get(reverse("admin:standards_standard_json", args=[standard.pk]))
    before = standard_export(standard=standard)
    for model in (Standard, JobCategory, Occupation, Industry):
        model.objects.all().delete()

    upload = SimpleUploadedFile("AVA4322-001v4.json", exported.content)
    preview = hr_client.post(reverse(UPLOAD), {"files": [upload], "publish": "on"})
    hr_client.post(reverse(UPLOAD), {"token": preview.context["confirm_form"].initial["token"]})

    assert exported["Content-Disposition"] == 'attachment; filename="AVA4322-001v4.json"'
    assert standard_export(standard=Standard.objects.get(code="AVA4322-001v4")) == before


def test_staff_outside_hr_cannot_upload(client):
    client.force_login(staff_outside_hr())

    response = client.post(reverse(UPLOAD), {"files": [sample("KRM1324-002v1")]})

    assert response.status_code == 403
    assert not Standard.objects.exists()


def test_upload_page_query_count(hr_client, django_assert_num_queries):
    # session, user, the user's permissions (user, group)
    with django_assert_num_queries(4):
        hr_client.get(reverse(UPLOAD))


def test_standards_list_links_to_the_upload_page(hr_client):
    response = hr_client.get(reverse("admin:standards_standard_changelist"))

    assert reverse(UPLOAD) in response.content.decode()


@pytest.mark.parametrize("token", ["../../etc/passwd", "0" * 32, ""])
def test_a_forged_token_is_refused_with_a_message_and_writes_nothing(hr_client, token):
    hr_client.post(reverse(UPLOAD), {"files": [sample("KRM1324-002v1")], "publish": "on"})

    response = hr_client.post(reverse(UPLOAD), {"token": token})

    assert response.url == reverse(UPLOAD)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [str(UPLOAD_EXPIRED)]
    assert not Standard.objects.exists()


def test_the_preview_can_still_be_confirmed_after_a_forged_token(hr_client):
    preview = hr_client.post(reverse(UPLOAD), {"files": [sample("KRM1324-002v1")], "publish": "on"})
    hr_client.post(reverse(UPLOAD), {"token": "0" * 32})

    hr_client.post(reverse(UPLOAD), {"token": preview.context["confirm_form"].initial["token"]})

    assert Standard.objects.filter(code="KRM1324-002v1").exists()


def test_of_two_simultaneous_confirmations_one_imports_and_the_other_is_told(hr_client, hannah):
    preview = hr_client.post(reverse(UPLOAD), {"files": [sample("KRM1324-002v1")], "publish": ""})
    token = preview.context["confirm_form"].initial["token"]
    # The second confirmation loaded the session before the first one took the files.
    late = RequestFactory().post(reverse(UPLOAD), {"token": token})
    late.user = hannah.user
    late.session = SessionStore(hr_client.session.session_key)
    assert pending_upload_key(token) in late.session  # loaded now, as the request began
    late._messages = FallbackStorage(late)
    standard_admin = admin.site._registry[Standard]
    view = UploadView.as_view(admin_site=admin.site, model_admin=standard_admin)

    first = hr_client.post(reverse(UPLOAD), {"token": token})
    Standard.objects.update(name="edited after the first import")
    records = Standard.history.count()
    second = view(late)

    assert first.url == reverse("admin:standards_standard_changelist")
    assert second.url == reverse(UPLOAD)
    assert [str(m) for m in late._messages] == [str(UPLOAD_EXPIRED)]
    assert Standard.objects.get().name == "edited after the first import"
    assert Standard.history.count() == records


def test_every_link_within_the_preview_leads_to_a_place_on_the_page(hr_client):
    response = hr_client.post(
        reverse(UPLOAD),
        {"files": [sample("KRM1324-002v1"), sample("BGM1219-002v2")], "publish": "on"},
    )
    page = response.content.decode()

    targets = set(re.findall(r'href="#([^"]+)"', page))
    ids = set(re.findall(r'id="([^"]+)"', page))
    assert "preview-KRM1324-002v1-levels" in targets  # the level column's header
    assert "preview-BGM1219-002v2-level-3" in targets  # a task's level badge
    assert targets - ids == set()
    # Each document's level table, with the levels it uses marked.
    assert page.count("職能級別表") >= 2
