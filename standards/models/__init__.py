"""The standards library: one row per standard version, holding the whole document.

The rules every writer follows live here, so the importer, the admin, import-export
and versioning cannot disagree: a published version is locked (`Standard.is_locked`),
the family and version number come from the code (`Standard.clean()`/`save()`), every
code passes `standards.codes.code_error` (a field validator), a task's code starts
with its duty's (`Task.clean()`), and each row knows the standard it belongs to
(`.standard`, and `Model.objects.of_standard(standard)` on the manager).
"""

from .catalogue import CatalogueVersion
from .contents import (
    Attitude,
    BehaviourIndicator,
    CompetencyItemBase,
    ContentQuerySet,
    DocumentWarning,
    Duty,
    KnowledgeItem,
    Note,
    SkillItem,
    Task,
    TaskKnowledge,
    TaskSkill,
    TaskTextBase,
    VersionRecord,
    WorkOutput,
    standard_of,
)
from .matching import ItemNameMatch
from .standard import (
    PUBLISHED_READ_ONLY,
    ClassificationBase,
    Industry,
    JobCategory,
    Occupation,
    PrintedClassification,
    Standard,
    StandardIndustry,
    StandardOccupation,
    StandardQuerySet,
)

__all__ = [
    "PUBLISHED_READ_ONLY",
    "Attitude",
    "BehaviourIndicator",
    "CatalogueVersion",
    "ClassificationBase",
    "CompetencyItemBase",
    "ContentQuerySet",
    "DocumentWarning",
    "Duty",
    "Industry",
    "ItemNameMatch",
    "JobCategory",
    "KnowledgeItem",
    "Note",
    "Occupation",
    "PrintedClassification",
    "SkillItem",
    "Standard",
    "StandardIndustry",
    "StandardOccupation",
    "StandardQuerySet",
    "Task",
    "TaskKnowledge",
    "TaskSkill",
    "TaskTextBase",
    "VersionRecord",
    "WorkOutput",
    "standard_of",
]
