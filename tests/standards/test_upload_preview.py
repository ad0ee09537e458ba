"""The upload preview: the document as its page shows it, warnings at their places, and
the changes from the version stored before it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from standards.models import DocumentWarning, Standard
from standards.reader import read_document
from tests.factories import DATA
from tests.standards.test_official_documents import DOCUMENTS

pytestmark = pytest.mark.django_db

UPLOAD = "admin:standards_standard_upload"


def krm_text(*, level: str = "3") -> bytes:
    text = (DATA / "KRM1324-002v1.txt").read_text(encoding="utf-8")
    return text.replace("\t3\t<p>K01", f"\t{level}\t<p>K01", 1).encode()


def upload(
    client,
    data: bytes,
    *,
    name: str = "KRM1324-002v1.txt",
    publish: bool = False,
    language="zh-hant",
):
    files = {"files": [SimpleUploadedFile(name, data)]}
    with translation.override(language):
        url = reverse(UPLOAD)
    return client.post(url, {**files, **({"publish": "on"} if publish else {})})


@pytest.fixture
def hr_client(client, hannah):
    client.force_login(hannah.user)
    return client


def test_each_warning_knows_the_place_it_concerns():
    parsed = read_document(name="x.txt", data=(DATA / "KRM1324-002v1.txt").read_bytes())

    places = {warning.message: warning.place for warning in parsed.warnings}

    assert places["P2.2.1 printed under T2.1 renumbered P2.1.1"] == "T2.1"
    assert set(places.values()) <= {"header", "attitudes", "notes"} | {
        task.code for duty in parsed.duties for task in duty.tasks
    }


def test_the_preview_shows_the_document_with_each_warning_in_its_tasks_row(hr_client):
    response = upload(hr_client, krm_text())

    (preview,) = response.context["previews"]
    html = preview.document_html
    row = html[html.index('id="preview-KRM1324-002v1-task-T2.1"') :]
    row = row[: row.index("</tr>")]
    assert "列在 T2.1 下的 P2.2.1 重新編號為 P2.1.1" in row  # P2.2.1 printed under T2.1 renumbered…
    assert 'class="level-badge"' in row and "K02" in row
    for code in ("T1.1", "T1.2", "T2.2", "T3.1", "T3.2"):
        assert f'id="preview-KRM1324-002v1-task-{code}"' in html
    assert "A06" in html
    assert not Standard.objects.exists()


def test_the_preview_of_an_update_shows_what_changes_from_the_stored_draft(hr_client):
    confirm = upload(hr_client, krm_text())
    hr_client.post(reverse(UPLOAD), {"token": confirm.context["confirm_form"].initial["token"]})

    response = upload(hr_client, krm_text(level="5"))

    (preview,) = response.context["previews"]
    assert preview.outcome == "updated"
    assert preview.compared_with.code == "KRM1324-002v1"
    (change,) = preview.comparison.level_changes
    assert (change.code, change.old_level, change.new_level) == ("T1.1", 3, 5)
    assert "職能級別變更" in response.content.decode()  # Competency levels changed
    assert Standard.objects.get().duties.get(code="T1").tasks.get(code="T1.1").level == 3


def test_the_preview_of_a_new_version_compares_it_with_the_latest_before_it(hr_client):
    confirm = upload(hr_client, krm_text())
    hr_client.post(reverse(UPLOAD), {"token": confirm.context["confirm_form"].initial["token"]})
    v2 = krm_text(level="4").decode().replace("KRM1324-002v1", "KRM1324-002v2").encode()

    response = upload(hr_client, v2, name="KRM1324-002v2.txt")

    (preview,) = response.context["previews"]
    assert preview.outcome == "created"
    assert preview.compared_with.code == "KRM1324-002v1"
    assert [c.code for c in preview.comparison.level_changes] == ["T1.1"]


def test_a_first_import_has_nothing_to_compare_with(hr_client):
    (preview,) = upload(hr_client, krm_text()).context["previews"]

    assert preview.compared_with is None and preview.comparison is None


def test_warnings_are_in_english_on_an_english_page(hr_client):
    (preview,) = upload(hr_client, krm_text(), language="en").context["previews"]

    assert "P2.2.1 printed under T2.1 renumbered P2.1.1" in preview.document_html


def test_errors_are_in_the_pages_language(hr_client):
    scanned = (DOCUMENTS / "scanned.pdf").read_bytes()

    (zh,) = upload(hr_client, scanned, name="scan.pdf").context["previews"]
    (en,) = upload(hr_client, scanned, name="scan.pdf", language="en").context["previews"]

    assert zh.error.startswith("這個 PDF 沒有文字")
    assert en.error.startswith("the PDF has no text")


def test_warnings_stored_with_the_version_are_shown_in_the_readers_language(hr_client):
    confirm = upload(hr_client, krm_text())
    hr_client.post(reverse(UPLOAD), {"token": confirm.context["confirm_form"].initial["token"]})
    stored = DocumentWarning.objects.get(message="P2.2.1 printed under T2.1 renumbered P2.1.1")

    with translation.override("zh-hant"):
        assert stored.text == "列在 T2.1 下的 P2.2.1 重新編號為 P2.1.1"
    with translation.override("en"):
        assert stored.text == "P2.2.1 printed under T2.1 renumbered P2.1.1"
    assert stored.params == {"code": "P2.2.1", "task": "T2.1", "new": "P2.1.1"}


def test_a_warning_stored_before_templates_existed_shows_its_message():
    warning = DocumentWarning(line=3, message="an old warning")

    with translation.override("zh-hant"):
        assert warning.text == "an old warning"
