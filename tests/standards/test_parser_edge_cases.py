"""Documents at the edges: those the parser cannot read (a clear message and its line),
and rare layouts it still reads."""

import pytest

from standards.parsing import ParseError, parse_text
from tests.standards.rendering import GOOD_ROW, HEADER_ROW, document, messages, row

# -- documents that cannot be read ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   \n\n", "empty"),
        ("這不是職能基準。\n隨便的文字\n", "no task table"),
        (document("").replace(HEADER_ROW, "簡介"), "no task table"),
        (document(row("", "T1.1 甲", "", "P1.1.1 甲", "3")), "task T1.1 comes before any duty"),
        (document(row("T1 規劃", "T1.1 甲", "", "P1.1.1 甲", "7")), "level 7 is outside 1–6"),
        (document(row("T1 規劃", "T1.1 甲", "", "P1.1.1 甲", "")), "T1.1 has no competency level"),
        (document(GOOD_ROW).split("職能內涵 (A=")[0], "truncated"),
        (document(GOOD_ROW).replace("基準級別\t\t3", "基準級別\t\t9"), "base level 9"),
        (document(GOOD_ROW).replace("TST0001-001v1", ""), "職能基準代碼"),
        (document(row("T1 規劃") + "\n" + GOOD_ROW.replace("T1 ", "T2 ")), "duty T1 has no tasks"),
        (
            document(
                "\n".join(
                    [
                        GOOD_ROW,
                        row("", "T1.2 乙", "", "P1.2.1 乙"),
                        row("", "T1.1 丙", "", "P1.1.1 丙"),
                    ]
                )
            ),
            "T1.1 appears twice",
        ),
    ],
)
def test_unreadable_document_raises_a_clear_error(text, reason):
    with pytest.raises(ParseError) as error:
        parse_text(text)

    assert reason in str(error.value)


def test_error_names_the_line():
    text = document(row("T1 規劃", "T1.1 甲", "", "P1.1.1 甲", "7"))

    with pytest.raises(ParseError) as error:
        parse_text(text)

    line = text.split("\n").index(row("T1 規劃", "T1.1 甲", "", "P1.1.1 甲", "7")) + 1
    assert error.value.line == line
    assert str(error.value).startswith(f"line {line}:")


# -- layouts at the edges ---------------------------------------------------------


def test_duty_code_and_title_in_separate_cells_and_placeholder_outputs():
    parsed = parse_text(
        document(
            "\n".join(
                [
                    row("T1", "協助規劃", "", "", "", "", ""),
                    row("", "T1.1 分析", "無", "P1.1.1 能分析", "3級", "K01 甲", "S01 乙"),
                ]
            )
        ).replace("基準級別\t\t3", "基準級別\t\t第3級")
    )

    duty = parsed.duties[0]
    assert [duty.code, duty.title] == ["T1", "協助規劃"]
    assert duty.tasks[0].outputs == [] and duty.tasks[0].level == 3
    assert parsed.base_level == 3
    assert "placeholder '無' read as an empty cell" in messages(parsed)


def test_attitude_with_its_description_in_the_next_cell():
    parsed = parse_text(document(GOOD_ROW, attitudes="A01 主動積極\t不需他人指示。"))

    assert [(a.code, a.name, a.description) for a in parsed.attitudes] == [
        ("A01", "主動積極", "不需他人指示。")
    ]


def test_a_name_only_attitude_is_stored_without_its_closing_punctuation():
    parsed = parse_text(
        document(
            GOOD_ROW,
            attitudes=(
                "A01 主動學習。\nA02 團隊合作；\nA03 Teamwork.\nA04 細心;\n"
                "A05 親和力。：友善。\nA06\t彈性。\t能調整。\nA07 應變。\t能應變。"
            ),
        )
    )

    assert [(a.name, a.description) for a in parsed.attitudes] == [
        ("主動學習", None),
        ("團隊合作", None),
        ("Teamwork", None),
        ("細心", None),
        ("親和力", "友善。"),
        ("彈性", "能調整。"),
        ("應變", "能應變。"),
    ]
