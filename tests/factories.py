"""The one way to build standards in tests: every standard goes through the real importer.

Three kinds, from the most real to the smallest:

- `sample_standard(code)`: one of the four built-in sample documents (standards/data/),
  read by the real reader and written by the real importer; `sample_variant(code, …)`
  the expected parse of a sample stored under another code, optionally edited;
- `generated_document(number)` / `generated_standards(count)`: small, varied, valid
  documents for tests that need a library of many;
- `small_document(code, …)` / `small_standard(code, …)`: a tiny document of chosen task
  levels and chosen knowledge/skill items, for tests about assessments and reports;
- `several_classifications_text()` / `several_classifications_standard()`: the sample
  KRM1324-002v1 as a document under two occupations and two industries
  (本基準可能跨屬下列…), read by the real parser;
- `standard_from(document)`: any of these documents after the test has changed it.
"""

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from standards.models import Standard
from standards.parsing.document import (
    AttitudeEntry,
    Classification,
    CodedText,
    DutyEntry,
    ItemEntry,
    ParsedStandard,
    TaskEntry,
    VersionEntry,
)
from standards.reader import read_document
from standards.services import standard_import
from tests.standards.samples import expected_data

DATA = Path(__file__).resolve().parents[1] / "standards" / "data"
SAMPLES = ["AVA4322-001v4", "BGM1219-002v2", "BHR1212-001v2", "KRM1324-002v1"]


def sample_standard(code: str, *, publish: bool = True) -> Standard:
    """Import the built-in sample `code` (one of SAMPLES) through the real reader and importer.

    AVA4322-001v4 has 5 duties and 20 tasks; KRM1324-002v1 3 duties, 6 tasks and 3 import
    warnings; the other two are older, odder documents.
    """
    path = DATA / f"{code}.txt"
    document = read_document(name=path.name, data=path.read_bytes())
    return standard_import(document=document, publish=publish).standard


# KRM1324-002v1's occupation and industry rows, and the same under two of each.
KRM_OCCUPATION_ROW = "\t職業別\t供給、配送及倉儲經理人員\t職業別代碼\t1324\t"
KRM_INDUSTRY_ROW = (
    "\t行業別\t專業、科學及技術服務業 / 其他專業、科學及技術服務業\t行業別代碼\tM7609\t"
)
TWO_OCCUPATIONS = (
    "\t職業別\t本基準可能跨屬下列職業別：1.供給、配送及倉儲經理人員 2.存貨事務人員"
    "\t職業別代碼\t1324、4321\t"
)
TWO_INDUSTRIES = (
    "\t行業別\t本基準可能跨屬下列行業別：1.專業、科學及技術服務業 / 其他專業、科學及技術服務業 "
    "2.運輸及倉儲業 / 倉儲業\t行業別代碼\tM7609、H5301\t"
)
# What the rows above name, in document order.
SEVERAL_OCCUPATIONS = [("1324", "供給、配送及倉儲經理人員"), ("4321", "存貨事務人員")]
SEVERAL_INDUSTRIES = [
    ("M7609", "專業、科學及技術服務業 / 其他專業、科學及技術服務業"),
    ("H5301", "運輸及倉儲業 / 倉儲業"),
]


def several_classifications_text(
    code: str = "KRM1324-002v1",
    *,
    occupation_row: str = TWO_OCCUPATIONS,
    industry_row: str = TWO_INDUSTRIES,
) -> bytes:
    """The text rendering of KRM1324-002v1 under `code`, with the given classification rows
    (by default two occupations and two industries)."""
    text = (DATA / "KRM1324-002v1.txt").read_text(encoding="utf-8")
    assert KRM_OCCUPATION_ROW in text and KRM_INDUSTRY_ROW in text
    text = text.replace(KRM_OCCUPATION_ROW, occupation_row)
    return text.replace(KRM_INDUSTRY_ROW, industry_row).replace("KRM1324-002v1", code).encode()


def several_classifications_standard(
    code: str = "KRM1324-002v1", *, publish: bool = True, **rows: str
) -> Standard:
    """Import `several_classifications_text(code, **rows)` through the real reader."""
    document = read_document(name=f"{code}.txt", data=several_classifications_text(code, **rows))
    return standard_import(document=document, publish=publish).standard


def sample_variant(
    code: str,
    *,
    sample: str = "AVA4322-001v4",
    edit: Callable[[dict[str, Any]], None] | None = None,
    publish: bool = True,
) -> Standard:
    """The expected parse of the built-in `sample`, stored under `code`: an older or newer
    version of it, say. `edit` may first change the interchange dict in place."""
    data = expected_data(sample)
    data["code"] = code
    if edit:
        edit(data)
    return standard_from(ParsedStandard.from_dict(data), publish=publish)


def sample_library(*, publish: bool = True) -> list[Standard]:
    """All four built-in samples, in the order of SAMPLES."""
    return [sample_standard(code, publish=publish) for code in SAMPLES]


CATEGORIES = [("GEN", "測試職類 / 一般"), ("OPS", "測試職類 / 營運"), ("ITS", "測試職類 / 資訊")]
OCCUPATIONS = [("9101", "測試職業甲"), ("9102", "測試職業乙")]
INDUSTRIES = [("Z9901", "測試行業 / 製造"), ("Z9902", "測試行業 / 服務")]


