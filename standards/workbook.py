"""Whole standards as one XLSX workbook, and back.

One named sheet per part of the document, with the official document's Chinese
headers, every row naming its standard by code (so one workbook holds many standards):
基本資料 (header and classification), 版本紀錄 (the version table), 工作任務 (duties and
tasks with their level and K/S codes), 工作產出, 行為指標, 知識, 技能, 態度 and
說明與補充事項. A standard under several occupations or industries lists them in its
基本資料 cells one per line, codes and names alike, in document order, with the names
that version printed. `documents_workbook` writes the interchange form (services/export.py)
into it; `documents_from_workbook` reads a workbook back into parsed documents, which
the one writer (services/writer.py: `standard_import`) stores, so an exported workbook
imports back into the same documents. The file itself is written and read by
common/spreadsheets.py (formula-safe, size and zip-bomb limits).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

import tablib
from django.utils.translation import gettext_lazy as _

from .parsing.document import ParsedStandard

CODE = "職能基準代碼"
SHEETS: dict[str, list[str]] = {
    "基本資料": [
        CODE,
        "職能基準名稱",
        "職類別代碼",
        "職類別名稱",
        "職業別代碼",
        "職業別名稱",
        "行業別代碼",
        "行業別名稱",
        "工作描述",
        "基準級別",
    ],
    "版本紀錄": [CODE, "版次", "版本代碼", "名稱", "狀態", "更新說明", "日期"],
    "工作任務": [
        CODE,
        "主要職責代碼",
        "主要職責",
        "工作任務代碼",
        "工作任務",
        "職能級別",
        "知識代碼",
        "技能代碼",
    ],
    "工作產出": [CODE, "工作任務代碼", "工作產出代碼", "工作產出"],
    "行為指標": [CODE, "工作任務代碼", "行為指標代碼", "行為指標"],
    "知識": [CODE, "知識代碼", "知識名稱"],
    "技能": [CODE, "技能代碼", "技能名稱"],
    "態度": [CODE, "態度代碼", "態度名稱", "態度說明"],
    "說明與補充事項": [CODE, "說明"],
}

MISSING_SHEET = _("The workbook has no sheet “%(sheet)s”; export a workbook to see its layout.")
MISSING_COLUMNS = _("The sheet “%(sheet)s” lacks the columns %(columns)s.")
UNKNOWN_STANDARD = _(
    "Sheet “%(sheet)s”, row %(row)s: the standard %(code)s is not on the sheet “基本資料”."
)
UNKNOWN_TASK = _("Sheet “%(sheet)s”, row %(row)s: %(code)s has no task %(task)s.")
NOT_A_LEVEL = _("Sheet “%(sheet)s”, row %(row)s: “%(value)s” is not a level 1–6.")
NOT_A_DATE = _("Sheet “%(sheet)s”, row %(row)s: “%(value)s” is not a date (YYYY-MM-DD).")
DUPLICATE_STANDARD = _("Sheet “基本資料”, row %(row)s: %(code)s is listed twice.")
CLASSIFICATION_COUNT = _(
    "Sheet “基本資料”, row %(row)s: %(codes)s %(label)s codes but %(names)s names; "
    "put one code and one name per line."
)
NO_STANDARDS = _("The sheet “基本資料” lists no standard.")


class WorkbookError(ValueError):
    """A workbook that cannot be read as whole documents; the message says where."""


def documents_workbook(documents: Iterable[dict[str, Any]]) -> tablib.Databook:
    """The workbook of `documents` (interchange dicts, as `standards_export` gives)."""
    rows: dict[str, list[list[Any]]] = {sheet: [] for sheet in SHEETS}
    for d in documents:
        code = d["code"]
        rows["基本資料"].append(
            [
                code,
                d["name"],
                d["category"]["code"],
                d["category"]["name"],
                *_lines(d.get("occupations") or [d["occupation"]]),
                *_lines(d.get("industries") or [d["industry"]]),
                d["description"],
                d["base_level"],
            ]
        )
        for v in d["versions"]:
            rows["版本紀錄"].append(
                [code, v["version"], v["code"], v["name"], v["status"], v["note"], v["date"]]
            )
        for duty in d["duties"]:
            for task in duty["tasks"]:
                rows["工作任務"].append(
                    [
                        code,
                        duty["code"],
                        duty["title"],
                        task["code"],
                        task["title"],
                        task["level"],
                        ", ".join(task["knowledge"]),
                        ", ".join(task["skills"]),
                    ]
                )
                for sheet, key in [("工作產出", "outputs"), ("行為指標", "indicators")]:
                    for entry in task[key]:
                        rows[sheet].append([code, task["code"], entry["code"], entry["text"]])
        for sheet, key in [("知識", "knowledge"), ("技能", "skills")]:
            rows[sheet] += [[code, item["code"], item["name"]] for item in d[key]]
        rows["態度"] += [[code, a["code"], a["name"], a["description"]] for a in d["attitudes"]]
        rows["說明與補充事項"] += [[code, note] for note in d["notes"]]
    sheets = []
    for title, headers in SHEETS.items():
        sheet = tablib.Dataset(title=title)
        sheet.headers = headers
        for row in rows[title]:
            sheet.append(row)
        sheets.append(sheet)
    return tablib.Databook(sheets)


def documents_from_workbook(book: tablib.Databook) -> list[ParsedStandard]:
    """The documents of a workbook `documents_workbook` wrote (and HR may have edited).

    Checks the layout and every reference between the sheets; raises WorkbookError,
    naming the sheet and row, on the first problem. What the documents themselves must
    satisfy is checked by the writer.
    """
    sheets = _sheets(book)
    documents: dict[str, dict[str, Any]] = {}
    tasks: dict[tuple[str, str], dict[str, Any]] = {}
    for row_number, row in _rows(sheets, "基本資料"):
        code = _text(row[CODE])
        if code in documents:
            raise WorkbookError(DUPLICATE_STANDARD % {"row": row_number, "code": code})
        documents[code] = {
            "code": code,
            "name": _text(row["職能基準名稱"]),
            "versions": [],
            "category": _classification(row, "職類別"),
            "occupations": _classifications(row, "職業別", row_number),
            "industries": _classifications(row, "行業別", row_number),
            "description": _text(row["工作描述"]),
            "base_level": _level(row["基準級別"], "基本資料", row_number),
            "duties": [],
            "knowledge": [],
            "skills": [],
            "attitudes": [],
            "notes": [],
        }
        documents[code]["occupation"] = documents[code]["occupations"][0]
        documents[code]["industry"] = documents[code]["industries"][0]
    if not documents:
        raise WorkbookError(NO_STANDARDS)

    def document(sheet: str, row_number: int, row: dict[str, Any]) -> dict[str, Any]:
        code = _text(row[CODE])
        if code not in documents:
            raise WorkbookError(
                UNKNOWN_STANDARD % {"sheet": sheet, "row": row_number, "code": code}
            )
        return documents[code]

    for n, row in _rows(sheets, "版本紀錄"):
        document("版本紀錄", n, row)["versions"].append(
            {
                "version": _text(row["版次"]),
                "code": _text(row["版本代碼"]),
                "name": _text(row["名稱"]),
                "status": _text(row["狀態"]),
                "note": _text(row["更新說明"]),
                "date": _date(row["日期"], "版本紀錄", n),
            }
        )
    for n, row in _rows(sheets, "工作任務"):
        d = document("工作任務", n, row)
        duty_code = _text(row["主要職責代碼"])
        if not d["duties"] or d["duties"][-1]["code"] != duty_code:
            d["duties"].append({"code": duty_code, "title": _text(row["主要職責"]), "tasks": []})
        task = {
            "code": _text(row["工作任務代碼"]),
            "title": _text(row["工作任務"]),
            "level": _level(row["職能級別"], "工作任務", n),
            "outputs": [],
            "indicators": [],
            "knowledge": _codes(row["知識代碼"]),
            "skills": _codes(row["技能代碼"]),
        }
        d["duties"][-1]["tasks"].append(task)
        tasks[(d["code"], task["code"])] = task
    for sheet, key, column in [
        ("工作產出", "outputs", "工作產出"),
        ("行為指標", "indicators", "行為指標"),
    ]:
        for n, row in _rows(sheets, sheet):
            d = document(sheet, n, row)
            task_code = _text(row["工作任務代碼"])
            task = tasks.get((d["code"], task_code))
            if task is None:
                raise WorkbookError(
                    UNKNOWN_TASK % {"sheet": sheet, "row": n, "code": d["code"], "task": task_code}
                )
            task[key].append({"code": _text(row[f"{column}代碼"]), "text": _text(row[column])})
    for sheet, key in [("知識", "knowledge"), ("技能", "skills")]:
        for n, row in _rows(sheets, sheet):
            document(sheet, n, row)[key].append(
                {"code": _text(row[f"{sheet}代碼"]), "name": _text(row[f"{sheet}名稱"])}
            )
    for n, row in _rows(sheets, "態度"):
        description = row["態度說明"]
        document("態度", n, row)["attitudes"].append(
            {
                "code": _text(row["態度代碼"]),
                "name": _text(row["態度名稱"]),
                # An empty cell is an attitude printed without a description.
                "description": None if description in (None, "") else str(description),
            }
        )
    for n, row in _rows(sheets, "說明與補充事項"):
        document("說明與補充事項", n, row)["notes"].append(_text(row["說明"]))
    return [ParsedStandard.from_dict(d) for d in documents.values()]


def _sheets(book: tablib.Databook) -> dict[str, tablib.Dataset]:
    by_title = {sheet.title: sheet for sheet in book.sheets()}
    for title, headers in SHEETS.items():
        sheet = by_title.get(title)
        if sheet is None:
            raise WorkbookError(MISSING_SHEET % {"sheet": title})
        missing = [h for h in headers if h not in (sheet.headers or [])]
        if missing:
            raise WorkbookError(MISSING_COLUMNS % {"sheet": title, "columns": "、".join(missing)})
    return by_title


def _rows(sheets: dict[str, tablib.Dataset], title: str) -> Iterable[tuple[int, dict[str, Any]]]:
    """The non-empty rows of a sheet as dicts, numbered as the spreadsheet shows them."""
    sheet = sheets[title]
    for index, row in enumerate(sheet.dict, start=2):
        if any(value not in (None, "") for value in row.values()):
            yield index, row


def _text(value: Any) -> str:
    """A cell as text: a number typed into a code cell (1324) is read as its digits."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if not isinstance(value, str) else value


