"""Keyword search that behaves the same on SQLite and PostgreSQL.

Texts are folded once when they are written, and the query is folded the same way, so
a plain `contains` (case-sensitive, so PostgreSQL can use the trigram index on the
column itself) finds 臺北 for 台北 and ＥＲＰ for erp on every database.
"""

import unicodedata

from django.db import transaction

from .models import Standard, Task

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


def is_shortened(query: str) -> bool:
    """Whether `search_terms` leaves out part of `query`."""
    query = query.strip()
    return len(query) > MAX_QUERY_LENGTH or len(set(fold(query).split())) > MAX_TERMS


def refresh_search_text(standard: Standard) -> None:
    """Recompute the folded search text of a standard and of each of its tasks."""
    tasks = list(
        Task.objects.filter(duty__standard=standard)
        .select_related("duty")
        .prefetch_related("indicators", "outputs", "knowledge", "skills")
    )
    task_texts = {
        task.pk: fold(
            " ".join(
                [task.code, task.title, task.duty.title]
                + [i.text for i in task.indicators.all()]
                + [o.text for o in task.outputs.all()]
                + [k.name for k in task.knowledge.all()]
                + [s.name for s in task.skills.all()]
            )
        )
        for task in tasks
    }
    standard_text = fold(
        " ".join(
            [standard.code, standard.name, standard.description]
            + [standard.category.name, standard.occupation.name, standard.industry.name]
            + list(task_texts.values())
        )
    )
    with transaction.atomic():
        Standard.objects.filter(pk=standard.pk).update(search_text=standard_text)
        for task in tasks:
            if task.search_text != task_texts[task.pk]:
                Task.objects.filter(pk=task.pk).update(search_text=task_texts[task.pk])
