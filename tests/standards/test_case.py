"""CASE 1.1: /api/case/v1p1/CFDocuments and CFPackages/<identifier>, checked against the
CASE 1.1 CFPackage JSON schema (tests/fixtures/case/, see its README)."""

import json
import uuid
from pathlib import Path

import jsonschema
import pytest
from django.urls import reverse

from standards import case
from tests.factories import SAMPLES, generated_standards, sample_standard, sample_variant

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "fixtures/case/case-v1p1-cfpackage-schema.json").read_text()
)
DOCUMENTS = reverse("standards-api:case_documents")
DOCUMENT_SCHEMA = {
    **SCHEMA["definitions"]["CFPackageDocument"],
    "definitions": SCHEMA["definitions"],
}


def package_url(identifier: str) -> str:
    return reverse("standards-api:case_package", args=[identifier])


def package_of(client, standard):
    response = client.get(package_url(case.document_identifier(standard)))
    assert response.status_code == 200
    return response.json()


def validate(instance, schema=SCHEMA):
    jsonschema.validate(instance, schema, format_checker=jsonschema.FormatChecker())


def test_the_case_urls_follow_the_rest_binding():
    assert DOCUMENTS == "/api/case/v1p1/CFDocuments"
    assert package_url("x") == "/api/case/v1p1/CFPackages/x"


@pytest.mark.parametrize("code", SAMPLES)
def test_the_package_of_every_sample_is_valid_case_1_1(client, code):
    standard = sample_standard(code)

    package = package_of(client, standard)

    validate(package)
    assert package["CFDocument"]["caseVersion"] == "1.1"
    assert package["CFDocument"]["adoptionStatus"] == "Adopted"


def test_a_package_has_an_item_for_every_row_of_the_document(client, standard):
    package = package_of(client, standard)

    by_type = {}
    for item in package["CFItems"]:
        by_type.setdefault(item["CFItemType"], []).append(item["humanCodingScheme"])
    tasks = [t for d in standard.duties.all() for t in d.tasks.all()]
    assert by_type["Duty"] == [d.code for d in standard.duties.all()]
    assert by_type["Task"] == [t.code for t in tasks]
    assert len(by_type["Work output"]) == sum(t.outputs.count() for t in tasks)
    assert len(by_type["Behaviour indicator"]) == sum(t.indicators.count() for t in tasks)
    assert by_type["Knowledge"] == list(standard.knowledge_items.values_list("code", flat=True))
    assert by_type["Skill"] == list(standard.skill_items.values_list("code", flat=True))
    assert by_type["Attitude"] == list(standard.attitudes.values_list("code", flat=True))
    assert "T1.1" in by_type["Task"] and "O1.1.1" in by_type["Work output"]
    document = package["CFDocument"]
    assert document["title"] == f"{standard.name}職能基準"
    assert document["version"] == "v4"


def test_associations_put_tasks_under_duties_and_say_what_a_task_requires(client, standard):
    package = package_of(client, standard)
    items = {item["identifier"]: item for item in package["CFItems"]}
    task = next(i for i in package["CFItems"] if i["humanCodingScheme"] == "T1.1")
    stored = standard.duties.get(code="T1").tasks.get(code="T1.1")

    def from_task(kind):
        return [
            a
            for a in package["CFAssociations"]
            if a["associationType"] == kind
            and a["originNodeURI"]["identifier"] == task["identifier"]
        ]

    [parent] = from_task("isChildOf")
    assert items[parent["destinationNodeURI"]["identifier"]]["humanCodingScheme"] == "T1"
    required = [items[a["destinationNodeURI"]["identifier"]] for a in from_task("isRelatedTo")]
    assert {a["notes"] for a in from_task("isRelatedTo")} == {"requires"}
    assert [i["humanCodingScheme"] for i in required] == [
        *(link.item.code for link in stored.knowledge_links.all()),
        *(link.item.code for link in stored.skill_links.all()),
    ]
    children = [
        items[a["originNodeURI"]["identifier"]]["humanCodingScheme"]
        for a in package["CFAssociations"]
        if a["associationType"] == "isChildOf"
        and a["destinationNodeURI"]["identifier"] == task["identifier"]
    ]
    assert children == [
        *stored.outputs.values_list("code", flat=True),
        *stored.indicators.values_list("code", flat=True),
    ]


