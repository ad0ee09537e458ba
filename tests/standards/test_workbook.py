"""Whole documents in one XLSX workbook: the standards list's XLSX export, and importing
that workbook back through the admin (preview, then confirm) and the one writer."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.spreadsheets import NOT_XLSX, SafeXLSX, workbook_bytes
from standards.admin.workbook import WORKBOOK_EXPIRED
from standards.models import Standard
from standards.services import standard_export, standards_export
from standards.workbook import (
    MISSING_SHEET,
    NOT_A_DATE,
    NOT_A_LEVEL,
    SHEETS,
    UNKNOWN_STANDARD,
    UNKNOWN_TASK,
    documents_workbook,
)
from tests.factories import SAMPLES, sample_library, sample_standard, small_standard

pytestmark = pytest.mark.django_db

EXPORT = reverse("admin:standards_standard_export")
IMPORT = reverse("admin:standards_standard_workbook_import")


@pytest.fixture
def hr_client(client, hannah):
    client.force_login(hannah.user)
    return client


def exported_workbook(hr_client) -> bytes:
    """The XLSX the standards list's Export writes for every standard."""
    form = hr_client.get(EXPORT).context["form"]
    xlsx = next(value for value, title in form.fields["format"].choices if title == "xlsx")
    data = {"format": xlsx, "resource": "0"}
    data.update({name: "on" for name in form.fields if name.startswith("standardresource_")})
    response = hr_client.post(EXPORT, data)
    assert response["Content-Type"] == SafeXLSX.CONTENT_TYPE
    return response.content


def preview(hr_client, data: bytes, **fields):
    upload = SimpleUploadedFile("standards.xlsx", data)
    return hr_client.post(IMPORT, {"workbook": upload, "publish": "on", **fields})


def import_workbook(hr_client, data: bytes):
    shown = preview(hr_client, data)
    assert "error" not in shown.context, shown.context.get("error")
    token = shown.context["confirm_form"].initial["token"]
    return hr_client.post(IMPORT, {"token": token})


def rows(data: bytes, sheet: str) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [list(row) for row in book[sheet].iter_rows(values_only=True)]


def test_the_export_holds_whole_documents_in_named_sheets_with_chinese_headers(hr_client):
    sample_library()

    data = exported_workbook(hr_client)

    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == list(SHEETS)
    assert "Tablib Dataset" not in book.sheetnames
    for title, headers in SHEETS.items():
        assert [cell.value for cell in book[title][1]] == headers
    tasks = rows(data, "工作任務")
    assert ["AVA4322-001v4", "T1", tasks[1][2], "T1.1"] == tasks[1][:4]
    assert len(tasks) - 1 == sum(
        len(duty["tasks"])
        for d in standards_export(standards=Standard.objects.all())
        for duty in d["duties"]
    )
    assert {row[0] for row in rows(data, "基本資料")[1:]} == set(SAMPLES)


def test_importing_the_exported_workbook_reproduces_every_sample(hr_client):
    sample_library()
    before = {s.code: standard_export(standard=s) for s in Standard.objects.all()}
    digests = dict(Standard.objects.values_list("code", "content_digest"))
    data = exported_workbook(hr_client)
    Standard.objects.all().delete()

    response = import_workbook(hr_client, data)

    assert response.status_code == 302
    after = {s.code: standard_export(standard=s) for s in Standard.objects.all()}
    assert after == before
    assert dict(Standard.objects.values_list("code", "content_digest")) == digests
    assert all(s.is_published for s in Standard.objects.all())


def test_importing_an_unchanged_workbook_changes_nothing(hr_client):
    sample_library()
    data = exported_workbook(hr_client)

    shown = preview(hr_client, data)

    assert [r.outcome for r in shown.context["results"]] == ["unchanged"] * len(SAMPLES)


def test_cells_that_look_like_formulas_are_text_and_come_back(hr_client):
    draft = small_standard(
        "TST0001-001v1", publish=False, knowledge={"K01": '=HYPERLINK("http://x")'}
    )
    before = standard_export(standard=draft)
    data = workbook_bytes(documents_workbook([before]))

    [_header, row] = rows(data, "知識")
    assert row[2] == '\'=HYPERLINK("http://x")'
    Standard.objects.all().delete()
    import_workbook(hr_client, data)
    assert standard_export(standard=Standard.objects.get()) == before


def test_a_preview_writes_nothing(hr_client):
    sample_library()
    data = exported_workbook(hr_client)
    Standard.objects.all().delete()

    shown = preview(hr_client, data)

    assert [r.outcome for r in shown.context["results"]] == ["created"] * len(SAMPLES)
    assert not Standard.objects.exists()


