"""read_document: deciding between JSON and text, and refusing bad files with their line."""

import codecs
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext

from standards.parsing import ParseError
from standards.reader import (
    EMPTY_FILE,
    JSON_DUPLICATE_KEY,
    JSON_NOT_OBJECT,
    JSON_NUL,
    JSON_NUMBER_TOO_LONG,
    JSON_TOO_DEEP,
    MAX_JSON_DEPTH,
    MAX_JSON_DIGITS,
    read_document,
)
from standards.uploads import UploadedDocument, uploads_preview
from tests.factories import SAMPLES
from tests.standards.samples import expected_data, expected_path


def as_json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def read_error(data: bytes, name: str = "upload.json") -> ParseError:
    with pytest.raises(ParseError) as raised:
        read_document(name=name, data=data)
    return raised.value


def line_of(data: bytes, text: str) -> int:
    """The 1-based line of the first occurrence of `text`."""
    return data.decode()[: data.decode().index(text)].count("\n") + 1


@pytest.mark.parametrize("code", SAMPLES)
def test_the_interchange_json_of_every_sample_reads_back_unchanged(code):
    document = read_document(name=f"{code}.json", data=expected_path(code).read_bytes())

    assert document.to_dict() == expected_data(code)
    assert document.warnings == []


def test_a_byte_order_mark_is_accepted():
    data = codecs.BOM_UTF8 + expected_path("KRM1324-002v1").read_bytes()

    assert read_document(name="x.json", data=data).code == "KRM1324-002v1"


def test_the_content_decides_not_the_name():
    data = expected_path("KRM1324-002v1").read_bytes()

    assert read_document(name="standard.txt", data=data).code == "KRM1324-002v1"


def test_optional_keys_may_be_left_out():
    data = expected_data("KRM1324-002v1")
    for key in ("versions", "knowledge", "skills", "attitudes", "notes", "description"):
        data.pop(key)
    for task in [task for duty in data["duties"] for task in duty["tasks"]]:
        task.pop("knowledge")
        task.pop("skills")

    document = read_document(name="x.json", data=as_json(data))

    assert (document.description, document.notes, document.knowledge) == ("", [], [])


def test_an_empty_file_is_refused():
    assert read_error(b"").message == EMPTY_FILE
    assert read_error(b" \n\t\n", name="x.txt").message == EMPTY_FILE


def test_bytes_that_are_not_utf8_are_refused_with_their_line():
    error = read_error('{\n  "code": "職能"\n}'.encode("big5"))

    assert error.message.startswith("the file is not UTF-8 text")
    assert error.line == 2


def test_invalid_json_is_refused_with_the_line_of_the_mistake():
    error = read_error(b'{\n  "code": "X",\n  "name": "Y"\n  "base_level": 3\n}')

    assert error.message == "invalid JSON: Expecting ',' delimiter"
    assert error.line == 4


def test_a_json_file_that_is_not_an_object_is_refused():
    assert read_error(b'[{"code": "X"}]', name="list.json").message == JSON_NOT_OBJECT


def test_a_missing_key_is_named():
    data = expected_data("KRM1324-002v1")
    del data["duties"][1]["tasks"][0]["level"]
    raw = as_json(data)

    error = read_error(raw)

    assert error.message == "task T2.1: missing key 'level'"
    assert error.line == line_of(raw, '"code": "T2.1"')


def test_a_missing_top_level_key_is_named():
    data = expected_data("KRM1324-002v1")
    del data["base_level"]

    assert read_error(as_json(data)).message == "the standard: missing key 'base_level'"


def test_an_unknown_key_is_refused():
    data = expected_data("KRM1324-002v1")
    data["duties"][0]["tasks"][0]["levle"] = 3

    assert read_error(as_json(data)).message == "task T1.1: unknown key 'levle'"


def test_a_value_of_the_wrong_type_is_refused():
    data = expected_data("KRM1324-002v1")
    data["duties"][0]["tasks"][0]["level"] = "3"

    assert read_error(as_json(data)).message == "task T1.1: 'level' must be a whole number"


def test_a_level_of_7_is_refused_with_the_line_of_that_level():
    data = expected_data("KRM1324-002v1")
    data["duties"][1]["tasks"][1]["level"] = 7
    raw = as_json(data)

    error = read_error(raw)

    assert error.message == "task T2.2: the level must be a whole number from 1 to 6, not 7"
    code_line = line_of(raw, '"code": "T2.2"')
    assert error.line == code_line + 2  # code, title, level


def test_a_base_level_of_0_is_refused():
    data = expected_data("KRM1324-002v1")
    data["base_level"] = 0

    error = read_error(as_json(data))

    assert error.message == "the base level must be a whole number from 1 to 6, not 0"


