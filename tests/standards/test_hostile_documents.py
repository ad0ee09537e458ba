"""Documents built to make the parser slow are read, or refused with a ParseError, quickly.

No timed assertions: each document runs under an alarm of TIME_LIMIT seconds, many times
what it needs on a busy machine, while the quadratic code took minutes on each.
"""

import pytest

from standards.parsing import ParseError, parse_text
from standards.parsing.document import MAX_CELLS, MAX_CODES, MAX_LINES, TOO_LARGE
from standards.parsing.repairs import TOO_MANY_MERGED_LINKS
from standards.parsing.table import MAX_TITLE, TITLE_TOO_LONG
from standards.reader import read_document
from tests.standards.hostile import (
    MERGED_ACROSS_THOUSANDS_OF_TASKS,
    QUADRATIC_DOCUMENTS,
    document,
    finishes_within,
    repeated,
    task_row,
)

TIME_LIMIT = 10


def read(text: str):
    with finishes_within(TIME_LIMIT):
        return read_document(name="hostile.txt", data=text.encode())


# The hostile documents the parser reads; it refuses the others (too many lines or codes,
# a run-together title, an impossible base level).
READ_IN_TIME = [
    "a cell of <b> tags",
    "unclosed comments",
    "a wide version table",
    "a character reference of 5,000 digits",
    "a knowledge code of 5,000 digits",
    "a skill code of 5,000 digits",
]
REFUSED_IN_TIME = [name for name in QUADRATIC_DOCUMENTS if name not in READ_IN_TIME]


@pytest.mark.parametrize("name", READ_IN_TIME)
def test_a_hostile_document_is_read_within_the_time_limit(name):
    document = read(QUADRATIC_DOCUMENTS[name]())

    assert document.duties


@pytest.mark.parametrize("name", REFUSED_IN_TIME)
def test_a_hostile_document_is_refused_within_the_time_limit(name):
    with pytest.raises(ParseError) as refused:
        read(QUADRATIC_DOCUMENTS[name]())

    assert refused.value.message


def test_a_cell_of_tags_reads_as_its_text():
    parsed = read(document(task_row("P1.1.1 能" + repeated("<b>") + "測試")))

    assert parsed.duties[0].tasks[0].indicators[0].text == "能測試"


def test_a_line_of_unclosed_comments_keeps_them_as_text():
    parsed = read(document(task_row("P1.1.1 能 " + repeated("<!--"))))

    assert parsed.duties[0].tasks[0].indicators[0].text.startswith("能 <!--<!--")


@pytest.mark.parametrize(
    ("text", "what", "limit"),
    [
        (document(task_row()) + "\n" * MAX_LINES, "lines", MAX_LINES),
        (document(task_row() + "\n續" + "\t" * MAX_CELLS), "table cells", MAX_CELLS),
        (
            document(task_row(" ".join(f"P1.1.{i} 能" for i in range(1, MAX_CODES + 1)))),
            "codes",
            MAX_CODES,
        ),
        (
            document(task_row(), attitudes=" ".join(f"A{i} 態度" for i in range(MAX_CODES))),
            "codes",
            MAX_CODES,
        ),
    ],
    ids=["lines", "cells", "codes in the table", "attitudes"],
)
def test_a_document_past_a_size_limit_is_refused_with_the_line(text, what, limit):
    with pytest.raises(ParseError) as raised:
        read(text)

    assert raised.value.message == TOO_LARGE.format(limit=limit, what=what)
    assert raised.value.line > 0


def test_a_task_printed_again_with_an_ever_longer_title_is_refused():
    rows = task_row() + "\n" + "".join(f"\tT1.1 續{i}\n" for i in range(MAX_TITLE))

    with pytest.raises(ParseError) as raised:
        read(document(rows))

    assert raised.value.message == TITLE_TOO_LONG.format(code="T1.1", limit=MAX_TITLE)


def test_a_knowledge_cell_merged_across_thousands_of_tasks_is_refused():
    with pytest.raises(ParseError) as raised:
        parse_text(MERGED_ACROSS_THOUSANDS_OF_TASKS)

    assert raised.value.message == TOO_MANY_MERGED_LINKS.format(
        label="knowledge", code="T1", items=3_299, tasks=3_299, limit=10_000
    )


def test_a_character_reference_beyond_unicode_reads_as_a_replacement_character():
    parsed = parse_text(document(task_row("P1.1.1 能&#" + "9" * 5_000 + ";&#00000000065;")))

    assert parsed.duties[0].tasks[0].indicators[0].text == "能\ufffdA"


def test_a_base_level_of_thousands_of_digits_is_outside_the_scale():
    text = document(task_row()).replace("基準級別\t\t3", "基準級別\t\t" + "9" * 5_000)

    with pytest.raises(ParseError) as raised:
        parse_text(text)

    assert raised.value.message == "base level 999999999999 is outside 1–6"


def test_knowledge_and_skill_codes_of_thousands_of_digits_are_read_and_sorted():
    long_k, long_s = "K" + "1" * 5_000, "S" + "1" * 5_000
    row = task_row(knowledge=f"K02 知 {long_k} 長 K1 一").replace(
        "S01 技能", f"S01 技能 {long_s} 長 SS02 共"
    )

    parsed = parse_text(document(row))

    assert [item.code for item in parsed.knowledge] == ["K1", "K02", long_k]
    assert [item.code for item in parsed.skills] == ["S01", long_s, "SS02"]
