"""The plain-text parser against the four official samples and every documented variant."""

import json
from pathlib import Path

import pytest

from standards.parsing import parse_text
from standards.parsing.cleaning import clean
from tests.factories import SAMPLES
from tests.standards.rendering import document, messages, normalised, row, tasks_of

DATA = Path(__file__).resolve().parents[2] / "standards" / "data"
EXPECTED = Path(__file__).resolve().parents[1] / "fixtures" / "expected"


@pytest.mark.parametrize("code", SAMPLES)
def test_sample_parses_exactly_as_the_hand_checked_json(code):
    parsed = parse_text((DATA / f"{code}.txt").read_text(encoding="utf-8"))
    expected = json.loads((EXPECTED / f"{code}.json").read_text(encoding="utf-8"))

    got = normalised(parsed.to_dict())
    for key in expected:
        assert got[key] == normalised(expected[key]), key
    assert got.keys() == expected.keys()


@pytest.mark.parametrize("code", SAMPLES)
def test_every_warning_of_a_sample_has_a_line_number(code):
    parsed = parse_text((DATA / f"{code}.txt").read_text(encoding="utf-8"))

    assert all(warning.line > 0 for warning in parsed.warnings)


def test_sample_repairs_are_reported_as_warnings():
    krm = parse_text((DATA / "KRM1324-002v1.txt").read_text(encoding="utf-8"))
    bhr = parse_text((DATA / "BHR1212-001v2.txt").read_text(encoding="utf-8"))

    assert "20: P2.2.1 printed under T2.1 renumbered P2.1.1" in messages(krm)
    assert "35: O4.1.1 printed under T4.2 renumbered O4.2.1" in messages(bhr)
    assert "S01 also named" in messages(bhr)


# -- text clean-up -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("節 目草案", "節目草案"),
        ("( 組織架構 )", "(組織架構)"),
        ("產品規格 (量產)", "產品規格 (量產)"),
        ("使用 ERP 系統", "使用 ERP 系統"),
        ("<p>能夠 <u>確認</u> 品質</p>", "能夠確認品質"),
        ('<ul style="list-style: none" 領導', "領導"),
        ("**建議條件：**", "建議條件："),
        ("### 其他補充說明", "其他補充說明"),
        ("- 高中職以上畢業", "高中職以上畢業"),
        ("● 建議擔任", "建議擔任"),
        ("技巧： ■ 目標設定", "技巧： ■ 目標設定"),
        ("規劃 ，執行", "規劃，執行"),
        ("a&amp;b", "a&b"),
    ],
)
def test_clean_folds_markup_and_wrapping_spaces(raw, expected):
    assert clean(raw) == expected


# -- variants the samples do not all show --------------------------------------------


def test_header_row_variants_repeated_at_page_breaks_are_dropped():
    parsed = parse_text(
        document(
            "\n".join(
                [
                    row(
                        "T1 規劃",
                        "T1.1 分析",
                        "O1.1.1 報告",
                        "P1.1.1 能分析",
                        "3",
                        "K01 統計",
                        "S01 分析",
                    ),
                    "",
                    row(
                        "主要職責",
                        "工作任務",
                        "工作產出",
                        "行為指標",
                        "職能 級別",
                        "職能內涵 ( K=knowledge 知識 )",
                        "職能內涵 ( S=skills 技能 )",
                    ),
                    row(
                        "工作任務 (依需要分層)",
                        "",
                        "工作產出",
                        "行為指標",
                        "職能級別",
                        "職能內涵 (K=knowledge 知識)",
                        "職能內涵 (S=skills 技能)",
                    ),
                    row("", "", "", "", "職能", "職能內涵", "職能內涵"),
                    row("", "", "", "", "級別", "(K=knowledge 知識)", "(S=skills 技能)"),
                    row("", "T1.2 報告", "", "P1.2.1 能報告", "4", "K01 統計", "S01 分析"),
                ]
            )
        )
    )

    task = tasks_of(parsed)["T1.2"]
    assert [task.title, task.level, task.knowledge] == ["報告", 4, ["K01"]]
    assert parsed.knowledge[0].name == "統計"


def test_continuation_row_extends_texts_and_appends_new_items():
    parsed = parse_text(
        document(
            "\n".join(
                [
                    row(
                        "T1 規劃",
                        "T1.1 確認產品規",
                        "O1.1.1 需求",
                        "P1.1.1 能夠將新技術",
                        "4",
                        "K01 工藝",
                        "S01 與客戶",
                    ),
                    row(
                        "",
                        "格 (量產型態)",
                        "單 O1.1.2 設計圖",
                        "轉換為參考。 P1.1.2 能制定規格。",
                        "",
                        "設計 K02 美學",
                        "溝通 S02 繪圖",
                    ),
                ]
            )
        )
    )

    task = tasks_of(parsed)["T1.1"]
    assert task.title == "確認產品規格 (量產型態)"
    assert [(o.code, o.text) for o in task.outputs] == [("O1.1.1", "需求單"), ("O1.1.2", "設計圖")]
    assert [i.text for i in task.indicators] == ["能夠將新技術轉換為參考。", "能制定規格。"]
    assert [k.name for k in parsed.knowledge] == ["工藝設計", "美學"]
    assert [s.name for s in parsed.skills] == ["與客戶溝通", "繪圖"]