def test_each_task_level_is_a_rubric_criterion_and_an_extension(client, standard):
    package = package_of(client, standard)

    [rubric] = package["CFRubrics"]
    levels = {
        c["CFItemURI"]["identifier"]: c["CFRubricCriterionLevels"][0]["score"]
        for c in rubric["CFRubricCriteria"]
    }
    tasks = [i for i in package["CFItems"] if i["CFItemType"] == "Task"]
    stored = {t.code: t.level for d in standard.duties.all() for t in d.tasks.all()}
    assert {t["humanCodingScheme"]: levels[t["identifier"]] for t in tasks} == stored
    assert all(t["extensions"]["competencyLevel"] == stored[t["humanCodingScheme"]] for t in tasks)


def test_identifiers_are_the_same_at_every_export_and_unique(client, standard):
    first = package_of(client, standard)
    second = package_of(client, standard)

    assert first == second
    ids = [i["identifier"] for i in first["CFItems"]] + [
        a["identifier"] for a in first["CFAssociations"]
    ]
    assert len(ids) == len(set(ids))
    assert first["CFDocument"]["identifier"] == str(uuid.uuid5(case.NAMESPACE, "AVA4322-001v4"))


def test_a_historical_version_is_deprecated_and_replaced_by_the_next(client, db):
    old = sample_variant("AVA4322-001v3")
    new = sample_standard("AVA4322-001v4")
    old.refresh_from_db()

    old_package = package_of(client, old)
    new_package = package_of(client, new)

    validate(old_package)
    assert old_package["CFDocument"]["adoptionStatus"] == "Deprecated"
    replaced = [a for a in old_package["CFAssociations"] if a["associationType"] == "replacedBy"]
    assert [
        (a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"]) for a in replaced
    ] == [(case.document_identifier(old), case.document_identifier(new))]
    [same] = [a for a in new_package["CFAssociations"] if a["associationType"] == "replacedBy"]
    assert same["identifier"] == replaced[0]["identifier"]
    assert same["originNodeURI"] == replaced[0]["originNodeURI"]


def test_the_documents_list_holds_published_versions_only(client, db):
    published = sample_standard("AVA4322-001v4")
    draft = sample_standard("BHR1212-001v2", publish=False)

    response = client.get(DOCUMENTS)

    documents = response.json()["CFDocuments"]
    assert [d["identifier"] for d in documents] == [case.document_identifier(published)]
    assert response["X-Total-Count"] == "1"
    for document in documents:
        validate(document, DOCUMENT_SCHEMA)
    assert client.get(package_url(case.document_identifier(draft))).status_code == 404
    assert client.get(documents[0]["CFPackageURI"]["uri"]).status_code == 200
    assert client.get(documents[0]["uri"]).json() == documents[0]


def test_the_documents_list_pages_with_limit_and_offset(client, db):
    generated_standards(5)

    page = client.get(DOCUMENTS, {"limit": 2, "offset": 3})

    assert len(page.json()["CFDocuments"]) == 2
    assert page["X-Total-Count"] == "5"
    for params in ({"limit": "x"}, {"limit": 0}, {"offset": -1}):
        bad = client.get(DOCUMENTS, params)
        assert bad.status_code == 400
        assert bad.json()["imsx_codeMajor"] == "failure"


@pytest.mark.parametrize(
    "identifier", ["not-a-uuid", "2f1b6a52-9b0e-4c57-8a3d-6c1e0f5a7b90", "%00"]
)
def test_an_unknown_identifier_is_a_case_404(client, standard, identifier):
    response = client.get(package_url(identifier))

    assert response.status_code == 404
    assert response.json()["imsx_description"] == "Unknown Object"


def test_the_package_query_count_does_not_grow_with_the_document(
    client, django_assert_num_queries, db
):
    small, large = generated_standards(1)[0], sample_standard("AVA4322-001v4")
    for standard in (small, large):
        # the published codes (to find the identifier), then the 14 of
        # standards_with_contents (the standard with its classification and neighbours,
        # version records, occupation links, industry links, duties, tasks, outputs,
        # indicators, K links, S links, K items, S items, attitudes, notes)
        with django_assert_num_queries(15):
            package_of(client, standard)


def test_the_documents_list_takes_four_queries_whatever_its_length(
    client, django_assert_num_queries, db
):
    for count in (1, 6):
        generated_standards(count, start=count * 10)
        # count, the page of standards with their classification, their occupation
        # links, their industry links
        with django_assert_num_queries(4):
            client.get(DOCUMENTS)
