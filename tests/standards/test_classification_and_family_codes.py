"""Classification codes follow the code rules on every path; a new standard row imported
from a spreadsheet takes its family and version from its code."""

import json

import pytest
from django.urls import reverse

from standards.codes import code_error
from standards.models import JobCategory, Standard
from standards.parsing import ParseError
from standards.reader import read_document
from standards.resources import StandardResource
from standards.services import standard_export
from tests.factories import sample_standard

pytestmark = pytest.mark.django_db

BAD = 'K/R"M'


@pytest.fixture
def draft(db) -> Standard:
    return sample_standard("KRM1324-002v1", publish=False)


def standard_rows(standard: Standard, **changes: str):
    dataset = StandardResource().export(Standard.objects.filter(pk=standard.pk))
    row = dataset.dict[0]
    dataset[0] = tuple(changes.get(header, row[header]) for header in dataset.headers)
    return dataset


def test_a_document_whose_category_code_breaks_the_code_rules_is_refused(draft):
    data = standard_export(standard=draft)
    data["code"] = "ZZZ9995-001v1"
    data["category"]["code"] = BAD

    with pytest.raises(ParseError) as refused:
        read_document(name="x.json", data=json.dumps(data, ensure_ascii=False).encode())

    assert code_error(BAD) in refused.value.message
    assert not JobCategory.objects.filter(code=BAD).exists()


def test_a_spreadsheet_row_naming_a_new_category_with_a_bad_code_is_refused(draft):
    result = StandardResource().import_data(standard_rows(draft, category_code=BAD), dry_run=False)

    assert result.invalid_rows[0].field_specific_errors["category_code"] == [code_error(BAD)]
    assert not JobCategory.objects.filter(code=BAD).exists()


def test_hr_cannot_add_a_category_with_a_bad_code_in_the_admin(client, hannah):
    client.force_login(hannah.user)

    response = client.post(
        reverse("admin:standards_jobcategory_add"), {"code": BAD, "name": "測試"}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["code"] == [code_error(BAD)]
    assert not JobCategory.objects.filter(code=BAD).exists()


def test_a_new_standard_row_imported_from_a_spreadsheet_takes_family_and_version_from_its_code(
    draft,
):
    result = StandardResource().import_data(
        standard_rows(draft, code="ZZZ1111-001v3", id=""), dry_run=False
    )

    assert not result.has_errors() and not result.has_validation_errors()
    created = Standard.objects.get(code="ZZZ1111-001v3")
    assert (created.family_code, created.version_number) == ("ZZZ1111-001", 3)
