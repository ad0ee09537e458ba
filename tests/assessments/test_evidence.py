"""Evidence files: attached by the employee to a task of their own draft, checked by
content, stored with the default storage, downloaded only as attachments, deleted after
a confirmation while the assessment is still a draft."""

import io
import json
from urllib.parse import quote

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from assessments.evidence import (
    EVIDENCE_MISMATCH,
    EVIDENCE_TOO_LARGE,
    EVIDENCE_TYPE,
    MAX_EVIDENCE_BYTES,
    MAX_FILES_PER_TASK,
    TOO_MANY_FILES,
    UNKNOWN_OUTPUT,
    evidence_attach,
    evidence_delete,
)
from assessments.models import Assessment, EvidenceFile
from assessments.services import LOCKED, RatingInput, assessment_save, closed_message
from tests.assessments.helpers import assign, days_from_today, ratings

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17


def xlsx_bytes() -> bytes:
    stream = io.BytesIO()
    openpyxl.Workbook().save(stream)
    return stream.getvalue()


def stored_files(root) -> set:
    """Every file in the storage folder (shared by the tests of one run)."""
    return {path for path in root.rglob("*") if path.is_file()}


def upload(name: str = "紀錄.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    # The browser's claimed type is ignored: only the bytes count.
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def draft(small_standard, alice) -> Assessment:
    return assign(small_standard, alice)


def evidence_url(assessment: Assessment) -> str:
    return reverse("assessments:evidence", args=[assessment.pk])


def test_an_employee_attaches_a_pdf_to_a_task_of_their_draft(client, draft, alice, media_root):
    first = ratings(draft)[0]
    client.force_login(alice.user)

    response = client.post(
        evidence_url(draft),
        {"rating": first.pk, "output": "O1.1.1", "file": upload()},
    )

    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert (evidence.rating, evidence.name, evidence.output_code) == (first, "紀錄.pdf", "O1.1.1")
    assert evidence.output_text == "產出1.1"
    assert (evidence.content_type, evidence.size) == ("application/pdf", len(PDF))
    # Stored by the default storage under a random name, not the employee's.
    assert default_storage.exists(evidence.file.name)
    assert (media_root / evidence.file.name).read_bytes() == PDF
    assert "紀錄" not in evidence.file.name
    page = client.get(response.url).content.decode()
    assert "紀錄.pdf" in page and "O1.1.1" in page


def test_attaching_to_a_pending_assessment_starts_it(draft, alice):
    assert draft.stage == Assessment.Stage.PENDING

    evidence_attach(rating=ratings(draft)[0], upload=upload())

    draft.refresh_from_db()
    assert draft.stage == Assessment.Stage.DRAFT


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("page.pdf", b"<html><script>alert(1)</script></html>", EVIDENCE_MISMATCH),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', EVIDENCE_TYPE),
        ("page.html", b"<html></html>", EVIDENCE_TYPE),
        ("photo.pdf", PNG, EVIDENCE_MISMATCH),
        ("no-extension", PDF, EVIDENCE_TYPE),
    ],
    ids=["html-named-pdf", "svg", "html", "png-named-pdf", "no-extension"],
)
def test_a_file_whose_content_is_not_allowed_is_refused_and_nothing_is_stored(
    client, draft, alice, media_root, name, data, message
):
    client.force_login(alice.user)
    before = stored_files(media_root)

    response = client.post(
        evidence_url(draft), {"rating": ratings(draft)[0].pk, "file": upload(name, data)}
    )

    assert response.status_code == 400
    expected = message % {"name": name, "extension": name.rsplit(".", 1)[-1]}
    assert expected in response.content.decode()
    assert not EvidenceFile.objects.exists()
    assert stored_files(media_root) == before


