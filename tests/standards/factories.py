"""Generated standards for tests that need a library of many: small, varied, imported for real."""

from standards.models import Standard
from standards.parsing.document import (
    AttitudeEntry,
    CatalogueItem,
    Classification,
    CodedText,
    DutyEntry,
    ParsedStandard,
    TaskEntry,
    VersionEntry,
)
from standards.services import standard_import

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
    duties = []
    for d in (1,):
        tasks = []
        for t in (1, 2):
            tasks.append(
                TaskEntry(
                    code=f"T{d}.{t}",
                    title=task_title if (d, t) == (1, 1) and task_title else f"生成任務{d}{t}",
                    level=level,
                    outputs=[CodedText(code=f"O{d}.{t}.1", text=f"產出{d}{t}")],
                    indicators=[CodedText(code=f"P{d}.{t}.1", text=f"能夠完成生成任務{d}{t}")],
                    knowledge=["K01", "K02"][:t],
                    skills=["S01"],
                )
            )
        duties.append(DutyEntry(code=f"T{d}", title=f"生成職責{d}", tasks=tasks))
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
        duties=duties,
        knowledge=[CatalogueItem(code=f"K0{i}", name=f"生成知識{i}") for i in (1, 2)],
        skills=[CatalogueItem(code="S01", name="生成技能1")],
        attitudes=[AttitudeEntry(code="A01", name="主動積極", description=None)],
        notes=["生成的說明"],
    )


def make_standards(count: int, *, start: int = 0, publish: bool = True) -> list[Standard]:
    """Import `count` generated standards, numbered from `start`."""
    return [
        standard_import(document=generated_document(number), publish=publish).standard
        for number in range(start, start + count)
    ]
