"""The expected data of the four samples (their interchange form) and a census of the
library's tables. Building standards is tests/factories.py's job."""

import copy
import json
from pathlib import Path
from typing import Any

from django.db.models import Model

from standards import models
from standards.parsing import ParsedStandard

EXPECTED = Path(__file__).resolve().parents[1] / "fixtures" / "expected"

STANDARD_TABLES: list[type[Model]] = [
    models.JobCategory,
    models.Occupation,
    models.Industry,
    models.Standard,
    models.VersionRecord,
    models.Duty,
    models.Task,
    models.KnowledgeItem,
    models.SkillItem,
    models.TaskKnowledge,
    models.TaskSkill,
    models.WorkOutput,
    models.BehaviourIndicator,
    models.Attitude,
    models.Note,
    models.DocumentWarning,
]


def expected_path(code: str) -> Path:
    return EXPECTED / f"{code}.json"


def expected_data(code: str) -> dict[str, Any]:
    """A fresh copy of the expected parse of a sample, safe to edit."""
    return copy.deepcopy(json.loads(expected_path(code).read_text(encoding="utf-8")))


def expected_document(code: str) -> ParsedStandard:
    return ParsedStandard.from_dict(expected_data(code))


def table_counts() -> dict[str, int]:
    """Rows in every table of the standards app, by model name."""
    return {model.__name__: model.objects.count() for model in STANDARD_TABLES}


def all_tasks(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [task for duty in data["duties"] for task in duty["tasks"]]