def test_images_and_office_files_are_allowed_by_their_content(draft):
    first = ratings(draft)[0]

    evidence_attach(rating=first, upload=upload("photo.PNG", PNG))
    evidence_attach(rating=first, upload=upload("table.xlsx", xlsx_bytes()))

    assert [e.content_type for e in first.evidence_files.order_by("pk")] == [
        "image/png",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ]


def test_a_file_over_the_size_limit_is_refused(draft):
    big = PDF + b"0" * MAX_EVIDENCE_BYTES

    with pytest.raises(ValidationError) as refused:
        evidence_attach(rating=ratings(draft)[0], upload=upload("big.pdf", big))

    assert refused.value.messages == [EVIDENCE_TOO_LARGE % {"name": "big.pdf", "limit": 5}]
    assert not EvidenceFile.objects.exists()


def test_a_task_holds_a_limited_number_of_files(draft):
    first = ratings(draft)[0]
    for number in range(MAX_FILES_PER_TASK):
        evidence_attach(rating=first, upload=upload(f"{number}.pdf"))

    with pytest.raises(ValidationError) as refused:
        evidence_attach(rating=first, upload=upload("one-more.pdf"))

    assert refused.value.messages == [TOO_MANY_FILES % {"limit": MAX_FILES_PER_TASK}]
    assert first.evidence_files.count() == MAX_FILES_PER_TASK


def test_an_output_of_another_task_is_refused(client, draft, alice):
    client.force_login(alice.user)

    response = client.post(
        evidence_url(draft),
        {"rating": ratings(draft)[0].pk, "output": "O2.1.1", "file": upload()},
    )

    assert response.status_code == 400
    assert escape(str(UNKNOWN_OUTPUT)) in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        evidence_attach(rating=ratings(draft)[0], upload=upload(), output_code="O2.1.1")
    assert refused.value.messages == [UNKNOWN_OUTPUT]
    assert not EvidenceFile.objects.exists()


def test_nothing_is_attached_to_a_submitted_assessment(client, draft, alice):
    assessment_save(
        assessment=draft,
        version=0,
        ratings={r.pk: RatingInput(self_level=3) for r in ratings(draft)},
        submit=True,
    )
    client.force_login(alice.user)

    with pytest.raises(ValidationError, match=str(LOCKED)):
        evidence_attach(rating=ratings(draft)[0], upload=upload())
    page = client.get(evidence_url(draft))
    refused = client.post(evidence_url(draft), {"rating": ratings(draft)[0].pk, "file": upload()})

    assert page.status_code == 200 and 'enctype="multipart/form-data"' not in page.content.decode()
    assert refused.status_code == 404
    assert not EvidenceFile.objects.exists()


def test_nothing_is_attached_once_the_cycle_closed(draft):
    draft.cycle.closes_on = days_from_today(-1)
    draft.cycle.save()

    with pytest.raises(ValidationError) as refused:
        evidence_attach(rating=ratings(draft)[0], upload=upload())

    assert refused.value.messages == [closed_message(draft.cycle)]