def _codes(value: Any) -> list[str]:
    return list(dict.fromkeys(code for code in re.split(r"[,;，、\s]+", _text(value)) if code))


def _classification(row: dict[str, Any], label: str) -> dict[str, str]:
    return {"code": _text(row[f"{label}代碼"]), "name": _text(row[f"{label}名稱"])}


def _lines(classifications: list[dict[str, str]]) -> tuple[str, str]:
    """The code cell and the name cell of one or several classifications."""
    return (
        "\n".join(c["code"] for c in classifications),
        "\n".join(c["name"] for c in classifications),
    )


def _classifications(row: dict[str, Any], label: str, row_number: int) -> list[dict[str, str]]:
    """Every occupation or industry of a 基本資料 row: one code and one name per line."""
    codes = [code for code in re.split(r"[\s,;，、；]+", _text(row[f"{label}代碼"])) if code]
    names = [name.strip() for name in _text(row[f"{label}名稱"]).splitlines() if name.strip()]
    if len(codes) != len(names) or not codes:
        raise WorkbookError(
            CLASSIFICATION_COUNT
            % {"row": row_number, "label": label, "codes": len(codes), "names": len(names)}
        )
    return [{"code": code, "name": name} for code, name in zip(codes, names, strict=True)]


def _level(value: Any, sheet: str, row: int) -> int:
    text = _text(value).strip()
    if not re.fullmatch(r"[1-6]", text):
        raise WorkbookError(NOT_A_LEVEL % {"sheet": sheet, "row": row, "value": text})
    return int(text)


def _date(value: Any, sheet: str, row: int) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        return datetime.date.fromisoformat(_text(value).strip()).isoformat()
    except ValueError:
        raise WorkbookError(NOT_A_DATE % {"sheet": sheet, "row": row, "value": value}) from None