def test_a_skill_missing_from_the_item_list_is_refused():
    data = expected_data("KRM1324-002v1")
    data["duties"][0]["tasks"][1]["skills"].append("S99")

    error = read_error(as_json(data))

    assert error.message == "task T1.2: skill S99 is not in the skill list"


def test_a_task_code_used_twice_is_refused_at_its_second_use():
    data = expected_data("KRM1324-002v1")
    data["duties"][1]["tasks"][0]["code"] = "T1.1"
    raw = as_json(data)

    error = read_error(raw)

    assert error.message == "task code T1.1 is used twice"
    assert error.line == line_of(raw, '"title": "' + data["duties"][1]["tasks"][0]["title"]) - 1


def test_a_bad_version_date_is_refused():
    data = expected_data("AVA4322-001v4")
    data["versions"][1]["date"] = "2021/04/06"

    error = read_error(as_json(data))

    assert error.message == "version AVA4322-001v3: the date must be YYYY-MM-DD, not '2021/04/06'"


# -- hostile and odd JSON: a ParseError with its line, never another exception -------


def with_text(replace: str, by: str, count: int = 1) -> bytes:
    """The KRM sample's interchange JSON with `replace` replaced by `by`."""
    raw = expected_path("KRM1324-002v1").read_text(encoding="utf-8")
    assert replace in raw
    return raw.replace(replace, by, count).encode()


BASE_LEVEL = '"base_level": 3'


@pytest.mark.parametrize(
    ("data", "message", "where"),
    [
        (b'{"code":' + b"[" * 100_000, JSON_TOO_DEEP.format(limit=MAX_JSON_DEPTH), "{"),
        (with_text('"notes": [', '"notes": [' + "[" * 100_000), "", '"notes"'),
        (with_text(BASE_LEVEL, '"base_level": 1' + "0" * 100_000), "", BASE_LEVEL[:12]),
        (with_text(BASE_LEVEL, '"base_level": NaN'), "NaN is", BASE_LEVEL[:12]),
        (with_text(BASE_LEVEL, '"base_level": -Infinity'), "-Infinity is", BASE_LEVEL[:12]),
        (with_text(BASE_LEVEL, BASE_LEVEL + ', "base_level": 4'), "", BASE_LEVEL[:12]),
        (with_text('"name": "', '"name": "\\ud800'), "the escape \\ud800", '"name"'),
        (with_text('"notes"', '"\\udc00notes"'), "the escape \\udc00", "notes"),
        (with_text('"code": "T1"', '"code": "T1\\ud800"'), "", '"code": "T1'),
        (with_text('"name": "', '"name": "\\u0000'), JSON_NUL, '"name"'),
    ],
    ids=[
        "nested arrays",
        "nested inside the document",
        "a 100,000-digit number",
        "NaN",
        "-Infinity",
        "a key twice",
        "a lone high surrogate",
        "a lone low surrogate in a key",
        "a lone surrogate in a code",
        "a NUL character",
    ],
)
def test_hostile_json_is_refused_with_a_message_and_its_line(data, message, where):
    error = read_error(data)

    assert error.message.startswith(message)
    assert error.line == line_of(data, where)


def test_the_messages_for_hostile_json_name_the_problem():
    assert read_error(b'{"a": [[[' + b"[" * 5_000 + b"]").message == JSON_TOO_DEEP.format(
        limit=MAX_JSON_DEPTH
    )
    assert read_error(with_text(BASE_LEVEL, '"base_level": ' + "9" * 5_000)).message == (
        JSON_NUMBER_TOO_LONG.format(limit=MAX_JSON_DIGITS)
    )
    assert read_error(with_text(BASE_LEVEL, BASE_LEVEL + ', "base_level": 4')).message == (
        JSON_DUPLICATE_KEY.format(key="base_level")
    )


def test_a_huge_number_inside_a_string_is_not_mistaken_for_the_refused_one():
    digits = "9" * 5_000
    data = with_text('"notes": [', f'"notes": ["{digits}", {digits}, ')

    assert read_error(data).line == line_of(data, f", {digits}")


def test_a_code_with_a_version_number_of_thousands_of_digits_is_refused():
    data = expected_data("KRM1324-002v1")
    data["code"] = "KRM1324-002v" + "1" * 5_000
    raw = as_json(data)

    error = read_error(raw)

    assert error.message.startswith("the version number of the code 'KRM1324-002v111")
    assert error.line == line_of(raw, '"code"')


