"""import_standards on the official plain-text renderings, then export_standard."""

import json
from pathlib import Path

import pytest

from standards.models import DocumentWarning, Standard
from tests.factories import SAMPLES
from tests.standards.samples import expected_data, table_counts
from tests.standards.test_commands import run, run_failing

DATA = Path(__file__).resolve().parents[2] / "standards" / "data"

pytestmark = pytest.mark.django_db


def sample_text(code: str) -> str:
    return (DATA / f"{code}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("code", SAMPLES)
def test_importing_the_text_then_exporting_gives_the_expected_json(code):
    run("import_standards", str(DATA / f"{code}.txt"))

    out, _ = run("export_standard", code)

    assert json.loads(out) == expected_data(code)


def test_exported_json_imported_into_an_empty_database_is_the_same_standard(tmp_path):
    run("import_standards", str(DATA / "BGM1219-002v2.txt"))
    exported, _ = run("export_standard", "BGM1219-002v2")
    Standard.objects.all().delete()
    path = tmp_path / "BGM1219-002v2.json"
    path.write_text(exported, encoding="utf-8")

    run("import_standards", str(path))

    assert run("export_standard", "BGM1219-002v2")[0] == exported


def test_reimporting_the_same_text_changes_nothing():
    path = str(DATA / "AVA4322-001v4.txt")
    run("import_standards", path)
    before = table_counts()
    updated_at = Standard.objects.get().updated_at

    out, _ = run("import_standards", path)

    assert "unchanged AVA4322-001v4" in out
    assert table_counts() == before
    assert Standard.objects.get().updated_at == updated_at


def test_warnings_of_a_text_import_are_printed_and_stored_with_their_lines():
    out, _ = run("import_standards", str(DATA / "KRM1324-002v1.txt"))

    assert ":20: warning: P2.2.1 printed under T2.1 renumbered P2.1.1" in out
    assert DocumentWarning.objects.filter(line=20, message__contains="P2.2.1").exists()


def truncated() -> str:
    text = sample_text("BHR1212-001v2")
    return text[: text.index("T4 監控專案管理計畫")]


def task_before_duty() -> str:
    return sample_text("KRM1324-002v1").replace("T1協助庫存與需求的管理\t", "\t", 1)


def level_8() -> str:
    return sample_text("KRM1324-002v1").replace("\t3\t<p>K01", "\t8\t<p>K01", 1)


def no_task_table() -> str:
    text = sample_text("KRM1324-002v1")
    return text[: text.index("主要職責")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (truncated, "the attitude section 職能內涵 (A=attitude 態度) is missing"),
        (task_before_duty, ":15: error: task T1.1 comes before any duty"),
        (level_8, ":15: error: competency level 8 is outside 1–6"),
        (no_task_table, "error: no task table found"),
        (lambda: "隨便寫的一段文字\n沒有任何表格\n", "error: no task table found"),
        (lambda: "\x00\x01\x02garbage", "error: no task table found"),
    ],
    ids=["truncated", "task before duty", "level 8", "no task table", "prose", "garbage"],
)
def test_an_unreadable_document_is_reported_and_nothing_changes(tmp_path, content, message):
    run("import_standards", str(DATA / "AVA4322-001v4.txt"))
    before = table_counts()
    path = tmp_path / "broken.txt"
    path.write_text(content(), encoding="utf-8")

    _, err, error = run_failing("import_standards", str(path))

    assert err.startswith(str(path))
    assert message in err
    assert "1 of 1 files could not be imported" in str(error)
    assert table_counts() == before


def test_a_document_in_big5_is_refused_as_not_utf8(tmp_path):
    path = tmp_path / "big5.txt"
    path.write_bytes(sample_text("KRM1324-002v1").encode("big5", "replace"))

    _, err, _ = run_failing("import_standards", str(path))

    assert "the file is not UTF-8 text" in err
    assert not Standard.objects.exists()
