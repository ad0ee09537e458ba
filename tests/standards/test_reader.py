"""read_document: deciding between JSON and text, and refusing bad files with their line."""

import codecs
import json

import pytest

from standards.parsing import ParseError
from standards.reader import EMPTY_FILE, JSON_NOT_OBJECT, read_document
from tests.standards.samples import SAMPLES, expected_data, expected_path


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


def test_a_skill_missing_from_the_catalogue_is_refused():
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
