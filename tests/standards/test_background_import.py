"""Importing many documents as a background job: from the admin (files or a zip of them)
and from `import_standards --background`. Each file is all or nothing and reported on
its own; without a broker the job runs inline, so it has finished when the page opens."""

import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from jobs.models import Job
from standards import uploads
from standards.models import Standard
from standards.uploads import NOT_A_ZIP, TOO_MANY_FILES, ZIP_ENCRYPTED, ZIP_TOO_BIG
from tests.factories import DATA
from tests.standards.samples import expected_data, table_counts

pytestmark = pytest.mark.django_db

BACKGROUND = "admin:standards_standard_upload_background"
SAMPLES = ["AVA4322-001v4", "KRM1324-002v1"]


def sample_bytes(code: str) -> bytes:
    return (DATA / f"{code}.txt").read_bytes()


def zip_of(files: dict[str, bytes], *, level: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=level) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def hr_client(client, hannah):
    client.force_login(hannah.user)
    return client


def upload(client, *files: tuple[str, bytes], publish: bool = True):
    data = {"files": [SimpleUploadedFile(name, content) for name, content in files]}
    if publish:
        data["publish"] = "on"
    return client.post(reverse(BACKGROUND), data)


def test_many_files_are_imported_by_a_job_that_reports_each(hr_client, hannah):
    response = upload(
        hr_client,
        *((f"{code}.txt", sample_bytes(code)) for code in SAMPLES),
        ("broken.json", b'{"code": oops'),
    )

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.kind, job.state, job.started_by) == (
        Job.Kind.STANDARDS_IMPORT,
        Job.State.SUCCEEDED,
        hannah.user,
    )
    assert (job.done, job.total, job.result) == (3, 3, {"imported": 2, "failed": 1})
    assert sorted(Standard.objects.values_list("code", flat=True)) == sorted(SAMPLES)
    results = {entry.name: entry.result for entry in job.inputs.all()}
    assert results["AVA4322-001v4.txt"]["outcome"] == "created"
    assert len(results["KRM1324-002v1.txt"]["warnings"]) == 3
    assert results["broken.json"]["error"]
    page = hr_client.get(job.get_absolute_url()).content.decode()
    assert "AVA4322-001v4" in page and "broken.json" in page


def test_the_uploaded_files_are_removed_from_the_storage_once_the_job_is_done(
    hr_client, media_root
):
    upload(hr_client, ("KRM1324-002v1.txt", sample_bytes("KRM1324-002v1")))

    assert not any(path.is_file() for path in (media_root / "jobs" / "input").rglob("*"))
    assert Job.objects.get().inputs.get().file.name == ""


def test_a_zip_of_documents_is_unpacked_and_each_imported(hr_client):
    archive = zip_of(
        {
            "standards/AVA4322-001v4.txt": sample_bytes("AVA4322-001v4"),
            "standards/KRM1324-002v1.json": json.dumps(expected_data("KRM1324-002v1")).encode(),
            "__MACOSX/standards/._AVA4322-001v4.txt": b"\x00\x05\x16\x07",
            "standards/.DS_Store": b"\x00\x00\x00\x01Bud1",
        }
    )

    upload(hr_client, ("library.zip", archive), publish=False)

    job = Job.objects.get()
    assert sorted(job.inputs.values_list("name", flat=True)) == [
        "library.zip/standards/AVA4322-001v4.txt",
        "library.zip/standards/KRM1324-002v1.json",
    ]
    assert set(Standard.objects.values_list("publication", flat=True)) == {"draft"}
    assert job.result == {"imported": 2, "failed": 0}


def test_a_zip_bomb_is_refused_before_it_is_unpacked(hr_client):
    bomb = zip_of({"big.txt": b"0" * (5 * 1024 * 1024)})

    response = upload(hr_client, ("bomb.zip", bomb))

    assert response.status_code == 200
    message = str(ZIP_TOO_BIG % {"name": "bomb.zip", "limit": 100, "ratio": 100})
    assert response.context["form"].errors["files"] == [message]
    assert not Job.objects.exists()


def test_a_broken_zip_is_refused(hr_client):
    response = upload(hr_client, ("library.zip", b"PK\x03\x04 not really a zip"))
    assert response.context["form"].errors["files"] == [str(NOT_A_ZIP % {"name": "library.zip"})]
    assert not Job.objects.exists()


