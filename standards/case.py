"""A standard version as 1EdTech CASE 1.1 (Competencies and Academic Standards Exchange).

`case_package` gives one published version as a CFPackage, `case_document` its CFDocument
alone. The mapping (docs/domain.md, "CASE"):

- the version is the CFDocument: title, version (`v4`), adoptionStatus Adopted for the
  latest version and Deprecated for a historical one;
- one CFItem per duty, task, work output, behaviour indicator, knowledge item, skill item
  and attitude, `humanCodingScheme` its printed code (T1.1, O1.1.1, K01…) and
  `CFItemType` naming which (the CFItemTypes are listed in CFDefinitions);
- CFAssociations: `isChildOf` duty → document, task → duty, output and indicator → task,
  knowledge, skill and attitude → document; a task needs a knowledge or skill item:
  `isRelatedTo` with the notes `requires` (CASE has no "requires" type); `replacedBy`
  from a version to the version that superseded it;
- each task's level is one CFRubricCriterion of the rubric 職能級別 with one level whose
  score is the level, and the extension `competencyLevel` on the task's CFItem.

Identifiers are UUID 5 from one fixed namespace and the path of the row (code, kind and
printed code), so a version exported twice, or from another database, keeps them.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from .levels import OFFICIAL_DEFINITIONS
from .models import Standard
from .selectors import classification_links, published_standards, standards_with_contents

# Never change it: every identifier ever published derives from it.
NAMESPACE = uuid.UUID("6f0c52b4-3f8e-5d0c-9a37-3b1f5c2e7a10")
CREATOR = "勞動部勞動力發展署"
LANGUAGE = "zh-Hant"
CASE_VERSION = "1.1"
ADOPTED, DEPRECATED = "Adopted", "Deprecated"
REQUIRES = "requires"
LEVEL_RUBRIC_TITLE = "職能級別"

# CFItemType: (title, hierarchy code, Chinese name)
ITEM_TYPES = {
    "duty": ("Duty", "T", "主要職責"),
    "task": ("Task", "T.T", "工作任務"),
    "output": ("Work output", "O", "工作產出"),
    "indicator": ("Behaviour indicator", "P", "行為指標"),
    "knowledge": ("Knowledge", "K", "職能內涵（K=knowledge 知識）"),
    "skill": ("Skill", "S", "職能內涵（S=skills 技能）"),
    "attitude": ("Attitude", "A", "職能內涵（A=attitude 態度）"),
}


def identifier(*path: object) -> str:
    """The stable UUID of a row named by its path, e.g. ("AVA4322-001v4", "task", "T1.1")."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(part) for part in path)))


def document_identifier(standard: Standard) -> str:
    return identifier(standard.code)


def standard_id_for_identifier(value: str) -> int | None:
    """The primary key of the published version whose CFDocument is `value`, or None.

    Identifiers are derived, not stored: the codes of the published versions (one query)
    are hashed until one matches (a few milliseconds for the whole catalogue).
    """
    try:
        wanted = str(uuid.UUID(value))
    except ValueError:
        return None
    for pk, code in published_standards().order_by().values_list("pk", "code"):
        if identifier(code) == wanted:
            return pk
    return None


def case_documents() -> QuerySet[Standard]:
    """The published versions, as `case_document` reads them (with their occupation and
    industry links), in code order."""
    return published_standards().prefetch_related(*classification_links()).order_by("code")


def case_document(standard: Standard, *, uri: Callable[[str, str], str]) -> dict[str, Any]:
    """The CFDocument of a standard version. `uri(kind, identifier)` makes an absolute URI."""
    doc_id = document_identifier(standard)
    document: dict[str, Any] = {
        "identifier": doc_id,
        "uri": uri("CFDocuments", doc_id),
        "creator": CREATOR,
        "title": f"{standard.name}職能基準",
        "lastChangeDateTime": _datetime(standard),
        "publisher": CREATOR,
        "description": standard.description,
        # The job category, then every occupation and industry, as this version printed them.
        "subject": [
            standard.printed_category.name,
            *(printed.name for printed in [*standard.occupations, *standard.industries]),
        ],
        "language": LANGUAGE,
        "version": f"v{standard.version_number}",
        "adoptionStatus": (
            DEPRECATED if standard.status == Standard.Status.HISTORICAL else ADOPTED
        ),
        "caseVersion": CASE_VERSION,
        "frameworkType": "職能基準",
        "notes": standard.code,
        "CFPackageURI": {
            "title": standard.code,
            "identifier": doc_id,
            "uri": uri("CFPackages", doc_id),
        },
        "extensions": {
            "code": standard.code,
            "baseLevel": standard.base_level,
            "category": standard.printed_category._asdict(),
            "occupation": standard.occupations[0]._asdict(),
            "industry": standard.industries[0]._asdict(),
            "occupations": [printed._asdict() for printed in standard.occupations],
            "industries": [printed._asdict() for printed in standard.industries],
        },
    }
    if standard.date:
        document["statusStartDate"] = standard.date.isoformat()
    return document