def edited(data: bytes, sheet: str, row: int, column: int, value) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    book[sheet].cell(row=row, column=column).value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def without_sheet(data: bytes, sheet: str) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    del book[sheet]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


CODE = "AVA4322-001v4"


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda d: b"not a workbook", NOT_XLSX),
        (lambda d: without_sheet(d, "行為指標"), MISSING_SHEET % {"sheet": "行為指標"}),
        (
            lambda d: edited(d, "工作任務", 2, 6, 9),
            NOT_A_LEVEL % {"sheet": "工作任務", "row": 2, "value": 9},
        ),
        (
            lambda d: edited(d, "工作任務", 2, 6, None),
            NOT_A_LEVEL % {"sheet": "工作任務", "row": 2, "value": ""},
        ),
        (
            lambda d: edited(d, "行為指標", 2, 2, "T9.9"),
            UNKNOWN_TASK % {"sheet": "行為指標", "row": 2, "code": CODE, "task": "T9.9"},
        ),
        (
            lambda d: edited(d, "知識", 2, 1, "NOPE0000-000v1"),
            UNKNOWN_STANDARD % {"sheet": "知識", "row": 2, "code": "NOPE0000-000v1"},
        ),
        (lambda d: edited(d, "工作任務", 1, 6, "level"), "職能級別"),
        (
            lambda d: edited(d, "版本紀錄", 2, 7, "yesterday"),
            NOT_A_DATE % {"sheet": "版本紀錄", "row": 2, "value": "yesterday"},
        ),
        # The writer's own rules: a task whose code is not its duty's.
        (lambda d: edited(d, "工作任務", 2, 2, "T9"), f"{CODE}: "),
    ],
)
def test_a_bad_workbook_gets_a_clear_message_and_changes_nothing(hr_client, spoil, message):
    sample_library()
    data = exported_workbook(hr_client)
    Standard.objects.all().delete()

    shown = preview(hr_client, spoil(data))

    assert str(message) in shown.context["error"]
    assert "confirm_form" not in shown.context
    assert not Standard.objects.exists()


def test_a_changed_published_version_refuses_the_whole_workbook(hr_client):
    sample_library()
    data = exported_workbook(hr_client)
    Standard.objects.exclude(code="AVA4322-001v4").delete()
    changed = edited(data, "工作任務", 2, 5, "改過的任務")

    shown = preview(hr_client, changed)

    assert "AVA4322-001v4" in shown.context["error"]
    assert list(Standard.objects.values_list("code", flat=True)) == ["AVA4322-001v4"]


def test_a_confirmation_is_used_once(hr_client):
    sample_library()
    data = exported_workbook(hr_client)
    Standard.objects.all().delete()
    token = preview(hr_client, data).context["confirm_form"].initial["token"]

    hr_client.post(IMPORT, {"token": token})
    again = hr_client.post(IMPORT, {"token": token}, follow=True)

    assert Standard.objects.count() == len(SAMPLES)
    assert str(WORKBOOK_EXPIRED) in again.content.decode()


def test_the_standards_list_links_to_the_workbook_import(hr_client):
    page = hr_client.get(reverse("admin:standards_standard_changelist")).content.decode()

    assert f'href="{IMPORT}"' in page


def test_the_export_takes_the_same_queries_whatever_the_library_size(
    hr_client, django_assert_num_queries
):
    form = hr_client.get(EXPORT).context["form"]
    xlsx = next(value for value, title in form.fields["format"].choices if title == "xlsx")
    data = {"format": xlsx, "resource": "0"}
    data.update({name: "on" for name in form.fields if name.startswith("standardresource_")})
    for count in (1, 3):
        for code in SAMPLES[:count]:
            if not Standard.objects.filter(code=code).exists():
                sample_standard(code)
        # session, user, user and group permissions, the job categories, occupations
        # and industries of the list's filters, then the 14 of standards_with_contents
        # (the admin's queryset is a subquery of the first)
        with django_assert_num_queries(21):
            hr_client.post(EXPORT, data)


@pytest.mark.parametrize(
    ("persona", "status"),
    [(None, 302), ("alice", 302), ("stan", 403), ("hannah", 200), ("sophie", 200)],
)
def test_who_may_import_a_workbook(client, request, persona, status):
    """Anonymous visitors and non-staff go to the admin's login; staff need the library's
    import permission and the standard's add and change permissions."""
    if persona:
        client.force_login(request.getfixturevalue(persona).user)

    assert client.get(IMPORT).status_code == status
    upload = SimpleUploadedFile("standards.xlsx", b"PK")
    assert client.post(IMPORT, {"workbook": upload}).status_code == status