def test_an_encrypted_zip_is_refused(hr_client):
    archive = bytearray(zip_of({"a.txt": b"x"}, level=zipfile.ZIP_STORED))
    # Set the "encrypted" flag of the local and central headers.
    for header in (b"PK\x03\x04", b"PK\x01\x02"):
        at = archive.index(header)
        offset = at + (6 if header == b"PK\x03\x04" else 8)
        archive[offset] |= 0x1

    response = upload(hr_client, ("secret.zip", bytes(archive)))

    assert response.context["form"].errors["files"] == [str(ZIP_ENCRYPTED % {"name": "secret.zip"})]


def test_too_many_documents_are_refused(hr_client, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_BACKGROUND_FILES", 2)
    monkeypatch.setattr("standards.forms.MAX_BACKGROUND_FILES", 2)
    archive = zip_of({f"{n}.txt": b"x" for n in range(3)})

    response = upload(hr_client, ("many.zip", archive))

    assert response.context["form"].errors["files"] == [str(TOO_MANY_FILES % {"limit": 2})]


def test_the_command_queues_a_job_and_prints_its_id(tmp_path):
    out, err = StringIO(), StringIO()
    paths = [str(DATA / f"{code}.txt") for code in SAMPLES]

    call_command("import_standards", "--background", "--draft", *paths, stdout=out, stderr=err)

    job = Job.objects.get()
    assert out.getvalue() == f"{job.pk}\n"
    assert job.get_absolute_url() in err.getvalue()
    assert (job.started_by, job.state, job.result) == (
        None,
        Job.State.SUCCEEDED,
        {"imported": 2, "failed": 0},
    )
    assert job.arguments == {"publish": False, "files": 2}


def test_the_command_queues_nothing_when_a_file_cannot_be_read(tmp_path):
    before = table_counts()
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_standards",
            "--background",
            str(DATA / "AVA4322-001v4.txt"),
            str(tmp_path / "missing.txt"),
            stdout=StringIO(),
            stderr=err,
        )
    assert "missing.txt: error: no such file" in err.getvalue()
    assert not Job.objects.exists() and table_counts() == before


DOCUMENTS = DATA.parents[1] / "tests" / "fixtures" / "documents"


def test_a_word_or_odt_file_is_one_document_not_an_archive(hr_client):
    upload(
        hr_client,
        ("AVA4322-001v4.docx", (DOCUMENTS / "AVA4322-001v4.docx").read_bytes()),
        ("KRM1324-002v1.odt", (DOCUMENTS / "KRM1324-002v1.odt").read_bytes()),
    )

    job = Job.objects.get()
    assert list(job.inputs.values_list("name", flat=True)) == [
        "AVA4322-001v4.docx",
        "KRM1324-002v1.odt",
    ]
    assert job.result == {"imported": 2, "failed": 0}


def test_a_zip_of_official_pdfs_is_imported(hr_client):
    archive = zip_of({f"{code}.pdf": (DOCUMENTS / f"{code}.pdf").read_bytes() for code in SAMPLES})

    upload(hr_client, ("pdfs.zip", archive))

    assert Job.objects.get().result == {"imported": 2, "failed": 0}
    assert sorted(Standard.objects.values_list("code", flat=True)) == sorted(SAMPLES)


def test_the_job_page_says_each_files_error_and_warnings_in_the_readers_language(hr_client):
    wrong = expected_data("BGM1219-002v2")
    wrong["duties"][0]["tasks"][0]["level"] = "3"
    upload(
        hr_client,
        ("KRM1324-002v1.txt", sample_bytes("KRM1324-002v1")),
        ("wrong.json", json.dumps(wrong, ensure_ascii=False).encode()),
    )
    job = Job.objects.get()

    chinese = hr_client.get(job.get_absolute_url()).content.decode()
    with translation.override("en"):
        english = hr_client.get(job.get_absolute_url()).content.decode()

    assert "工作任務 T1.1：&#x27;level&#x27; 必須是整數" in chinese
    assert "列在 T2.1 下的 P2.2.1 重新編號為 P2.1.1" in chinese
    assert "task T1.1: &#x27;level&#x27; must be a whole number" in english
    assert "P2.2.1 printed under T2.1 renumbered P2.1.1" in english