@pytest.mark.django_db
def test_the_command_line_names_path_and_line_of_hostile_json(tmp_path):
    path = tmp_path / "hostile.json"
    path.write_bytes(with_text('"name": "', '"name": "\\ud800'))
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_standards", str(path), stdout=StringIO(), stderr=err)

    assert err.getvalue().startswith(f"{path}:3: error: the escape \\ud800 is half of a character")


@pytest.mark.django_db
def test_the_upload_preview_shows_the_message_for_hostile_json():
    document = UploadedDocument(name="deep.json", data=b'{"code": ' + b"[" * 100_000)

    [preview] = uploads_preview(documents=[document], publish=True)

    assert (preview.error, preview.error_line) == ("JSON 巢狀超過 100 層；交換格式只需要 6 層", 1)
    assert MAX_JSON_DEPTH == 100


# Every kind of error the JSON reader gives, as HR reads it on a zh-hant page and on an
# English one: (what is done to KRM1324-002v1's interchange form, zh-hant, English).
SAID_IN_BOTH = [
    (
        lambda d: d["duties"][1]["tasks"][0].pop("level"),
        "工作任務 T2.1：缺少鍵 'level'",
        "task T2.1: missing key 'level'",
    ),
    (
        lambda d: d["duties"][0]["tasks"][0].update(levle=3),
        "工作任務 T1.1：不認得的鍵 'levle'",
        "task T1.1: unknown key 'levle'",
    ),
    (
        lambda d: d["duties"][0]["tasks"][0].update(level="3"),
        "工作任務 T1.1：'level' 必須是整數",
        "task T1.1: 'level' must be a whole number",
    ),
    (
        lambda d: d["duties"][0]["tasks"][0].pop("code"),
        "主要職責 T1 的第 1 項工作任務：缺少鍵 'code'",
        "task 1 of duty T1: missing key 'code'",
    ),
    (
        lambda d: d["duties"][0]["tasks"][0]["outputs"].append("O9"),
        "工作任務 T1.1的第 1 項工作產出必須是物件",
        "task T1.1, work output 1 must be an object",
    ),
    (
        lambda d: d["duties"][0]["tasks"][0]["knowledge"].append(5),
        "工作任務 T1.1：knowledge必須是字串的清單",
        "task T1.1: knowledge must be a list of strings",
    ),
    (
        lambda d: d["versions"].append(
            {"version": "V1", "code": "X", "name": "x", "date": "2019/1/2"}
        ),
        "版本 X：日期須為 YYYY-MM-DD，不是 '2019/1/2'",
        "version X: the date must be YYYY-MM-DD, not '2019/1/2'",
    ),
    (
        lambda d: d.update(category="BGM"),
        "職能基準：'category' 必須是物件",
        "the standard: 'category' must be an object",
    ),
    (
        lambda d: d.update(base_level=0),
        "基準級別須為 1 到 6 的整數，不是 0",
        "the base level must be a whole number from 1 to 6, not 0",
    ),
    (
        lambda d: d["duties"][0]["tasks"][1]["skills"].append("S99"),
        "工作任務 T1.2：技能 S99 不在技能清單中",
        "task T1.2: skill S99 is not in the skill list",
    ),
    (
        lambda d: d["duties"][1]["tasks"][0].update(code="T1.1"),
        "工作任務代碼 T1.1 用了兩次",
        "task code T1.1 is used twice",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("edit", "chinese", "english"), SAID_IN_BOTH)
def test_every_error_of_the_json_reader_is_said_in_the_readers_language(edit, chinese, english):
    data = expected_data("KRM1324-002v1")
    edit(data)

    error = read_error(as_json(data))

    assert error.message == english
    assert error.translated(gettext) == chinese
    with translation.override("en"):
        assert error.translated(gettext) == english


def test_a_code_the_rules_refuse_is_said_in_the_readers_language():
    data = expected_data("KRM1324-002v1")
    for entry in [data["occupation"], *data.get("occupations", [])[:1]]:
        entry["code"] = "1/2"

    error = read_error(as_json(data))

    assert error.translated(gettext).startswith("職業別：代碼 '1/2' 含有不允許的字元")
    with translation.override("en"):
        assert error.translated(gettext).startswith("occupation: The code '1/2' holds a character")


@pytest.mark.django_db
def test_the_upload_preview_says_a_json_error_in_the_pages_language(client):
    data = expected_data("KRM1324-002v1")
    data["duties"][0]["tasks"][0]["level"] = "3"
    document = UploadedDocument(name="x.json", data=as_json(data))

    [chinese] = uploads_preview(documents=[document], publish=True)
    with translation.override("en"):
        [english] = uploads_preview(documents=[document], publish=True)

    assert chinese.error == "工作任務 T1.1：'level' 必須是整數"
    assert english.error == "task T1.1: 'level' must be a whole number"
