"""The official forms (PDF, ODT, Word) of the four samples, read and imported.

The documents in tests/fixtures/documents/ are made by build.py there from the text
renderings (LibreOffice converts its DOCX to ODT and PDF); they are committed, so these
tests need no office suite.
"""

import io
import json
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from standards.models import Standard
from standards.parsing import ParseError
from standards.parsing.documents import (
    NOT_A_DOCUMENT_ZIP,
    OTHER_OPENDOCUMENT,
    XML_DOCTYPE,
    ZIP_BOMB,
    ZIP_DAMAGED,
)
from standards.parsing.pdf import PDF_ENCRYPTED, PDF_NO_TEXT
from standards.reader import read_document
from standards.uploads import UploadedDocument, uploads_preview
from tests.factories import DATA, SAMPLES
from tests.standards.samples import expected_data, table_counts
from tests.standards.test_commands import run, run_failing

DOCUMENTS = Path(__file__).resolve().parents[1] / "fixtures" / "documents"
FORMS = ["pdf", "odt", "docx"]
UPLOAD = "admin:standards_standard_upload"


def document_bytes(name: str) -> bytes:
    return (DOCUMENTS / name).read_bytes()


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("code", SAMPLES)
def test_each_official_form_reads_as_the_expected_parse(code, form):
    parsed = read_document(name=f"{code}.{form}", data=document_bytes(f"{code}.{form}"))

    assert parsed.to_dict() == expected_data(code)


@pytest.mark.parametrize("form", FORMS)
def test_the_text_parsers_repairs_hold_for_every_form(form):
    text = read_document(name="x.txt", data=(DATA / "KRM1324-002v1.txt").read_bytes())

    parsed = read_document(name="x", data=document_bytes(f"KRM1324-002v1.{form}"))

    messages = [warning.message for warning in parsed.warnings]
    assert "P2.2.1 printed under T2.1 renumbered P2.1.1" in messages
    assert messages == [warning.message for warning in text.warnings]


def test_the_form_is_recognised_by_content_not_by_name():
    parsed = read_document(name="standard.txt", data=document_bytes("BGM1219-002v2.pdf"))

    assert parsed.code == "BGM1219-002v2"


def test_the_pdf_repeats_the_task_tables_header_on_every_page():
    with pdfplumber.open(DOCUMENTS / "AVA4322-001v4.pdf") as pdf:
        pages = pdf.pages[2:-1]  # the first pages hold the other tables, the last the notes
        first_rows = [page.find_tables()[0].extract()[0] for page in pages]

    assert len(first_rows) >= 3
    assert all(row[0] == "主要職責" and row[3] == "行為指標" for row in first_rows)


def test_the_word_documents_duty_cells_are_merged_over_their_tasks():
    with zipfile.ZipFile(DOCUMENTS / "AVA4322-001v4.docx") as archive:
        body = archive.read("word/document.xml").decode()

    assert '<w:tblHeader w:val="true"/>' in body
    assert '<w:vMerge w:val="restart"/>' in body and "<w:vMerge/>" in body


@pytest.mark.django_db
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("code", SAMPLES)
def test_import_standards_imports_each_form_as_its_expected_parse(code, form):
    out, _ = run("import_standards", str(DOCUMENTS / f"{code}.{form}"))

    assert f"created {code}" in out
    exported, _ = run("export_standard", code)
    assert json.loads(exported) == expected_data(code)


@pytest.mark.django_db
@pytest.mark.parametrize("form", FORMS)
def test_the_admin_upload_previews_and_confirms_each_form(client, hannah, form):
    client.force_login(hannah.user)
    files = [
        SimpleUploadedFile(f"{code}.{form}", document_bytes(f"{code}.{form}")) for code in SAMPLES
    ]

    preview = client.post(reverse(UPLOAD), {"files": files, "publish": "on"})

    assert [p.code for p in preview.context["previews"]] == SAMPLES
    assert all(p.ok and p.outcome == "created" for p in preview.context["previews"])
    assert not Standard.objects.exists()
    token = preview.context["confirm_form"].initial["token"]
    client.post(reverse(UPLOAD), {"token": token})
    for code in SAMPLES:
        exported, _ = run("export_standard", code)
        assert json.loads(exported) == expected_data(code)


def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def cut(name: str) -> bytes:
    data = document_bytes(name)
    return data[: len(data) // 2]


ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
REFUSED = {
    "encrypted PDF": (document_bytes("encrypted.pdf"), PDF_ENCRYPTED),
    "scanned PDF": (document_bytes("scanned.pdf"), PDF_NO_TEXT),
    "PDF that is not a standard": (document_bytes("not-a-standard.pdf"), "no task table found"),
    "PDF cut short": (cut("KRM1324-002v1.pdf"), "the PDF file is damaged"),
    "DOCX cut short": (cut("KRM1324-002v1.docx"), ZIP_DAMAGED.format(kind="ZIP")),
    "ODT cut short": (cut("KRM1324-002v1.odt"), ZIP_DAMAGED.format(kind="ZIP")),
    "DOCX zip bomb": (
        zipped({"word/document.xml": b"<w/>" + b" " * (60 * 2**20)}),
        ZIP_BOMB.format(kind="DOCX", limit=50, members=1000),
    ),
    "ODT zip bomb": (
        zipped({"mimetype": ODT_MIMETYPE, "content.xml": b" " * (60 * 2**20)}),
        ZIP_BOMB.format(kind="ODT", limit=50, members=1000),
    ),
    "ODT with entities": (
        zipped(
            {
                "mimetype": ODT_MIMETYPE,
                "content.xml": b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>",
            }
        ),
        XML_DOCTYPE.format(kind="ODT"),
    ),
    "DOCX with damaged XML": (
        zipped({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document"}),
        "the DOCX file is damaged and cannot be read",
    ),
    "ZIP of something else": (zipped({"photo.jpg": b"\xff\xd8\xff"}), NOT_A_DOCUMENT_ZIP),
    "OpenDocument spreadsheet": (
        zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b""}),
        OTHER_OPENDOCUMENT,
    ),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_document_that_cannot_be_read_gets_a_clear_message(case):
    data, message = REFUSED[case]

    with pytest.raises(ParseError) as raised:
        read_document(name="standard.pdf", data=data)

    assert message in raised.value.message


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["encrypted PDF", "scanned PDF", "DOCX zip bomb"])
def test_a_refused_document_changes_nothing(case, tmp_path):
    run("import_standards", str(DOCUMENTS / "AVA4322-001v4.pdf"))
    before = table_counts()
    path = tmp_path / "standard.pdf"
    path.write_bytes(REFUSED[case][0])

    _out, err, _error = run_failing("import_standards", str(path))
    with translation.override("en"):
        (preview,) = uploads_preview(
            documents=[UploadedDocument(name="standard.pdf", data=REFUSED[case][0])], publish=True
        )

    assert REFUSED[case][1] in err
    assert REFUSED[case][1] in preview.error
    assert table_counts() == before


@pytest.mark.django_db
def test_an_old_word_document_is_refused_by_the_upload_with_what_to_do():
    (preview,) = uploads_preview(
        documents=[UploadedDocument(name="standard.doc", data=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")],
        publish=True,
    )

    assert "Word 97-2003" in preview.error
    assert ".docx" in preview.error
