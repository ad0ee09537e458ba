"""A made-up national catalogue: standard documents composed from word lists.

`documents()` yields the interchange form (ParsedStandard.to_dict() shape) of each
standard version, deterministically for a seed; `render_text()` prints one as the
plain-text rendering of an official document (the format of standards/data/*.txt), and
`bulk_load()` stores many through the one writer, `standard_import`, without the parser.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from typing import Any

from standards.parsing import ParsedStandard
from standards.services import standard_import

CATEGORIES = [
    ("AVA", "藝文與影音傳播 / 視覺藝術"),
    ("BHR", "企業經營管理 / 人力資源管理"),
    ("BGM", "企業經營管理 / 一般管理"),
    ("KRM", "行銷與銷售 / 零售與通路管理"),
    ("MAM", "製造 / 機械製造"),
    ("HBR", "金融財務 / 銀行業務"),
    ("ITS", "資訊科技 / 軟體開發"),
    ("HLT", "醫療保健 / 護理照護"),
    ("TRL", "物流運輸 / 倉儲配送"),
    ("FOD", "休閒與觀光旅遊 / 餐飲管理"),
    ("ARC", "建築營造 / 工程管理"),
    ("AGR", "農業 / 農產品加工"),
]
INDUSTRIES = [
    ("R9010", "藝術、娛樂及休閒服務業 / 創作及藝術表演業"),
    ("P8579", "教育服務業"),
    ("M7609", "專業、科學及技術服務業 / 其他專業、科學及技術服務業"),
    ("C2929", "製造業 / 其他專用機械設備製造業"),
    ("K6412", "金融及保險業 / 銀行業"),
    ("J6201", "出版影音及資通訊業 / 電腦程式設計業"),
    ("Q8610", "醫療保健及社會工作服務業 / 醫院"),
    ("H5301", "運輸及倉儲業 / 倉儲業"),
    ("I5611", "住宿及餐飲業 / 餐館"),
    ("F4100", "營建工程業 / 建築工程業"),
    ("A0111", "農、林、漁、牧業 / 稻作栽培業"),
]
FIELDS = [
    "生產",
    "品質",
    "供應鏈",
    "倉儲",
    "採購",
    "行銷",
    "業務",
    "客戶服務",
    "人力資源",
    "培訓",
    "財務",
    "會計",
    "稽核",
    "資訊安全",
    "軟體",
    "網路",
    "資料",
    "設備",
    "工程",
    "專案",
    "研發",
    "設計",
    "餐飲",
    "護理",
    "物流",
    "營建",
    "農產",
    "法務",
    "公關",
    "風險",
]
ROLES = ["管理", "規劃", "分析", "維護", "開發", "營運", "督導", "技術", "行政", "檢驗"]
TITLES = ["人員", "助理", "專員", "工程師", "技術員", "主管", "經理人員", "規劃師", "管理師"]
VERBS = [
    "規劃",
    "執行",
    "分析",
    "評估",
    "管理",
    "監控",
    "確認",
    "檢視",
    "協調",
    "建立",
    "維護",
    "改善",
    "彙整",
    "追蹤",
    "制定",
    "審核",
    "溝通",
    "推動",
    "記錄",
    "設計",
]
OBJECTS = [
    "年度計畫",
    "作業流程",
    "預算編列",
    "庫存狀況",
    "客戶需求",
    "供應商資料",
    "品質標準",
    "生產排程",
    "人力配置",
    "教育訓練",
    "風險因應對策",
    "設備保養",
    "資訊系統",
    "專案進度",
    "市場趨勢",
    "成本結構",
    "作業安全",
    "合約文件",
    "績效指標",
    "異常事件",
    "顧客滿意度",
    "物料需求",
    "銷售資料",
    "營運報表",
    "法規要求",
    "檢驗紀錄",
    "技術文件",
    "工作日誌",
]
PURPOSES = [
    "以確保目標達成",
    "並提出改善建議",
    "以降低營運風險",
    "以提升作業效率",
    "並定期回報主管",
    "以符合法規要求",
    "並留存相關紀錄",
    "以滿足顧客需求",
]
OUTPUTS = ["報告", "紀錄表", "計畫書", "檢核表", "分析報告", "執行清單", "評估表", "會議紀錄"]
KNOWLEDGE = [
    "管理理論",
    "基礎知識",
    "相關法規",
    "作業規範",
    "分析方法",
    "安全規範",
    "品質管理",
    "成本概念",
    "產業發展現況與趨勢",
    "專案管理方法",
    "統計概念",
    "資訊系統概論",
]
SKILLS = [
    "溝通協商技巧",
    "數據分析",
    "問題解決",
    "文書撰寫能力",
    "團隊合作能力",
    "資訊蒐集與整合",
    "相關軟體操作",
    "時間管理",
    "簡報技巧",
    "規劃能力",
    "領導能力",
    "觀察能力",
]
ATTITUDES = [
    ("主動積極", "不需他人指示或要求能自動自發做事，面臨問題立即採取行動加以解決。"),
    ("親和力", "對他人表現理解、友善、同理心、關心和禮貌，並能與不同背景的人維持良好關係。"),
    ("持續學習", "能夠展現自我提升的企圖心，積極參與各種機會，學習任務所需的新知識與技能。"),
    ("自我管理", "設立定義明確且實際可行的個人目標，對於及時完成任務展現高度負責的行為。"),
    ("壓力容忍", "冷靜且有效地應對及處理高度緊張的情況或壓力，並能以適當的方式紓解壓力。"),
    ("謹慎細心", "對於任務的執行過程，能謹慎考量及處理所有細節，並持續保持高度關注。"),
    ("團隊意識", "積極參與並支持團隊，能彼此鼓勵共同達成團隊目標。"),
]
STATUS_TEXT = {"latest": "最新版本", "historical": "歷史版本"}


def documents(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """`count` standard versions; about one family in four has two or three versions."""
    rng = random.Random(seed)  # noqa: S311 - made-up content, not secrets
    result: list[dict[str, Any]] = []
    family = 0
    while len(result) < count:
        family += 1
        versions = min(rng.choice([1, 1, 1, 2, 2, 3]), count - len(result))
        result.extend(_family(rng, family, versions))
    return result


def _family(rng: random.Random, family: int, versions: int) -> Iterator[dict[str, Any]]:
    category = CATEGORIES[family % len(CATEGORIES)]
    industry = INDUSTRIES[family % len(INDUSTRIES)]
    occupation_code = f"{1000 + family % 8000:04}"
    family_code = f"{category[0]}{occupation_code}-{family:03}"
    name = f"{rng.choice(FIELDS)}{rng.choice(ROLES)}{rng.choice(TITLES)}"
    occupation = {"code": occupation_code, "name": f"{rng.choice(FIELDS)}{rng.choice(TITLES)}"}
    dates = [datetime.date(2014 + 3 * v, 1 + family % 12, 1 + family % 28) for v in range(3)]
    table = [
        {
            "version": f"V{v}",
            "code": f"{family_code}v{v}",
            "name": name,
            "status": "",
            "note": "略" if v == 1 else f"已修訂《{family_code}v{v - 1}》內容",
            "date": dates[v - 1].isoformat(),
        }
        for v in range(versions, 0, -1)
    ]
    for v in range(1, versions + 1):
        versions_table = [
            dict(
                row,
                status=STATUS_TEXT["latest" if row["version"] == f"V{versions}" else "historical"],
            )
            for row in table
        ]
        yield {
            "code": f"{family_code}v{v}",
            "name": name,
            "versions": versions_table if versions > 1 else [],
            "category": {"code": category[0], "name": category[1]},
            "occupation": occupation,
            "industry": {"code": industry[0], "name": industry[1]},
            "description": _sentence(rng, 3) + "。",
            "base_level": rng.randint(2, 5),
            **_contents(rng),
        }


def _sentence(rng: random.Random, clauses: int) -> str:
    return "，".join(
        f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}{rng.choice(PURPOSES)}" for _ in range(clauses)
    )


def _contents(rng: random.Random) -> dict[str, Any]:
    task_count = rng.randint(10, 30)
    duty_count = max(2, min(8, task_count // 4))
    sizes = [task_count // duty_count] * duty_count
    for i in range(task_count % duty_count):
        sizes[i] += 1
    knowledge = [
        {"code": f"K{i:02}", "name": f"{rng.choice(FIELDS)}{rng.choice(KNOWLEDGE)}"}
        for i in range(1, rng.randint(8, 30) + 1)
    ]
    skills = [
        {"code": f"S{i:02}", "name": f"{rng.choice(FIELDS)}{rng.choice(SKILLS)}"}
        for i in range(1, rng.randint(6, 20) + 1)
    ]
    duties = []
    for d, size in enumerate(sizes, start=1):
        tasks = []
        for t in range(1, size + 1):
            outputs = [
                {"code": f"O{d}.{t}.{o}", "text": f"{rng.choice(OBJECTS)}{rng.choice(OUTPUTS)}"}
                for o in range(1, rng.randint(0, 2) + 1)
            ]
            indicators = [
                {"code": f"P{d}.{t}.{p}", "text": _sentence(rng, rng.randint(1, 3)) + "。"}
                for p in range(1, rng.randint(1, 4) + 1)
            ]
            tasks.append(
                {
                    "code": f"T{d}.{t}",
                    "title": f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}",
                    "level": rng.randint(1, 6),
                    "outputs": outputs,
                    "indicators": indicators,
                    "knowledge": sorted(
                        i["code"] for i in rng.sample(knowledge, rng.randint(1, 4))
                    ),
                    "skills": sorted(i["code"] for i in rng.sample(skills, rng.randint(1, 3))),
                }
            )
        duties.append(
            {"code": f"T{d}", "title": f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}", "tasks": tasks}
        )
    used_k = {code for duty in duties for task in duty["tasks"] for code in task["knowledge"]}
    used_s = {code for duty in duties for task in duty["tasks"] for code in task["skills"]}
    attitudes = [
        {"code": f"A{i:02}", "name": name, "description": text}
        for i, (name, text) in enumerate(rng.sample(ATTITUDES, rng.randint(3, 6)), start=1)
    ]
    return {
        "duties": duties,
        "knowledge": [item for item in knowledge if item["code"] in used_k],
        "skills": [item for item in skills if item["code"] in used_s],
        "attitudes": attitudes,
        "notes": [f"建議擔任此職類 / 職業之學歷 / 經驗 / 或能力條件：{_sentence(rng, 1)}。"],
    }


def render_text(document: dict[str, Any]) -> str:
    """The plain-text rendering of an official document, as in standards/data/*.txt."""
    k_names = {item["code"]: item["name"] for item in document["knowledge"]}
    s_names = {item["code"]: item["name"] for item in document["skills"]}
    lines = ["", "", f"{document['name']}職能基準", ""]
    if document["versions"]:
        lines.append("版本\t職能基準代碼\t職能基準名稱\t狀態\t更新說明\t更新日期")
        for row in document["versions"]:
            date = row["date"].replace("-", "/")
            lines.append(
                f"{row['version']}\t{row['code']}\t{row['name']}\t{row['status']}\t{row['note']}\t{date}"
            )
        lines.append("")
    category, occupation, industry = (
        document["category"],
        document["occupation"],
        document["industry"],
    )
    lines += [
        f"職能基準代碼\t\t{document['code']}\t\t\t",
        "職能基準名稱 (擇一填寫)\t\t職類\t\t\t",
        f"\t\t職業\t{document['name']}\t\t",
        f"所屬類別\t職類別\t{category['name']}\t職類別代碼\t{category['code']}\t",
        f"\t職業別\t{occupation['name']}\t職業別代碼\t{occupation['code']}\t",
        f"\t行業別\t{industry['name']}\t行業別代碼\t{industry['code']}\t",
        f"工作描述\t\t{document['description']}\t\t\t",
        f"基準級別\t\t{document['base_level']}\t\t\t",
        "",
        "主要職責\t工作任務\t工作產出\t行為指標\t職能級別\t"
        "職能內涵 (K=knowledge 知識)\t職能內涵 (S=skills 技能)",
    ]
    for duty in document["duties"]:
        for index, task in enumerate(duty["tasks"]):
            cells = [
                f"{duty['code']}{duty['title']}" if index == 0 else "",
                f"{task['code']}{task['title']}",
                " ".join(f"{o['code']}{o['text']}" for o in task["outputs"]),
                " ".join(f"{i['code']}{i['text']}" for i in task["indicators"]),
                str(task["level"]),
                " ".join(f"{code}{k_names[code]}" for code in task["knowledge"]),
                " ".join(f"{code}{s_names[code]}" for code in task["skills"]),
            ]
            lines.append("\t".join(cells))
    lines += ["", "職能內涵 (A=attitude 態度)", ""]
    for attitude in document["attitudes"]:
        lines += [f"{attitude['code']}{attitude['name']}：{attitude['description']}", ""]
    lines += ["說明與補充事項", ""]
    lines += [f"- {note}" for note in document["notes"]]
    return "\n".join(lines) + "\n"


def bulk_load(docs: list[dict[str, Any]]) -> None:
    """Store `docs` as published standard versions through the one writer, standard_import.

    The documents are already in the interchange form, so the parser is skipped; every
    row, its history, the search text and the family links are written as for an
    imported file.
    """
    for data in docs:
        standard_import(document=ParsedStandard.from_dict(data))
