"""Keyword search that behaves the same on SQLite and PostgreSQL.

Texts are folded once when they are written, and the query is folded the same way, so
a plain `contains` (case-sensitive, so PostgreSQL can use the trigram index on the
column itself) finds 臺北 for 台北 and ＥＲＰ for erp on every database.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.db import transaction

from .models import Standard, Task
from .parsing.document import ParsedStandard

# Variant characters users type interchangeably; folded to the first form.
VARIANTS = str.maketrans({"臺": "台", "峯": "峰", "裏": "裡", "綫": "線"})


def fold(text: str) -> str:
    """Full-width to half-width (NFKC), variant characters unified, lower case."""
    return unicodedata.normalize("NFKC", text).translate(VARIANTS).casefold()


# A search reads at most this much of what was typed: each term is one more scan of
# every standard's text, and SQLite refuses a query of about a thousand terms (or a LIKE
# pattern of 50,000 bytes). The catalogue says when it shortened a search; the API
# refuses one that is too long (standards.api).
MAX_TERMS = 10
MAX_QUERY_LENGTH = 200
QUERY_TOO_LONG = (
    f"A keyword search takes at most {MAX_TERMS} words and {MAX_QUERY_LENGTH} characters."
)


def search_terms(query: str) -> list[str]:
    """The folded words of what a user typed; each must occur for a standard to match.

    Only the first MAX_QUERY_LENGTH characters are read, and the first MAX_TERMS
    different words of them kept.
    """
    words = fold(query.strip()[:MAX_QUERY_LENGTH]).split()
    return list(dict.fromkeys(words))[:MAX_TERMS]


def matching_keys(texts: Iterable[tuple[int, str]], terms: list[str]) -> list[int]:
    """The keys of the folded texts that hold every folded term: in memory, the rule
    `StandardFilter.keyword_standards` asks of the database (`search_text__contains`
    for each term)."""
    return [key for key, text in texts if all(term in text for term in terms)]


def is_shortened(query: str) -> bool:
    """Whether `search_terms` leaves out part of `query`."""
    query = query.strip()
    return len(query) > MAX_QUERY_LENGTH or len(set(fold(query).split())) > MAX_TERMS


def task_search_text(
    *,
    code: str,
    title: str,
    duty_title: str,
    indicators: Iterable[str],
    outputs: Iterable[str],
    knowledge: Iterable[str],
    skills: Iterable[str],
) -> str:
    """The folded text of one task: its code and title, its duty's title, its indicators'
    and outputs' texts and its K/S names (in list order)."""
    return fold(" ".join([code, title, duty_title, *indicators, *outputs, *knowledge, *skills]))


def standard_search_text(
    *,
    code: str,
    name: str,
    description: str,
    classifications: Iterable[str],
    task_texts: Iterable[str],
) -> str:
    """The folded text of a whole standard: its header, classification names and tasks."""
    return fold(" ".join([code, name, description, *classifications, *task_texts]))


def document_search_texts(document: ParsedStandard) -> tuple[str, dict[str, str]]:
    """The folded text of a parsed standard and of each of its tasks (by task code).

    The same texts `refresh_search_text` computes from the stored rows, without reading
    them back: the writer stores these with the rows.
    """
    knowledge_order = {item.code: n for n, item in enumerate(document.knowledge)}
    skill_order = {item.code: n for n, item in enumerate(document.skills)}
    knowledge_names = {item.code: item.name for item in document.knowledge}
    skill_names = {item.code: item.name for item in document.skills}
    task_texts = {
        task.code: task_search_text(
            code=task.code,
            title=task.title,
            duty_title=duty.title,
            indicators=[indicator.text for indicator in task.indicators],
            outputs=[output.text for output in task.outputs],
            knowledge=[
                knowledge_names[code] for code in sorted(task.knowledge, key=knowledge_order.get)
            ],
            skills=[skill_names[code] for code in sorted(task.skills, key=skill_order.get)],
        )
        for duty in document.duties
        for task in duty.tasks
    }
    standard_text = standard_search_text(
        code=document.code,
        name=document.name,
        description=document.description or "",
        classifications=[
            document.category.name,
            *(entry.name for entry in [*document.occupations, *document.industries]),
        ],
        task_texts=task_texts.values(),
    )
    return standard_text, task_texts


def refresh_search_text(standard: Standard) -> None:
    """Recompute the folded search text of a stored standard and of each of its tasks."""
    tasks = list(
        Task.objects.filter(duty__standard=standard)
        .select_related("duty")
        .prefetch_related("indicators", "outputs", "knowledge", "skills")
    )
    task_texts = {
        task.pk: task_search_text(
            code=task.code,
            title=task.title,
            duty_title=task.duty.title,
            indicators=[i.text for i in task.indicators.all()],
            outputs=[o.text for o in task.outputs.all()],
            knowledge=[k.name for k in task.knowledge.all()],
            skills=[s.name for s in task.skills.all()],
        )
        for task in tasks
    }
    standard_text = standard_search_text(
        code=standard.code,
        name=standard.name,
        description=standard.description,
        classifications=[
            standard.printed_category.name,
            *(printed.name for printed in [*standard.occupations, *standard.industries]),
        ],
        task_texts=task_texts.values(),
    )
    with transaction.atomic():
        Standard.objects.filter(pk=standard.pk).update(search_text=standard_text)
        for task in tasks:
            if task.search_text != task_texts[task.pk]:
                Task.objects.filter(pk=task.pk).update(search_text=task_texts[task.pk])
