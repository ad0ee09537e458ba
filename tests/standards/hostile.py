"""Documents built to make the parser slow: for the hostile-input tests and the fuzz campaign.

Each is about a megabyte. Before the parser was made linear, each took minutes (or all
the memory, or raised something other than a ParseError).
"""

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager

MEGABYTE = 1_000_000

HEADER_ROW = (
    "主要職責\t工作任務\t工作產出\t行為指標\t職能級別\t"
    "職能內涵 (K=knowledge 知識)\t職能內涵 (S=skills 技能)"
)


def document(
    rows: str, *, attitudes: str = "A01 細心", description: str = "做測試。", header: str = ""
) -> str:
    """A complete small document around the given task-table rows."""
    return (
        "測試人員職能基準\n\n"
        f"{header}"
        "職能基準代碼\t\tTST0001-001v1\n"
        "職能基準名稱 (擇一填寫)\t\t職類\n"
        "\t\t職業\t測試人員\n"
        "所屬類別\t職類別\t測試類\t職類別代碼\tTST\n"
        "\t職業別\t測試員\t職業別代碼\t0001\n"
        "\t行業別\t測試業\t行業別代碼\tX0001\n"
        f"工作描述\t\t{description}\n"
        "基準級別\t\t3\n\n"
        f"{HEADER_ROW}\n{rows}\n\n"
        f"職能內涵 (A=attitude 態度)\n\n{attitudes}\n\n"
        "說明與補充事項\n\n- 無\n"
    )


def task_row(indicator: str = "P1.1.1 能測試", knowledge: str = "K01 知識") -> str:
    return f"T1 測試\tT1.1 執行測試\t\t{indicator}\t3\t{knowledge}\tS01 技能"


def repeated(piece: str, size: int = MEGABYTE) -> str:
    return piece * (size // len(piece))


@contextmanager
def finishes_within(seconds: int) -> Iterator[None]:
    """Fail with TimeoutError when the block runs longer than `seconds`.

    A guard, not a speed target: the bound is many times what the block needs on a busy
    machine and a small fraction of what the quadratic code took.
    """

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# Each of these took minutes before (or raised a ValueError instead of a ParseError).
QUADRATIC_DOCUMENTS: dict[str, Callable[[], str]] = {
    # One cell of 300,000 tags: each became a line break, and the heading and bullet
    # patterns ran from every line start over all the empty lines after it.
    "a cell of <b> tags": lambda: document(task_row("P1.1.1 " + repeated("<b>"))),
    # `<!--.*?-->` searched the rest of the line again for every unclosed comment.
    "unclosed comments": lambda: document(task_row("P1.1.1 " + repeated("<!--"))),
    # Every continuation row joined and cleaned the whole text again.
    "continuation rows": lambda: document(task_row() + "\n" + repeated("\t\t\t續\n")),
    "continued attitude": lambda: document(task_row(), attitudes="A01 細心\n" + repeated("續\n")),
    "continued description": lambda: document(task_row(), description=repeated("描述\n")),
    # `title not in title_so_far` for every reprint, over an ever longer title.
    "a task printed again and again": lambda: document(
        task_row() + "\n" + "".join(f"\tT1.1 續{i}\n" for i in range(9_000))
    ),
    # Each new duty was compared with every duty before it.
    "many duties": lambda: document(
        task_row() + "\n" + " ".join(f"T{i} 職責" for i in range(2, 120_000))
    ),
    # Each repeated item searched for a free number from 1 again.
    "one indicator code repeated": lambda: document(
        task_row(" ".join(f"P1.1.1 指標{i}" for i in range(90_000)))
    ),
    # Every version row searched all the columns of a very wide version table.
    "a wide version table": lambda: document(
        task_row(),
        header="版本\t" + "\t".join(["職能基準代碼"] * 10_000) + "\n" + "V1\n" * 5_000,
    ),
    # int() refuses more than 4,300 digits: a ValueError, not a ParseError.
    "a character reference of 5,000 digits": lambda: document(
        task_row("P1.1.1 &#" + "9" * 5_000 + ";")
    ),
    "a base level of 5,000 digits": lambda: document(task_row()).replace(
        "基準級別\t\t3", "基準級別\t\t" + "9" * 5_000
    ),
    "a knowledge code of 5,000 digits": lambda: document(
        task_row(knowledge="K01 知 K" + "1" * 5_000 + " 長")
    ),
    "a skill code of 5,000 digits": lambda: document(
        task_row().replace("S01 技能", "S01 技能 S" + "1" * 5_000 + " 長 SS02 共")
    ),
}

# A K cell merged across a duty of thousands of tasks links every item to every task.
MERGED_ACROSS_THOUSANDS_OF_TASKS = document(
    task_row(knowledge=" ".join(f"K{i} 知" for i in range(1, 3_300)))
    + "\n"
    + "".join(f"\tT1.{i} 任務\t\tP1.{i}.1 能\t3\n" for i in range(2, 3_300))
)

# Large and odd, but read in reasonable time before too: for the fuzz campaign.
EXTREME_DOCUMENTS: dict[str, Callable[[], str]] = {
    "a megabyte of spaces": lambda: document(task_row("P1.1.1 a" + repeated(" ") + "b")),
    "a megabyte of tabs": lambda: document(task_row("P1.1.1 a" + repeated("\t") + "b")),
    "a line of (((": lambda: document(task_row() + "\n" + repeated("(")),
    "a run of T1.1.1.1": lambda: document(task_row() + "\n" + "T1" + repeated(".1")),
    "nested unclosed markup": lambda: document(
        task_row("P1.1.1 " + repeated('<ul class="a" <p><u>**__### - ● &amp;'))
    ),
    # The column of every uncoded cell was looked up among all coded cells of the row.
    "a row of coded and uncoded cells": lambda: document(
        task_row() + "\n" + "\t".join(["K02 知", "續"] * 9_000)
    ),
    "a knowledge cell merged across thousands of tasks": lambda: MERGED_ACROSS_THOUSANDS_OF_TASKS,
}

HOSTILE_DOCUMENTS = {**QUADRATIC_DOCUMENTS, **EXTREME_DOCUMENTS}
