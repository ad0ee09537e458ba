"""The one writer's download plumbing: file names, the Content-Disposition header, the
about block and the CJK-aware column widths."""

import datetime
import io
from urllib.parse import quote

import openpyxl
import pytest
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from common.spreadsheets import (
    ascii_file_name,
    attachment,
    dataset,
    display_width,
    download,
    file_name,
)


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("gap", "E102", "2026年度", "AVA4322-001v4"), "gap-E102-2026年度-AVA4322-001v4"),
        (("heatmap", "2026 年度/自評", ""), "heatmap-2026_年度_自評"),
        (("trends", '..\\a:b*"c"<>|?'), "trends-a_b_c"),
    ],
)
def test_file_names_join_their_parts_and_drop_what_no_file_system_takes(parts, expected):
    assert file_name(*parts) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("gap-E102-2026年度-AVA4322-001v4.xlsx", "gap-E102-2026-AVA4322-001v4.xlsx"),
        ("紀錄.pdf", "download.pdf"),
        ("Résumé.pdf", "Resume.pdf"),
        ("team", "team"),
    ],
)
def test_the_ascii_fallback_keeps_what_ascii_can_say(name, expected):
    assert ascii_file_name(name) == expected


def test_a_cjk_name_goes_in_filename_star_with_an_ascii_fallback():
    response = attachment(HttpResponse(), "gap-E102-2026年度.csv")

    assert response["Content-Disposition"] == (
        'attachment; filename="gap-E102-2026.csv"; '
        "filename*=UTF-8''" + quote("gap-E102-2026年度.csv", safe="")
    )


def test_an_ascii_name_needs_no_filename_star():
    assert attachment(HttpResponse(), "team.csv")["Content-Disposition"] == (
        'attachment; filename="team.csv"'
    )


def test_a_cjk_character_is_two_widths_wide():
    assert [display_width(text) for text in ("T1.1", "工作任務", "A\n工作", 12)] == [4, 8, 4, 2]


def test_an_xlsx_download_has_the_about_block_above_a_frozen_header_and_fitting_columns():
    data = dataset("Report", ["代碼", "Name"], [["=SUM(A1)", "工作任務名稱很長"]])
    about = [(gettext_lazy("Employee"), "王小明 (E102)"), ("Downloaded", timezone.now())]

    response = download(data, fmt="xlsx", filename="report", about=about)

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("員工", "王小明 (E102)")
    assert isinstance(rows[1][1], datetime.datetime)  # an aware time, in local time
    assert rows[2] == (None, None)
    assert rows[3:] == [("代碼", "Name"), ("'=SUM(A1)", "工作任務名稱很長")]
    assert sheet.freeze_panes == "A5"
    assert sheet.column_dimensions["B"].width == 2 * 8 + 2
    assert sheet.column_dimensions["A"].width == 9 + 2  # '=SUM(A1), as it is shown


def test_a_csv_download_writes_the_about_block_and_a_blank_row_first():
    data = dataset("Report", ["Code"], [["+1"]])

    response = download(data, fmt="csv", filename="報表", about=[("Cycle", "2026")])

    assert response.content.decode("utf-8-sig").splitlines() == ["Cycle,2026", "", "Code", "'+1"]
    assert "filename*=UTF-8''" + quote("報表.csv", safe="") in response["Content-Disposition"]