def case_package(pk: int, *, uri: Callable[[str, str], str]) -> dict[str, Any]:
    """The CFPackage of the standard version `pk`: 12 queries whatever its size."""
    standard = standards_with_contents().select_related("supersedes", "superseded_by").get(pk=pk)
    return _PackageBuilder(standard, uri).build()


class _PackageBuilder:
    def __init__(self, standard: Standard, uri: Callable[[str, str], str]) -> None:
        self.standard = standard
        self.uri = uri
        self.changed = _datetime(standard)
        self.document = case_document(standard, uri=uri)
        self.items: list[dict[str, Any]] = []
        self.associations: list[dict[str, Any]] = []
        self.criteria: list[dict[str, Any]] = []
        self.type_ids = {kind: identifier("CFItemType", kind) for kind in ITEM_TYPES}

    def build(self) -> dict[str, Any]:
        standard = self.standard
        root = self._document_link(standard)
        for duty in standard.duties.all():
            duty_item = self._item("duty", duty.code, duty.title, path=(duty.code,))
            self._associate("isChildOf", duty_item, root)
            for task in duty.tasks.all():
                task_item = self._item(
                    "task",
                    task.code,
                    task.title,
                    path=(task.code,),
                    extensions={"competencyLevel": task.level},
                )
                self._associate("isChildOf", task_item, self._link(duty_item))
                self._level_criterion(task_item, task.level, len(self.criteria) + 1)
                for kind, rows in [
                    ("output", task.outputs.all()),
                    ("indicator", task.indicators.all()),
                ]:
                    for row in rows:
                        item = self._item(kind, row.code, row.text, path=(task.code, row.code))
                        self._associate("isChildOf", item, self._link(task_item))
                for kind, links in [
                    ("knowledge", task.knowledge_links.all()),
                    ("skill", task.skill_links.all()),
                ]:
                    for link in links:
                        target = {
                            "title": f"{link.item.code} {link.item.name}",
                            "identifier": identifier(standard.code, kind, link.item.code),
                            "uri": self._item_uri(identifier(standard.code, kind, link.item.code)),
                        }
                        self._associate("isRelatedTo", task_item, target, notes=REQUIRES)
        for kind, rows in [
            ("knowledge", standard.knowledge_items.all()),
            ("skill", standard.skill_items.all()),
        ]:
            for row in rows:
                item = self._item(kind, row.code, row.name, path=(row.code,))
                self._associate("isChildOf", item, root)
        for order, attitude in enumerate(standard.attitudes.all(), start=1):
            statement = attitude.name
            if attitude.description:
                statement = f"{attitude.name}：{attitude.description}"
            # Attitude codes may repeat within a document: the path is its position.
            item = self._item("attitude", attitude.code, statement, path=(order,))
            self._associate("isChildOf", item, root)
        self._version_links()
        return {
            "CFDocument": self.document,
            "CFItems": self.items,
            "CFAssociations": self.associations,
            "CFDefinitions": {"CFItemTypes": self._item_types()},
            "CFRubrics": [self._level_rubric()],
        }

    def _item(
        self,
        kind: str,
        code: str,
        statement: str,
        *,
        path: tuple[object, ...],
        extensions: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        item_id = identifier(self.standard.code, kind, *path)
        title = ITEM_TYPES[kind][0]
        item: dict[str, Any] = {
            "identifier": item_id,
            "uri": self._item_uri(item_id),
            "fullStatement": statement,
            "humanCodingScheme": code,
            "CFItemType": title,
            "CFItemTypeURI": {
                "title": title,
                "identifier": self.type_ids[kind],
                "uri": self.uri("CFItemTypes", self.type_ids[kind]),
            },
            "language": LANGUAGE,
            "lastChangeDateTime": self.changed,
            "CFDocumentURI": self._document_link(self.standard),
        }
        if extensions:
            item["extensions"] = extensions
        self.items.append(item)
        return item

    def _item_uri(self, item_id: str) -> str:
        return self.uri("CFItems", item_id)

    def _link(self, item: dict[str, Any]) -> dict[str, str]:
        return {
            "title": f"{item['humanCodingScheme']} {item['fullStatement']}",
            "identifier": item["identifier"],
            "uri": item["uri"],
        }

    def _document_link(self, standard: Standard) -> dict[str, str]:
        doc_id = document_identifier(standard)
        return {
            "title": f"{standard.code} {standard.name}",
            "identifier": doc_id,
            "uri": self.uri("CFDocuments", doc_id),
        }

    def _associate(
        self,
        kind: str,
        origin: dict[str, Any],
        destination: dict[str, str],
        *,
        notes: str | None = None,
    ) -> None:
        origin_link = self._link(origin) if "humanCodingScheme" in origin else origin
        # The same association in the packages of both its ends (replacedBy) has one identifier.
        association_id = identifier(
            "association", origin_link["identifier"], kind, destination["identifier"]
        )
        association: dict[str, Any] = {
            "identifier": association_id,
            "uri": self.uri("CFAssociations", association_id),
            "associationType": kind,
            "sequenceNumber": len(self.associations) + 1,
            "originNodeURI": {key: origin_link[key] for key in ("title", "identifier", "uri")},
            "destinationNodeURI": destination,
            "lastChangeDateTime": self.changed,
            "CFDocumentURI": self._document_link(self.standard),
        }
        if notes:
            association["notes"] = notes
        self.associations.append(association)

    def _version_links(self) -> None:
        """replacedBy between this version and its published neighbours in the family."""
        standard = self.standard
        previous = standard.supersedes
        following = getattr(standard, "superseded_by", None)
        if previous is not None and previous.is_published:
            self._associate(
                "replacedBy", self._document_link(previous), self._document_link(standard)
            )
        if following is not None and following.is_published:
            self._associate(
                "replacedBy", self._document_link(standard), self._document_link(following)
            )

    def _rubric_id(self) -> str:
        return identifier(self.standard.code, "rubric", "level")

    def _level_criterion(self, task_item: dict[str, Any], level: int, position: int) -> None:
        criterion_id = identifier(self.standard.code, "rubric", "level", task_item["identifier"])
        level_id = identifier(self.standard.code, "rubric", "level", task_item["identifier"], level)
        self.criteria.append(
            {
                "identifier": criterion_id,
                "uri": self.uri("CFRubricCriteria", criterion_id),
                "category": LEVEL_RUBRIC_TITLE,
                "description": f"{task_item['humanCodingScheme']} {task_item['fullStatement']}",
                "CFItemURI": self._link(task_item),
                "position": position,
                "rubricId": self._rubric_id(),
                "lastChangeDateTime": self.changed,
                "CFRubricCriterionLevels": [
                    {
                        "identifier": level_id,
                        "uri": self.uri("CFRubricCriterionLevels", level_id),
                        "quality": f"{LEVEL_RUBRIC_TITLE} {level}",
                        "description": OFFICIAL_DEFINITIONS[level],
                        "score": level,
                        "position": level,
                        "rubricCriterionId": criterion_id,
                        "lastChangeDateTime": self.changed,
                    }
                ],
            }
        )

    def _level_rubric(self) -> dict[str, Any]:
        rubric_id = self._rubric_id()
        return {
            "identifier": rubric_id,
            "uri": self.uri("CFRubrics", rubric_id),
            "title": LEVEL_RUBRIC_TITLE,
            "description": "每項工作任務的職能級別（1–6，職能級別表）",
            "lastChangeDateTime": self.changed,
            "CFRubricCriteria": self.criteria,
        }

    def _item_types(self) -> list[dict[str, Any]]:
        return [
            {
                "identifier": self.type_ids[kind],
                "uri": self.uri("CFItemTypes", self.type_ids[kind]),
                "title": title,
                "description": chinese,
                "hierarchyCode": hierarchy,
                "typeCode": kind,
                "lastChangeDateTime": self.changed,
            }
            for kind, (title, hierarchy, chinese) in ITEM_TYPES.items()
        ]


def _datetime(standard: Standard) -> str:
    """When the version last changed, in UTC as CASE writes it (2023-07-24T08:00:00+00:00)."""
    return standard.updated_at.astimezone(datetime.UTC).isoformat(timespec="seconds")
