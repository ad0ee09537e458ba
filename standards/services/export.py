"""Reading a stored standard back in the interchange form, and the digest of a document."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db.models import QuerySet

from ..models import Standard
from ..parsing.document import ParsedStandard
from ..selectors import standards_with_contents


def content_digest(document: ParsedStandard) -> str:
    """SHA-256 of the canonical JSON of the interchange form, to recognise a re-import.

    The same JSON as `document.to_dict()` gives (the digests stored by earlier versions
    stay valid), without its deep copy: the dataclasses are read as they are.
    """
    data = {key: value for key, value in vars(document).items() if key != "warnings"}
    # A document naming one occupation and one industry has the digest it had before the
    # lists existed, so that re-importing an unchanged published version changes nothing.
    for key, single in (("occupations", "occupation"), ("industries", "industry")):
        if data[key] == [data[single]]:
            del data[key]
    canonical = json.dumps(
        data, default=vars, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def standard_export(*, standard: Standard) -> dict[str, Any]:
    """The interchange form of a stored standard, the same shape `ParsedStandard.to_dict()` has.

    Reads the standard again through `standards_with_contents()`: 14 queries whatever
    its size.
    """
    return document_of(standards_with_contents().get(pk=standard.pk))


def standards_export(*, standards: QuerySet[Standard]) -> list[dict[str, Any]]:
    """The interchange form of each of `standards`, in code order: 12 queries in all."""
    return [
        document_of(standard)
        for standard in standards_with_contents()
        .filter(pk__in=standards.values("pk"))
        .order_by("code")
    ]


def document_of(standard: Standard) -> dict[str, Any]:
    """The interchange form of a standard read through `standards_with_contents()`."""
    return {
        "code": standard.code,
        "name": standard.name,
        "versions": [
            {
                "version": record.version,
                "code": record.code,
                "name": record.name,
                "status": record.status,
                "note": record.note,
                "date": record.date.isoformat() if record.date else None,
            }
            for record in standard.version_records.all()
        ],
        "category": standard.printed_category._asdict(),
        # The names this version printed (Standard.occupations), the first also alone.
        "occupation": standard.occupations[0]._asdict(),
        "industry": standard.industries[0]._asdict(),
        "occupations": [printed._asdict() for printed in standard.occupations],
        "industries": [printed._asdict() for printed in standard.industries],
        "description": standard.description,
        "base_level": standard.base_level,
        "duties": [
            {
                "code": duty.code,
                "title": duty.title,
                "tasks": [
                    {
                        "code": task.code,
                        "title": task.title,
                        "level": task.level,
                        "outputs": [{"code": o.code, "text": o.text} for o in task.outputs.all()],
                        "indicators": [
                            {"code": i.code, "text": i.text} for i in task.indicators.all()
                        ],
                        "knowledge": [link.item.code for link in task.knowledge_links.all()],
                        "skills": [link.item.code for link in task.skill_links.all()],
                    }
                    for task in duty.tasks.all()
                ],
            }
            for duty in standard.duties.all()
        ],
        "knowledge": [{"code": k.code, "name": k.name} for k in standard.knowledge_items.all()],
        "skills": [{"code": s.code, "name": s.name} for s in standard.skill_items.all()],
        "attitudes": [
            {"code": a.code, "name": a.name, "description": a.description}
            for a in standard.attitudes.all()
        ],
        "notes": [note.text for note in standard.notes.all()],
    }
