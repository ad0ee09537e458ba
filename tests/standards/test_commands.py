"""The import_standards and export_standard management commands."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import gettext

from common.spreadsheets import workbook_bytes
from jobs.models import Job
from standards.codes import code_error
from standards.models import PUBLISHED_READ_ONLY, Standard, Task
from standards.parsing import ParsedStandard, ParseError
from standards.parsing.document import ParseWarning
from standards.reader import read_document
from standards.services import standard_export
from standards.workbook import documents_workbook
from tests.factories import SAMPLES
from tests.standards.samples import expected_data, expected_path, table_counts
from tests.standards.test_workbook import edited, rows

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    """Run a command; its stdout and stderr."""
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args: str) -> tuple[str, str, CommandError]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), raised.value


def write_json(path: Path, data: dict) -> str:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return str(path)


def with_level_7(data: dict) -> dict:
    data["duties"][0]["tasks"][0]["level"] = 7
    return data


def without_base_level(data: dict) -> dict:
    del data["base_level"]
    return data


def test_import_standards_imports_each_file_and_reports_it():
    krm, bgm = expected_path("KRM1324-002v1"), expected_path("BGM1219-002v2")

    out, err = run("import_standards", str(krm), str(bgm))

    assert out.splitlines() == [
        f"{krm}: created KRM1324-002v1 供應鏈管理助理 (3 duties, 6 tasks)",
        f"{bgm}: created BGM1219-002v2 基層主管 (5 duties, 17 tasks)",
    ]
    assert err == ""
    assert Standard.objects.filter(publication=Standard.Publication.PUBLISHED).count() == 2


def test_importing_the_same_file_again_reports_it_unchanged():
    path = str(expected_path("KRM1324-002v1"))
    run("import_standards", path)

    out, _ = run("import_standards", path)

    assert out.startswith(f"{path}: unchanged KRM1324-002v1")


def test_a_bad_file_is_reported_with_its_path_and_line_and_the_good_one_is_imported(tmp_path):
    bad = write_json(tmp_path / "bad.json", with_level_7(expected_data("BHR1212-001v2")))
    good = str(expected_path("KRM1324-002v1"))

    out, err, error = run_failing("import_standards", bad, good)

    level_line = 1 + next(
        number
        for number, line in enumerate(Path(bad).read_text().splitlines())
        if '"level": 7' in line
    )
    assert err.splitlines() == [
        f"{bad}:{level_line}: error: task T1.1: the level must be a whole number from 1 to 6, not 7"
    ]
    assert str(error) == "1 of 2 files could not be imported"
    assert f"{good}: created KRM1324-002v1" in out
    assert list(Standard.objects.values_list("code", flat=True)) == ["KRM1324-002v1"]


@pytest.mark.parametrize(
    "content, message",
    [
        (lambda: with_level_7(expected_data("BGM1219-002v2")), "the level must be"),
        (lambda: without_base_level(expected_data("BGM1219-002v2")), "missing key 'base_level'"),
        (lambda: b'{"code": "X",\n"name": }', ":2: error: invalid JSON: Expecting value"),
        (lambda: "職能基準".encode("big5"), ":1: error: the file is not UTF-8 text"),
        (lambda: b"", ": error: the file is empty"),
    ],
    ids=["level 7", "missing key", "bad JSON", "not UTF-8", "empty"],
)
def test_a_bad_file_gives_a_clear_error_and_leaves_the_database_unchanged(
    tmp_path, content, message
):
    run("import_standards", str(expected_path("KRM1324-002v1")))
    before = table_counts()
    value = content()
    path = tmp_path / "bad.json"
    if isinstance(value, bytes):
        path.write_bytes(value)
    else:
        write_json(path, value)

    _, err, _ = run_failing("import_standards", str(path))

    assert err.startswith(f"{path}")
    assert message in err
    assert table_counts() == before


def test_a_file_that_does_not_exist_is_reported(tmp_path):
    missing = tmp_path / "missing.txt"

    _, err, _ = run_failing("import_standards", str(missing))

    assert err == f"{missing}: error: no such file\n"


def test_a_failed_edit_leaves_the_stored_version_exactly_as_it_was(tmp_path):
    run("import_standards", "--draft", str(expected_path("KRM1324-002v1")))
    stored = standard_export(standard=Standard.objects.get())
    task_pks = list(Task.objects.order_by("pk").values_list("pk", flat=True))
    data = expected_data("KRM1324-002v1")
    data["duties"][0]["title"] = "改過的職責"
    data["attitudes"][0]["name"] = "很長" * 101  # too long for Attitude.name
    edited = write_json(tmp_path / "edited.json", data)

    _, err, _ = run_failing("import_standards", "--draft", edited)

    assert err.startswith(f"{edited}: error: attitude A01: name:")
    assert standard_export(standard=Standard.objects.get()) == stored
    assert list(Task.objects.order_by("pk").values_list("pk", flat=True)) == task_pks


def test_dry_run_reports_what_would_happen_and_writes_nothing():
    path = str(expected_path("BGM1219-002v2"))

    out, _ = run("import_standards", "--dry-run", path)

    assert out.startswith(f"{path}: would create BGM1219-002v2 基層主管 (5 duties, 17 tasks)")
    assert set(table_counts().values()) == {0}


def test_dry_run_of_an_edit_keeps_the_stored_version(tmp_path):
    run("import_standards", "--draft", str(expected_path("KRM1324-002v1")))
    stored = standard_export(standard=Standard.objects.get())
    data = expected_data("KRM1324-002v1")
    data["duties"][0]["tasks"][0]["level"] = 5
    edited = write_json(tmp_path / "edited.json", data)

    out, _ = run("import_standards", "--dry-run", "--draft", edited)

    assert out.startswith(f"{edited}: would update KRM1324-002v1")
    assert standard_export(standard=Standard.objects.get()) == stored


def test_an_edited_published_version_is_refused_and_nothing_changes(tmp_path):
    run("import_standards", str(expected_path("KRM1324-002v1")))
    stored = standard_export(standard=Standard.objects.get())
    before = table_counts()
    data = expected_data("KRM1324-002v1")
    data["duties"][0]["tasks"][0]["level"] = 5
    edited = write_json(tmp_path / "edited.json", data)

    out, err, error = run_failing("import_standards", edited)

    assert out == ""
    assert err == f"{edited}: error: {PUBLISHED_READ_ONLY % {'code': 'KRM1324-002v1'}}\n"
    assert str(error) == "1 of 1 files could not be imported"
    assert standard_export(standard=Standard.objects.get()) == stored
    assert table_counts() == before


def test_a_published_version_cannot_be_imported_again_as_a_draft():
    path = str(expected_path("KRM1324-002v1"))
    run("import_standards", path)

    _, err, _ = run_failing("import_standards", "--draft", path)

    assert err == f"{path}: error: {PUBLISHED_READ_ONLY % {'code': 'KRM1324-002v1'}}\n"
    assert Standard.objects.get().is_published


def test_an_edited_draft_is_updated_and_then_published(tmp_path):
    run("import_standards", "--draft", str(expected_path("KRM1324-002v1")))
    data = expected_data("KRM1324-002v1")
    data["duties"][0]["tasks"][0]["level"] = 5
    edited = write_json(tmp_path / "edited.json", data)

    drafted, _ = run("import_standards", "--draft", edited)
    published, _ = run("import_standards", edited)

    assert drafted.startswith(f"{edited}: updated KRM1324-002v1")
    assert published.startswith(f"{edited}: updated KRM1324-002v1")
    assert Standard.objects.get().is_published
    assert Task.objects.get(code="T1.1").level == 5


def test_a_knowledge_code_with_a_line_break_is_refused_at_its_line(tmp_path):
    bad = "K0\n1"
    data = expected_data("KRM1324-002v1")
    old = data["knowledge"][0]["code"]
    data["knowledge"][0]["code"] = bad
    for duty in data["duties"]:
        for task in duty["tasks"]:
            task["knowledge"] = [bad if code == old else code for code in task["knowledge"]]
    path = write_json(tmp_path / "bad.json", data)

    _, err, _ = run_failing("import_standards", path)

    line = 1 + next(
        number
        for number, text in enumerate(Path(path).read_text().splitlines())
        if '"code": "K0\\n1"' in text
    )
    assert err == f"{path}:{line}: error: knowledge: {code_error(bad)}\n"
    assert not Standard.objects.exists()


def test_draft_imports_without_publishing():
    run("import_standards", "--draft", str(expected_path("KRM1324-002v1")))

    assert Standard.objects.get().publication == Standard.Publication.DRAFT


def test_every_warning_is_printed_with_path_and_line(monkeypatch):
    def read_with_warnings(*, name: str, data: bytes) -> ParsedStandard:
        document = ParsedStandard.from_dict(json.loads(data))
        document.warnings = [ParseWarning(20, "P2.2.1 printed under T2.1 renumbered P2.1.1")]
        return document

    monkeypatch.setattr(
        "standards.management.commands.import_standards.read_document", read_with_warnings
    )
    path = str(expected_path("KRM1324-002v1"))

    out, _ = run("import_standards", path)

    assert out.splitlines()[1] == f"{path}:20: warning: P2.2.1 printed under T2.1 renumbered P2.1.1"


def test_export_standard_prints_the_interchange_json():
    run("import_standards", str(expected_path("AVA4322-001v4")))

    out, _ = run("export_standard", "AVA4322-001v4")

    assert json.loads(out) == expected_data("AVA4322-001v4")
    assert out == json.dumps(expected_data("AVA4322-001v4"), ensure_ascii=False, indent=2) + "\n"


def test_export_standard_of_an_unknown_code_fails_clearly():
    _, _, error = run_failing("export_standard", "NOPE0000-000v1")

    assert str(error) == "no standard has the code 'NOPE0000-000v1'"


def sample_workbook() -> bytes:
    """Every sample in one workbook of whole documents, as the admin exports it."""
    for code in SAMPLES:
        run("import_standards", str(expected_path(code)))
    exported = [standard_export(standard=s) for s in Standard.objects.order_by("code")]
    Standard.objects.all().delete()
    return workbook_bytes(documents_workbook(exported))


def test_import_standards_reads_a_workbook_of_whole_documents_by_its_content(tmp_path):
    data = sample_workbook()
    path = tmp_path / "library.dat"  # the content decides, not the name
    path.write_bytes(data)

    out, err = run("import_standards", str(path))

    assert err == ""
    assert out.splitlines() == [
        f"{path}: created {code} {expected_data(code)['name']}" for code in sorted(SAMPLES)
    ]
    for code in SAMPLES:
        assert standard_export(standard=Standard.objects.get(code=code)) == expected_data(code)


def test_a_workbook_dry_run_reports_and_writes_nothing(tmp_path):
    path = tmp_path / "library.xlsx"
    path.write_bytes(sample_workbook())
    before = table_counts()

    out, _ = run("import_standards", "--dry-run", str(path))

    assert f"{path}: would create KRM1324-002v1 供應鏈管理助理" in out.splitlines()
    assert table_counts() == before


def test_a_workbook_with_one_bad_document_imports_none_of_them(tmp_path):
    data = sample_workbook()
    header = rows(data, "工作任務")[0]
    path = tmp_path / "library.xlsx"
    path.write_bytes(edited(data, "工作任務", 2, header.index("職能級別") + 1, 9))
    before = table_counts()

    out, err, raised = run_failing("import_standards", str(path))

    assert out == ""
    assert f"{path}: error: " in err and "9" in err
    assert "1 of 1 files could not be imported" in str(raised)
    assert table_counts() == before


def test_a_workbook_is_not_queued_in_the_background(tmp_path):
    path = tmp_path / "library.xlsx"
    path.write_bytes(sample_workbook())

    _, err, _ = run_failing("import_standards", "--background", str(path))

    assert "a workbook is imported at once, all or nothing" in err
    assert not Job.objects.exists()


def test_a_workbook_uploaded_as_one_document_is_told_where_to_go():
    data = sample_workbook()

    error = pytest.raises(ParseError, read_document, name="x.xlsx", data=data).value

    assert error.translated(gettext).startswith("這是 Excel 活頁簿")