def generated_document(number: int, *, version: int = 1, task_title: str = "") -> ParsedStandard:
    """A small valid document: one duty of 2 tasks, 2 knowledge items and one skill item.

    The classification, levels and date vary with `number`; `task_title` names task T1.1.
    """
    code = f"GEN{9000 + number % 3}-{number:03d}v{version}"
    category = CATEGORIES[number % len(CATEGORIES)]
    occupation = OCCUPATIONS[number % len(OCCUPATIONS)]
    industry = INDUSTRIES[number % len(INDUSTRIES)]
    level = 1 + number % 6
    tasks = [
        TaskEntry(
            code=f"T1.{t}",
            title=task_title if t == 1 and task_title else f"生成任務1{t}",
            level=level,
            outputs=[CodedText(code=f"O1.{t}.1", text=f"產出1{t}")],
            indicators=[CodedText(code=f"P1.{t}.1", text=f"能夠完成生成任務1{t}")],
            knowledge=["K01", "K02"][:t],
            skills=["S01"],
        )
        for t in (1, 2)
    ]
    return ParsedStandard(
        code=code,
        name=f"生成職能基準{number:03d}",
        versions=[
            VersionEntry(
                version=f"V{version}",
                code=code,
                name=f"生成職能基準{number:03d}",
                status="最新版本",
                note="",
                date=f"20{10 + number % 15:02d}-0{1 + number % 9}-15",
            )
        ],
        category=Classification(*category),
        occupation=Classification(*occupation),
        industry=Classification(*industry),
        description=f"生成的工作描述 {number}",
        base_level=level,
        duties=[DutyEntry(code="T1", title="生成職責1", tasks=tasks)],
        knowledge=[ItemEntry(code=f"K0{i}", name=f"生成知識{i}") for i in (1, 2)],
        skills=[ItemEntry(code="S01", name="生成技能1")],
        attitudes=[AttitudeEntry(code="A01", name="主動積極", description=None)],
        notes=["生成的說明"],
    )


def standard_from(document: ParsedStandard, *, publish: bool = True) -> Standard:
    """Import a document built or changed by the test (one of those above, edited)."""
    return standard_import(document=document, publish=publish).standard


def generated_standards(count: int, *, start: int = 0, publish: bool = True) -> list[Standard]:
    """Import `count` generated standards, numbered from `start`."""
    return [
        standard_from(generated_document(number), publish=publish)
        for number in range(start, start + count)
    ]


def small_document(
    code: str = "TST0001-001v1",
    *,
    name: str = "測試職能基準",
    levels: Sequence[Sequence[int]] = ((3, 4), (2,)),
    knowledge: dict[str, str] | None = None,
    skills: dict[str, str] | None = None,
    needs: dict[str, list[str]] | None = None,
) -> ParsedStandard:
    """A tiny valid document: duty T1 with tasks T1.1, T1.2…, duty T2…, of the given levels.

    Task Td.t is titled 任務d.t and has one indicator Pd.t.1 (行為指標d.t) and one output
    Od.t.1 (產出d.t). `knowledge` and `skills` are the item catalogues (code → name);
    `needs` says which item codes each task needs (task code → K… and S… codes). The
    classification is "測試職類/測試職業/測試行業", coded from the first letters of `code`.
    """
    needs = needs or {}
    duties = [
        DutyEntry(
            code=f"T{d}",
            title=f"職責{d}",
            tasks=[
                TaskEntry(
                    code=f"T{d}.{t}",
                    title=f"任務{d}.{t}",
                    level=level,
                    outputs=[CodedText(code=f"O{d}.{t}.1", text=f"產出{d}.{t}")],
                    indicators=[CodedText(code=f"P{d}.{t}.1", text=f"行為指標{d}.{t}")],
                    knowledge=[c for c in needs.get(f"T{d}.{t}", []) if c.startswith("K")],
                    skills=[c for c in needs.get(f"T{d}.{t}", []) if c.startswith("S")],
                )
                for t, level in enumerate(duty_levels, start=1)
            ],
        )
        for d, duty_levels in enumerate(levels, start=1)
    ]
    version = code.rsplit("v", 1)[1]
    return ParsedStandard(
        code=code,
        name=name,
        versions=[
            VersionEntry(version=f"V{version}", code=code, name=name, status="", note="", date=None)
        ],
        category=Classification(code[:3], "測試職類"),
        occupation=Classification("0001", "測試職業"),
        industry=Classification(f"{code[0]}0001", "測試行業"),
        description="",
        base_level=3,
        duties=duties,
        knowledge=[ItemEntry(code=c, name=n) for c, n in (knowledge or {}).items()],
        skills=[ItemEntry(code=c, name=n) for c, n in (skills or {}).items()],
        attitudes=[],
        notes=[],
    )


def small_standard(
    code: str = "TST0001-001v1", *, publish: bool = True, **contents: Any
) -> Standard:
    """Import `small_document(code, **contents)`; published unless `publish=False`."""
    return standard_from(small_document(code, **contents), publish=publish)