def test_a_download_is_an_attachment_never_rendered(client, draft, alice, carol):
    evidence = evidence_attach(rating=ratings(draft)[0], upload=upload("訓練 紀錄.pdf"))
    client.force_login(carol.user)

    response = client.get(reverse("assessments:evidence_file", args=[evidence.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"] == (
        "attachment; filename=\"download.pdf\"; filename*=UTF-8''" + quote("訓練_紀錄.pdf", safe="")
    )


def test_deleting_a_file_asks_first_then_removes_it_from_storage(
    client, draft, alice, django_capture_on_commit_callbacks
):
    evidence = evidence_attach(rating=ratings(draft)[0], upload=upload())
    stored = evidence.file.name
    url = reverse("assessments:evidence_delete", args=[evidence.pk])
    client.force_login(alice.user)

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "紀錄.pdf" in confirm.content.decode() and 'method="post"' in confirm.content.decode()
    assert EvidenceFile.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    assert not EvidenceFile.objects.exists()
    assert not default_storage.exists(stored)


def test_a_file_of_a_submitted_assessment_cannot_be_deleted(client, draft, alice):
    evidence = evidence_attach(rating=ratings(draft)[0], upload=upload())
    assessment_save(
        assessment=draft,
        version=draft.version,
        ratings={r.pk: RatingInput(self_level=3) for r in ratings(draft)},
        submit=True,
    )
    client.force_login(alice.user)

    response = client.post(reverse("assessments:evidence_delete", args=[evidence.pk]))

    assert response.status_code == 302
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()
    with pytest.raises(ValidationError, match=str(LOCKED)):
        evidence_delete(evidence=evidence)


def test_deleting_an_assessment_removes_its_stored_files(draft, django_capture_on_commit_callbacks):
    stored = evidence_attach(rating=ratings(draft)[0], upload=upload()).file.name

    with django_capture_on_commit_callbacks(execute=True):
        draft.delete()

    assert not default_storage.exists(stored)


def test_the_form_lists_a_tasks_files_and_links_to_attaching(client, draft, alice):
    first = ratings(draft)[0]
    evidence_attach(rating=first, upload=upload())
    client.force_login(alice.user)

    html = client.get(reverse("assessments:form", args=[draft.pk])).content.decode()

    assert reverse("assessments:evidence_file", args=[first.evidence_files.get().pk]) in html
    assert f"{evidence_url(draft)}?task={first.pk}#upload" in html


def test_my_data_lists_the_files(client, draft, alice):
    evidence = evidence_attach(rating=ratings(draft)[0], upload=upload(), output_code="O1.1.1")
    client.force_login(alice.user)

    data = json.loads(client.get(reverse("assessments:my_data_json")).content)
    csv_text = client.get(reverse("assessments:my_data_csv")).content.decode("utf-8-sig")
    page = client.get(reverse("assessments:my_data")).content.decode()

    listed = data["assessments"][0]["ratings"][0]["evidence_files"]
    assert listed == [
        {
            "id": evidence.pk,
            "name": "紀錄.pdf",
            "work_output": "O1.1.1",
            "content_type": "application/pdf",
            "size": len(PDF),
            "uploaded_at": evidence.uploaded_at.isoformat(),
            "download": reverse("assessments:evidence_file", args=[evidence.pk]),
        }
    ]
    assert "紀錄.pdf" in csv_text.splitlines()[1]
    assert reverse("assessments:evidence_file", args=[evidence.pk]) in page


def test_a_failed_save_leaves_no_stored_file(draft, media_root, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(EvidenceFile, "save", fail)
    before = stored_files(media_root)

    with pytest.raises(RuntimeError):
        evidence_attach(rating=ratings(draft)[0], upload=upload())

    assert stored_files(media_root) == before


def test_the_result_shows_the_evidence_of_each_task(client, draft, alice, carol):
    first = ratings(draft)[0]
    evidence = evidence_attach(rating=first, upload=upload(), output_code="O1.1.1")
    draft.refresh_from_db()
    assessment_save(
        assessment=draft,
        version=draft.version,
        ratings={
            r.pk: RatingInput(
                self_level=3,
                comment="帶領三場培訓" if r == first else "",
                indicator_checks={"P1.1.1": True} if r == first else {},
            )
            for r in ratings(draft)
        },
        submit=True,
    )

    for user in (alice.user, carol.user):
        client.force_login(user)
        url = (
            reverse("assessments:result", args=[draft.pk])
            if user == alice.user
            else reverse("reports:person", args=[draft.pk])
        )
        html = client.get(url).content.decode()
        row = html.split(f'data-evidence-task="{first.task_code}"')[1].split("</tr>")[0]
        assert "1 / 1" in row and "P1.1.1" in row and "行為指標1.1" in row
        assert "帶領三場培訓" in row
        assert reverse("assessments:evidence_file", args=[evidence.pk]) in row
