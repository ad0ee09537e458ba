"""Every report downloads as CSV and XLSX with the page's figures; formulas neutralised."""

import csv
import io
from html.parser import HTMLParser
from urllib.parse import quote

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.models import EvidenceFile
from assessments.scoring import MEASURES, LevelSource, signed_gap
from reports.exports import CHANGES_HEADING
from reports.services import ReviewInput, review_save
from tests.reports.conftest import team_once_per_module

pytestmark = pytest.mark.django_db

# Every test here reads the same scenario: built once for the module.
module_team, team, carol, alice, bob, dave, erin, hannah, production, sales = team_once_per_module()


class TableReader(HTMLParser):
    """The text of each row's cells of the table with the given id."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id = table_id
        self.depth = 0
        self.section = ""
        self.rows: list[tuple[str, list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and (self.depth or attrs.get("id") == self.table_id):
            self.depth += 1
        if not self.depth:
            return
        if tag in ("thead", "tbody", "tfoot"):
            self.section = tag
        elif tag == "tr":
            self.rows.append((self.section, []))
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1][1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and self.cell is not None:
            self.cell.append(data)


def page_rows(response, table_id: str, section: str = "tbody") -> list[list[str]]:
    reader = TableReader(table_id)
    reader.feed(response.content.decode())
    return [cells for part, cells in reader.rows if part == section]


def _split(rows: list[list]) -> tuple[dict, list[list]]:
    """A download's about block (label → value) and its table, below the first blank row."""
    blank = next(i for i, row in enumerate(rows) if not any(cell not in (None, "") for cell in row))
    return {row[0]: row[1] for row in rows[:blank]}, rows[blank + 1 :]


def csv_all_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def csv_rows(response) -> list[list[str]]:
    """The table of a CSV download (header row first), without the about block."""
    return _split(csv_all_rows(response))[1]


def csv_about(response) -> dict[str, str]:
    """The about block of a CSV download: label → value."""
    return _split(csv_all_rows(response))[0]


def xlsx_rows(response) -> list[list]:
    """The table of an XLSX download (header row first), without the about block."""
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = [list(row) for row in book.active.iter_rows(values_only=True)]
    return _split(rows)[1]


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def test_heatmap_exports_hold_the_cells_and_summaries_of_the_page(client, team, carol):
    client.force_login(carol.user)
    url = reverse("reports:heatmap")
    page = page_rows(client.get(url), "heatmap")
    exported = csv_rows(client.get(url, {"format": "csv"}))
    workbook = xlsx_rows(client.get(url, {"format": "xlsx"}))

    # Each task's heading: code, name and the levels scored.
    own = LevelSource.SELF.label
    assert exported[0][3:6] == [
        f"T1.1 任務1.1 ({own})",
        f"T1.2 任務1.2 ({own})",
        f"T2.1 任務2.1 ({own})",
    ]
    assert len(page) == len(exported) - 3 == 2
    for page_row, csv_row in zip(page, exported[1:], strict=False):
        # Page: name + number, three gaps (signed), short, total, mean.
        assert page_row[0] == f"{csv_row[1]} {csv_row[0]}"
        assert page_row[1:4] == [signed_gap(int(gap)) for gap in csv_row[3:6]]
        assert page_row[4:6] == csv_row[6:8]
        assert f"{float(page_row[6]):.2f}" == f"{float(csv_row[8]):.2f}"
    assert [as_text(c) for c in workbook[1]] == exported[1]
    footer = page_rows(client.get(url), "heatmap", "tfoot")
    assert footer[0][1:4] == exported[-2][3:6]


def test_training_needs_exports_rank_the_same_items_and_neutralise_formulas(client, team, carol):
    client.force_login(carol.user)
    url = reverse("reports:training_needs")
    knowledge = page_rows(client.get(url), "knowledge-table")
    skills = page_rows(client.get(url), "skills-table")
    exported = csv_rows(client.get(url, {"format": "csv"}))
    workbook = xlsx_rows(client.get(url, {"format": "xlsx"}))

    page = [[row[1].split(" ", 1)[0], row[3], row[4], row[5]] for row in knowledge + skills]
    assert [[r[3], r[5], r[6], r[7]] for r in exported[1:]] == page
    # The skill item named =HYPERLINK("x") is text, not a formula, in both files.
    assert exported[-1][4] == '\'=HYPERLINK("x")'
    assert workbook[-1][4] == '\'=HYPERLINK("x")'
    assert skills[0][1] == 'S01 =HYPERLINK("x")'


def test_training_need_detail_exports_the_people_and_tasks(client, team, carol):
    client.force_login(carol.user)
    k01 = team.standard.knowledge_items.get(code="K01")
    url = reverse("reports:training_need", args=["knowledge", k01.pk])
    page = page_rows(client.get(url), "need-people")
    exported = csv_rows(client.get(url, {"format": "csv"}))
    assert [[r[1], r[4], signed_gap(int(r[8]))] for r in exported[1:]] == [
        [row[0].rsplit(" ", 1)[0], row[2].split(" ")[0], row[5]] for row in page
    ]
    assert len(page) == 2