def test_parenthesis_closed_by_the_page_break_is_reopened():
    parsed = parse_text(
        document(
            "\n".join(
                [
                    row(
                        "T1 規劃", "T1.1 管理 (量產)", "", "P1.1.1 能管理", "3", "K01 甲", "S01 乙"
                    ),
                    row("", "型態與少量多樣型態)", "", "", "", "", ""),
                ]
            )
        )
    )

    assert tasks_of(parsed)["T1.1"].title == "管理 (量產型態與少量多樣型態)"


def test_cells_shifted_by_one_column_are_recognised_by_their_codes():
    parsed = parse_text(
        document(
            "\n".join(
                [
                    row("T1 規劃", "T1.1 分析", "", "P1.1.1 能分析", "3", "K01 統計", "S01 分析"),
                    row(
                        "",
                        "T1.2 評估",
                        "O1.2.1 評估表",
                        "P1.2.1 能評估",
                        "",
                        "",
                        "K02 法規",
                        "S02 評估",
                    ),
                    row("", "", "", "", "", "", "與採購", "技能"),
                ]
            )
        )
    )

    task = tasks_of(parsed)["T1.2"]
    assert [task.knowledge, task.skills, task.level] == [["K02"], ["S02"], 3]
    assert [k.name for k in parsed.knowledge] == ["統計", "法規與採購"]
    assert "cells shifted" in messages(parsed)


def test_blank_level_takes_the_merged_cell_level_of_its_duty():
    parsed = parse_text(
        document(
            "\n".join(
                [
                    row("T1 規劃", "T1.1 分析", "", "P1.1.1 能分析", "5", "K01 甲", "S01 乙"),
                    row("", "T1.2 評估", "", "P1.2.1 能評估", "", "K02 丙", "S02 丁"),
                    row("T2 執行", "T2.1 執行", "", "P2.1.1 能執行", "2", "K03 戊", "S03 己"),
                ]
            )
        )
    )

    levels = {code: task.level for code, task in tasks_of(parsed).items()}
    assert levels == {"T1.1": 5, "T1.2": 5, "T2.1": 2}
    assert "level of T1.2 taken from the merged cell of T1.1" in messages(parsed)


def test_knowledge_and_skill_cells_merged_across_a_duty_hold_for_every_task():
    parsed = parse_text(
        document(
            "\n".join(
                [
                    row(
                        "T1 帶領團隊",
                        "T1.1 設定計畫",
                        "",
                        "P1.1.1 協商",
                        "5",
                        "K1 目標 K2 原則： ■ 授權",
                        "S1 溝通",
                    ),
                    row("", "T1.2 增進凝聚力", "", "P1.2.1 提供機會"),
                    row("", "", "", "", "", "■ 領導", "S2 規劃"),
                    row("", "T1.3 帶領", "", "P1.3.1 鼓勵", "", "K3 結構", ""),
                ]
            )
        )
    )

    for task in tasks_of(parsed).values():
        assert task.knowledge == ["K1", "K2", "K3"]
        assert task.skills == ["S1", "S2"]
    assert parsed.knowledge[1].name == "原則： ■ 授權 ■ 領導"
    assert "knowledge cell merged across duty T1" in messages(parsed)


def test_codes_glued_to_their_text_and_trailing_full_stops_are_read():
    parsed = parse_text(
        document(
            row(
                "T1協助管理",
                "T1.1庫存管理",
                "O1.1.1.報表",
                "P1.1.1.確認庫存",
                "3",
                "K01庫存理論",
                "S01軟體操作",
            )
        )
    )

    duty = parsed.duties[0]
    task = duty.tasks[0]
    assert [duty.code, duty.title, task.code, task.title] == ["T1", "協助管理", "T1.1", "庫存管理"]
    assert task.outputs[0].code == "O1.1.1" and task.indicators[0].text == "確認庫存"
    assert parsed.knowledge[0].name == "庫存理論"
    assert "trailing full stop after P1.1.1 dropped" in messages(parsed)


