"""Small plain-text renderings of official documents for the parser's tests."""

from standards.parsing.cleaning import squash

HEADER_ROW = (
    "主要職責\t工作任務\t工作產出\t行為指標\t職能級別\t"
    "職能內涵 (K=knowledge 知識)\t職能內涵 (S=skills 技能)"
)


def normalised(value):
    if isinstance(value, str):
        return squash(value)
    if isinstance(value, list):
        return [normalised(item) for item in value]
    if isinstance(value, dict):
        return {key: normalised(item) for key, item in value.items()}
    return value


def document(rows: str, attitudes: str = "A01 細心", notes: str = "- 無") -> str:
    """A small but complete document around the given task-table rows."""
    return (
        "測試人員職能基準\n\n"
        "職能基準代碼\t\tTST0001-001v1\n"
        "職能基準名稱 (擇一填寫)\t\t職類\n"
        "\t\t職業\t測試人員\n"
        "所屬類別\t職類別\t測試類\t職類別代碼\tTST\n"
        "\t職業別\t測試員\t職業別代碼\t0001\n"
        "\t行業別\t測試業\t行業別代碼\tX0001\n"
        "工作描述\t\t做測試。\n"
        "基準級別\t\t3\n\n"
        f"{HEADER_ROW}\n{rows}\n\n"
        f"職能內涵 (A=attitude 態度)\n\n{attitudes}\n\n"
        f"說明與補充事項\n\n{notes}\n"
    )


def row(*cells: str) -> str:
    return "\t".join(cells)


def tasks_of(parsed):
    return {task.code: task for duty in parsed.duties for task in duty.tasks}


def messages(parsed) -> str:
    return "\n".join(f"{w.line}: {w.message}" for w in parsed.warnings)


GOOD_ROW = row("T1 規劃", "T1.1 甲", "", "P1.1.1 甲", "3", "K01 甲", "S01 甲")
