"""Every export of a version gives back all its occupations and industries, in order,
with the names that version printed; the catalogue names a code as its newest version."""

import re

import pytest
from django.urls import reverse

from common.spreadsheets import workbook_bytes
from standards import case
from standards.forms import StandardForm
from standards.models import JobCategory, Standard
from standards.services import standard_export, standards_export
from standards.workbook import CLASSIFICATION_COUNT, documents_workbook
from tests.factories import (
    SEVERAL_INDUSTRIES,
    SEVERAL_OCCUPATIONS,
    sample_variant,
    several_classifications_standard,
)
from tests.pdf import needs_pdf_renderer, pdf_text
from tests.standards.test_workbook import edited, hr_client, import_workbook, preview, rows

pytestmark = pytest.mark.django_db

__all__ = ["hr_client"]  # the fixture, used by the workbook tests below

OLD_NAME, NEW_NAME = "企業總管理機構", "企業總管理機構及管理顧問業"
OCCUPATIONS = [{"code": c, "name": n} for c, n in SEVERAL_OCCUPATIONS]
INDUSTRIES = [{"code": c, "name": n} for c, n in SEVERAL_INDUSTRIES]


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def filed_under_m7010(code: str, name: str, date: str) -> Standard:
    """A version of the AVA4322-001v4 sample, dated `date`, printing M7010 as `name`
    (second of its industries)."""

    def edit(data):
        data["versions"] = [{**data["versions"][0], "code": code, "date": date}]
        data["industries"] = [data["industry"], {"code": "M7010", "name": name}]

    return sample_variant(code, edit=edit)


@pytest.fixture
def two_names(db) -> tuple[Standard, Standard]:
    """An older version printing M7010 as 企業總管理機構 and a newer one printing
    企業總管理機構及管理顧問業, the newer imported first."""
    newer = filed_under_m7010("AVA4322-001v5", NEW_NAME, "2024-06-01")
    older = filed_under_m7010("AVA4322-001v4", OLD_NAME, "2019-03-01")
    return older, newer


def test_the_json_export_lists_every_occupation_and_industry_in_order(db):
    exported = standard_export(standard=several_classifications_standard())

    assert exported["occupations"] == OCCUPATIONS
    assert exported["industries"] == INDUSTRIES
    assert (exported["occupation"], exported["industry"]) == (OCCUPATIONS[0], INDUSTRIES[0])


def test_the_workbook_lists_them_one_per_line_and_imports_back_the_same(hr_client):
    before = standard_export(standard=several_classifications_standard())
    data = workbook_bytes(documents_workbook([before]))

    [header, row] = rows(data, "基本資料")
    cells = dict(zip(header, row, strict=True))
    assert cells["職業別代碼"] == "1324\n4321"
    assert cells["行業別名稱"].splitlines() == [name for _, name in SEVERAL_INDUSTRIES]
    Standard.objects.all().delete()
    import_workbook(hr_client, data)
    assert standard_export(standard=Standard.objects.get()) == before


def test_a_workbook_naming_more_codes_than_names_is_refused_and_changes_nothing(hr_client):
    data = workbook_bytes(documents_workbook([standard_export(standard=sample_variant("X"))]))
    Standard.objects.all().delete()
    header = rows(data, "基本資料")[0]
    data = edited(data, "基本資料", 2, header.index("行業別代碼") + 1, "R9010\nH5301")

    shown = preview(hr_client, data)

    assert shown.context["error"] == CLASSIFICATION_COUNT % {
        "row": 2,
        "label": "行業別",
        "codes": 2,
        "names": 1,
    }
    assert not Standard.objects.exists()


@needs_pdf_renderer
def test_the_pdf_prints_every_occupation_and_industry_in_order(client, db):
    several_classifications_standard()

    text = squeezed(pdf_text(client.get("/standards/KRM1324-002v1/pdf/").content))

    printed = [squeezed(f"{n}{c}") for c, n in [*SEVERAL_OCCUPATIONS, *SEVERAL_INDUSTRIES]]
    positions = [text.index(each) for each in printed]
    assert positions == sorted(positions)


def case_package(client, standard: Standard) -> dict:
    url = reverse("standards-api:case_package", args=[case.document_identifier(standard)])
    return client.get(url).json()


def test_case_names_every_occupation_and_industry_in_order(client, db):
    standard = several_classifications_standard()
    listed = client.get(reverse("standards-api:case_documents")).json()["CFDocuments"]

    for document in [case_package(client, standard)["CFDocument"], *listed]:
        assert document["subject"] == [
            "行銷與銷售 / 零售與通路管理",
            *(name for _, name in [*SEVERAL_OCCUPATIONS, *SEVERAL_INDUSTRIES]),
        ]
        assert document["extensions"]["occupations"] == OCCUPATIONS
        assert document["extensions"]["industries"] == INDUSTRIES
        assert document["extensions"]["industry"] == INDUSTRIES[0]