def test_markup_in_cells_is_removed():
    parsed = parse_text(
        document(
            row(
                "T1 規劃",
                "T1.1 **分析**",
                "",
                "<p>P1.1.1 能 <u>蒐集</u> 資訊</p> <p>P1.1.2 能歸納</p>",
                "3",
                '<ul style="x"><li>K01 統計</li></ul>',
                "### S01 分析",
            )
        )
    )

    task = parsed.duties[0].tasks[0]
    assert task.title == "分析"
    assert [i.text for i in task.indicators] == ["能蒐集資訊", "能歸納"]
    assert [parsed.knowledge[0].name, parsed.skills[0].name] == ["統計", "分析"]


def test_indicator_numbered_for_another_task_is_renumbered_only_when_it_collides():
    parsed = parse_text(
        document(
            "\n".join(
                [
                    row(
                        "T1 規劃", "T1.1 甲", "", "P1.2.1 甲一 P1.2.2 甲二", "3", "K01 甲", "S01 甲"
                    ),
                    row("", "T1.2 乙", "O9.9.9 乙產出", "P1.2.1 乙一", "3", "K01 甲", "S01 甲"),
                ]
            )
        )
    )

    tasks = tasks_of(parsed)
    assert [i.code for i in tasks["T1.1"].indicators] == ["P1.1.1", "P1.1.2"]
    assert [i.code for i in tasks["T1.2"].indicators] == ["P1.2.1"]
    assert tasks["T1.2"].outputs[0].code == "O9.9.9"
    assert "O9.9.9 printed under T1.2; kept as printed" in messages(parsed)


def test_code_listed_twice_in_one_cell_is_kept_once():
    parsed = parse_text(
        document(row("T1 規劃", "T1.1 甲", "", "P1.1.1 甲", "3", "K01 統計 K01 統計", "S01 分析"))
    )

    assert parsed.duties[0].tasks[0].knowledge == ["K01"]
    assert "K01 listed twice in T1.1; kept once" in messages(parsed)


def test_code_with_two_names_keeps_the_first_in_the_item_list():
    parsed = parse_text(
        document(
            "\n".join(
                [
                    row("T1 規劃", "T1.1 甲", "", "P1.1.1 甲", "3", "K01 統計方法", "S01 分析"),
                    row("", "T1.2 乙", "", "P1.2.1 乙", "3", "K01 統計的方法", "S01 分析"),
                ]
            )
        )
    )

    assert [(k.code, k.name) for k in parsed.knowledge] == [("K01", "統計方法")]
    assert "K01 also named '統計的方法'; kept '統計方法'" in messages(parsed)


def test_attitudes_in_two_blocks_with_and_without_descriptions_are_all_kept():
    parsed = parse_text(
        document(
            row("T1 規劃", "T1.1 甲", "", "P1.1.1 甲", "3", "K01 甲", "S01 甲"),
            attitudes=(
                "- A01 主動積極：不需他人指示。\n\nA02 正直誠實\n\n"
                "職能內涵 (A=attitude 態度)\n\nA03親和力：友善\nA02 謹慎細心"
            ),
        )
    )

    assert [(a.code, a.name, a.description) for a in parsed.attitudes] == [
        ("A01", "主動積極", "不需他人指示。"),
        ("A02", "正直誠實", None),
        ("A03", "親和力", "友善"),
        ("A02", "謹慎細心", None),
    ]
    assert "attitude code A02 used twice; both kept" in messages(parsed)


def test_version_table_dates_become_iso():
    text = document(row("T1 規劃", "T1.1 甲", "", "P1.1.1 甲", "3", "K01 甲", "S01 甲"))
    table = (
        "版本\t職能基準代碼\t職能基準名稱\t狀態\t更新說明\t發展更新日期\n"
        "V2\tTST0001-001v2\t測試人員\t最新版本\t略\t2023/07/24\n"
        "V1\tTST0001-001\t測試人員\t歷史版本\t已被《TST0001-001v2》取代\t104/12/31\n"
    )
    parsed = parse_text(text.replace("\n\n", "\n\n" + table + "\n", 1))

    assert [(v.code, v.status, v.date) for v in parsed.versions] == [
        ("TST0001-001v2", "最新版本", "2023-07-24"),
        ("TST0001-001", "歷史版本", "2015-12-31"),
    ]
    assert "ROC year" in messages(parsed)


def test_header_fields_are_read():
    parsed = parse_text(
        document(row("T1 規劃", "T1.1 甲", "", "P1.1.1 甲", "3", "K01 甲", "S01 甲"))
    )

    assert parsed.code == "TST0001-001v1"
    assert parsed.name == "測試人員"
    assert [parsed.category.code, parsed.occupation.code, parsed.industry.code] == [
        "TST",
        "0001",
        "X0001",
    ]
    assert [parsed.description, parsed.base_level, parsed.notes] == ["做測試。", 3, ["無"]]