def test_trend_exports_hold_the_gap_table_of_the_page(client, team, carol):
    client.force_login(carol.user)
    url = reverse("reports:trends")
    page = page_rows(client.get(url), "trend-tasks")
    exported = csv_rows(client.get(url, {"format": "csv"}))
    workbook = xlsx_rows(client.get(url, {"format": "xlsx"}))
    own = LevelSource.SELF.label
    assert exported[0][2:] == [
        f"2025 年度自評 2025-01-01–2025-12-31 v1 ({own})",
        f"2026 年度自評 2026-01-01–2026-12-31 v1 ({own})",
        str(CHANGES_HEADING),
    ]
    # One version only: no changes in the last column.
    assert [row[1:] for row in page] == [
        [f"{float(v):.2f}" for v in row[2:-1]] + [""] for row in exported[1:]
    ]
    assert [[f"{float(c):.2f}" for c in row[2:-1]] for row in workbook[1:]] == [
        [f"{float(v):.2f}" for v in row[2:-1]] for row in exported[1:]
    ]


def test_dashboard_exports_list_the_same_assessments(client, team, carol):
    client.force_login(carol.user)
    url = reverse("reports:dashboard")
    page = page_rows(client.get(url), "team-table")
    exported = csv_rows(client.get(url, {"format": "csv"}))
    assert [r[:2] + r[5:8] for r in exported[1:]] == [row[:2] + row[5:8] for row in page]


def test_gap_report_exports_own_and_manager_levels_side_by_side(client, team, carol):
    rating = team.alice.ratings.get(task_code="T1.1")
    review_save(
        assessment=team.alice,
        reviewer=carol,
        ratings={rating.pk: ReviewInput(level=1, comment="-請補充紀錄")},
        comment="",
    )
    client.force_login(carol.user)
    url = reverse("reports:person", args=[team.alice.pk])
    page = page_rows(client.get(url), "person-table")
    exported = csv_rows(client.get(url, {"format": "csv"}))
    workbook = xlsx_rows(client.get(url, {"format": "xlsx"}))
    # The page writes gaps signed ("+2", "−1"), the files as numbers.
    assert [
        [
            r[3],
            r[4],
            signed_gap(int(r[5])) if r[5] else "",
            r[6],
            signed_gap(int(r[7])) if r[7] else "",
        ]
        for r in exported[1:]
    ] == [[cell.replace("—", "") for cell in row[1:6]] for row in page]
    assert exported[1][9] == "'-請補充紀錄"
    assert workbook[1][9] == "'-請補充紀錄"


def test_downloads_are_attachments_named_after_the_report_and_its_scope(client, team, carol):
    client.force_login(carol.user)

    response = client.get(reverse("reports:heatmap"), {"format": "xlsx"})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    # An ASCII name for old clients, the full one in RFC 5987's filename*.
    assert response["Content-Disposition"] == (
        'attachment; filename="heatmap-2026-RPT0001-001v1.xlsx"; '
        "filename*=UTF-8''" + quote("heatmap-2026_年度自評-RPT0001-001v1.xlsx", safe="")
    )
    about = csv_about(client.get(reverse("reports:heatmap"), {"format": "csv"}))
    assert about[str(_("Cycle"))] == "2026 年度自評 (2026-01-01 – 2026-12-31)"
    assert about[str(_("Standard"))] == "RPT0001-001v1 報表測試職能基準"
    assert about[str(_("People in the report"))] == str(_("My team"))


def test_a_persons_gap_download_names_them_the_cycle_and_the_standard(client, team, carol):
    client.force_login(carol.user)
    url = reverse("reports:person", args=[team.alice.pk])

    response = client.get(url, {"format": "csv"})
    about = csv_about(response)

    assert (
        "filename*=UTF-8''" + quote("gap-E001-2026_年度自評-RPT0001-001v1.csv", safe="")
        in (response["Content-Disposition"])
    )
    assert about[str(_("Employee"))] == "王愛麗 (E001)"
    assert about[str(_("Department"))] == "生產管理部"
    assert about[str(_("Cycle"))].startswith("2026 年度自評")
    assert about[str(_("Standard"))] == "RPT0001-001v1 報表測試職能基準"
    assert about[str(_("Measures"))] == str(MEASURES)


def test_xlsx_columns_are_as_wide_as_their_text_a_cjk_character_counting_two(client, team, carol):
    client.force_login(carol.user)
    response = client.get(reverse("reports:person", args=[team.alice.pk]), {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    widths = {cell.value: sheet.column_dimensions[cell.column_letter].width for cell in sheet[10]}

    # Row 10 holds the headers, below the about block. 工作任務代碼 is six CJK characters:
    # twelve widths, and a margin of two.
    assert widths[str(_("Task code"))] == 2 * len(str(_("Task code"))) + 2
    assert sheet.freeze_panes == "A11"


def test_gap_report_exports_hold_the_employees_evidence(client, team, carol):
    rating = team.alice.ratings.get(task_code="T1.1")
    rating.comment = "=帶領三場培訓"
    rating.indicator_checks = {"P1.1.1": True}
    rating.save()
    EvidenceFile.objects.create(
        rating=rating,
        name="紀錄.pdf",
        output_code="O1.1.1",
        content_type="application/pdf",
        size=3,
        file=ContentFile(b"%PDF", name="evidence"),
    )
    client.force_login(carol.user)
    url = reverse("reports:person", args=[team.alice.pk])

    exported = csv_rows(client.get(url, {"format": "csv"}))
    workbook = xlsx_rows(client.get(url, {"format": "xlsx"}))

    assert exported[0][-3:] == [str(_("Behaviour indicators done")), "說明或佐證", "佐證檔案"]
    t11 = next(row for row in exported if row[1] == "T1.1")
    # The comment is neutralised like every cell.
    assert t11[-3:] == ["1/1: P1.1.1", "'=帶領三場培訓", "紀錄.pdf (O1.1.1)"]
    assert next(row for row in workbook if row[1] == "T1.1")[-3:] == t11[-3:]