def test_every_export_of_a_version_gives_back_the_names_it_printed(client, two_names):
    for standard, name in zip(two_names, [OLD_NAME, NEW_NAME], strict=True):
        exported = standard_export(standard=standard)
        assert exported["industries"][1] == {"code": "M7010", "name": name}
        (workbook,) = standards_export(standards=Standard.objects.filter(pk=standard.pk))
        [header, row] = rows(workbook_bytes(documents_workbook([workbook])), "基本資料")
        assert dict(zip(header, row, strict=True))["行業別名稱"].splitlines()[1] == name
        document = case_package(client, standard)["CFDocument"]
        assert document["extensions"]["industries"][1]["name"] == name
        assert name in document["subject"]
        page = client.get(reverse("standards:detail", args=[standard.code])).content.decode()
        assert f'{name} <span class="code">M7010</span>' in page


@needs_pdf_renderer
def test_the_pdf_prints_the_name_its_version_printed(client, two_names):
    older, newer = two_names
    old_text = squeezed(pdf_text(client.get(f"/standards/{older.code}/pdf/").content))
    new_text = squeezed(pdf_text(client.get(f"/standards/{newer.code}/pdf/").content))

    assert f"{OLD_NAME}M7010" in old_text and NEW_NAME not in old_text
    assert f"{NEW_NAME}M7010" in new_text


def test_the_catalogue_names_a_code_as_its_newest_version_printed_it(client, two_names):
    response = client.get(reverse("standards:list"), {"status": "all"})

    (choice,) = [c for c in response.context["facets"]["industry"] if c.value == "M7010"]
    assert choice.label == f"M7010 {NEW_NAME}"
    assert choice.count == 2


OLD_CATEGORY, NEW_CATEGORY = "製造 / 生產管理", "製造 / 生產規劃與管理"


def printing_its_category_as(code: str, name: str, date: str) -> Standard:
    """A version of the AVA4322-001v4 sample, dated `date`, printing its job category's
    code with `name`."""

    def edit(data):
        data["versions"] = [{**data["versions"][0], "code": code, "date": date}]
        data["category"] = {**data["category"], "name": name}

    return sample_variant(code, edit=edit)


@pytest.fixture
def two_category_names(db) -> tuple[Standard, Standard]:
    """The job category's name as the industries' in `two_names`: older and newer
    versions print it differently, the newer imported first."""
    newer = printing_its_category_as("AVA4322-001v5", NEW_CATEGORY, "2024-06-01")
    older = printing_its_category_as("AVA4322-001v4", OLD_CATEGORY, "2019-03-01")
    return older, newer


def test_every_export_of_a_version_gives_back_the_job_category_it_printed(
    client, two_category_names
):
    for standard, name in zip(two_category_names, [OLD_CATEGORY, NEW_CATEGORY], strict=True):
        standard.refresh_from_db()
        code = standard.category.code
        assert standard_export(standard=standard)["category"] == {"code": code, "name": name}
        (workbook,) = standards_export(standards=Standard.objects.filter(pk=standard.pk))
        [header, row] = rows(workbook_bytes(documents_workbook([workbook])), "基本資料")
        assert dict(zip(header, row, strict=True))["職類別名稱"] == name
        document = case_package(client, standard)["CFDocument"]
        assert document["extensions"]["category"] == {"code": code, "name": name}
        assert document["subject"][0] == name
        page = client.get(reverse("standards:detail", args=[standard.code])).content.decode()
        assert f'{name} <span class="code">{code}</span>' in page


def test_the_catalogue_names_a_job_category_as_its_newest_version_printed_it(
    client, two_category_names
):
    older, _ = two_category_names
    response = client.get(reverse("standards:list"), {"status": "all"})

    facet = response.context["facets"]["category"]
    (choice,) = [c for c in facet if c.value == older.category.code]
    assert choice.label == f"{older.category.code} {NEW_CATEGORY}"
    assert choice.count == 2


@needs_pdf_renderer
def test_the_pdf_prints_the_job_category_its_version_printed(client, two_category_names):
    older, _ = two_category_names
    text = squeezed(pdf_text(client.get(f"/standards/{older.code}/pdf/").content))

    assert squeezed(f"{OLD_CATEGORY}{older.category.code}") in text
    assert NEW_CATEGORY not in text


def test_a_job_category_chosen_by_hand_is_printed_with_its_own_name(two_category_names):
    older, _ = two_category_names
    draft = Standard.objects.get(pk=older.pk)
    Standard.objects.filter(pk=draft.pk).update(publication=Standard.Publication.DRAFT)
    other = JobCategory.objects.create(code="ZZZ9", name="其他職類")
    fields = ["code", "name", "date", "occupation", "industry", "base_level", "description"]
    data = {field: getattr(draft, f"{field}_id", None) or getattr(draft, field) for field in fields}

    unchanged = StandardForm({**data, "category": draft.category_id}, instance=draft)
    assert unchanged.is_valid(), unchanged.errors
    assert unchanged.save().printed_category.name == OLD_CATEGORY

    chosen = StandardForm({**data, "category": other.pk}, instance=draft)
    assert chosen.is_valid(), chosen.errors
    assert chosen.save().printed_category == ("ZZZ9", "其他職類")
