"""Standards under several occupations or industries (本基準可能跨屬下列…), and the
classification names each version printed."""

import json

import pytest
from django.urls import reverse

from standards.models import Industry, Standard, StandardIndustry
from standards.parsing import ParseError
from standards.parsing.classifications import CODES_RUN_TOGETHER, STRAY_TEXT
from standards.parsing.document import VersionEntry
from standards.reader import read_document
from standards.services import standard_export, standard_import
from tests.factories import (
    DATA,
    SEVERAL_OCCUPATIONS,
    TWO_OCCUPATIONS,
    several_classifications_text,
)
from tests.standards.samples import expected_data

INDUSTRY_ROW = "\t行業別\t專業、科學及技術服務業 / 其他專業、科學及技術服務業\t行業別代碼\tM7609\t"
SEVERAL = (
    "\t行業別\t本基準可能跨屬下列行業別：1.專業、科學及技術服務業 / 其他專業、科學及技術服務業 "
    "2.運輸及倉儲業 / 倉儲業\t行業別代碼\t{codes}\t"
)
WAREHOUSING = {"code": "H5301", "name": "運輸及倉儲業 / 倉儲業"}
OTHER_SERVICES = {"code": "M7609", "name": "專業、科學及技術服務業 / 其他專業、科學及技術服務業"}


def krm(industry_row: str = INDUSTRY_ROW, code: str = "KRM1324-002v1") -> bytes:
    text = (DATA / "KRM1324-002v1.txt").read_text(encoding="utf-8")
    assert INDUSTRY_ROW in text
    return text.replace(INDUSTRY_ROW, industry_row).replace("KRM1324-002v1", code).encode()


def parsed(data: bytes):
    return read_document(name="KRM1324-002v1.txt", data=data)


def test_a_document_under_several_industries_keeps_them_all_in_order():
    document = parsed(krm(SEVERAL.format(codes="M7609、H5301")))

    assert [vars(c) for c in document.industries] == [OTHER_SERVICES, WAREHOUSING]
    assert vars(document.industry) == OTHER_SERVICES
    assert document.to_dict()["industries"] == [OTHER_SERVICES, WAREHOUSING]


def test_codes_run_together_are_read_with_a_warning():
    document = parsed(krm(SEVERAL.format(codes="M7609H5301")))

    assert [c.code for c in document.industries] == ["M7609", "H5301"]
    assert any(w.template == CODES_RUN_TOGETHER for w in document.warnings)


def test_occupation_codes_run_together_are_read_with_a_warning():
    text = several_classifications_text(
        occupation_row=TWO_OCCUPATIONS.replace("1324、4321", "13244321")
    )

    document = read_document(name="x.txt", data=text)

    assert [vars(c) for c in document.occupations] == [
        {"code": code, "name": name} for code, name in SEVERAL_OCCUPATIONS
    ]
    (warning,) = [w for w in document.warnings if w.template == CODES_RUN_TOGETHER]
    assert warning.params["codes"] == "1324 4321"


def test_stray_text_in_a_code_cell_leaves_the_codes_that_can_be_read_with_a_warning():
    document = parsed(krm("\t行業別\t其他專業服務業\t行業別代碼\tM7609（詳附表）\t"))

    assert [vars(c) for c in document.industries] == [{"code": "M7609", "name": "其他專業服務業"}]
    (warning,) = [w for w in document.warnings if w.template == STRAY_TEXT]
    assert warning.place == "header"


def test_a_document_naming_one_industry_lists_it_alone():
    assert parsed(krm()).to_dict()["industries"] == [OTHER_SERVICES]


def test_json_without_the_lists_still_imports():
    data = expected_data("KRM1324-002v1")
    del data["industries"], data["occupations"]

    document = read_document(name="x.json", data=json.dumps(data).encode())

    assert document.to_dict() == expected_data("KRM1324-002v1")


def test_json_whose_list_does_not_start_with_the_single_entry_is_refused():
    data = expected_data("KRM1324-002v1")
    data["industries"] = [WAREHOUSING, OTHER_SERVICES]

    with pytest.raises(ParseError) as raised:
        read_document(name="x.json", data=json.dumps(data).encode())

    assert "'industries'" in raised.value.message


@pytest.mark.django_db
def test_export_gives_back_every_industry_with_the_names_it_printed():
    standard_import(document=parsed(krm(SEVERAL.format(codes="M7609、H5301"))))

    exported = standard_export(standard=Standard.objects.get())

    assert exported["industries"] == [OTHER_SERVICES, WAREHOUSING]
    assert exported["industry"] == OTHER_SERVICES


@pytest.mark.django_db
def test_each_version_keeps_the_name_it_printed_and_the_catalogue_shows_the_newest():
    older = parsed(krm(code="KRM1324-002v1"))
    newer = parsed(
        krm("\t行業別\t其他專業服務業（修訂）\t行業別代碼\tM7609\t", code="KRM1324-002v2")
    )
    older.versions = [VersionEntry("V1", older.code, older.name, "", "", "2020-01-01")]
    newer.versions = [VersionEntry("V2", newer.code, newer.name, "", "", "2024-01-01")]
    # The newer version first: importing the older one later must not rename the code.
    standard_import(document=newer)
    standard_import(document=older)

    v1 = standard_export(standard=Standard.objects.get(code="KRM1324-002v1"))
    v2 = standard_export(standard=Standard.objects.get(code="KRM1324-002v2"))

    assert v1["industry"]["name"] == OTHER_SERVICES["name"]
    assert v2["industry"]["name"] == "其他專業服務業（修訂）"
    assert Industry.objects.get(code="M7609").name == "其他專業服務業（修訂）"


@pytest.mark.django_db
def test_the_standard_page_shows_every_industry(client):
    standard_import(document=parsed(krm(SEVERAL.format(codes="M7609、H5301"))))

    page = client.get(reverse("standards:detail", args=["KRM1324-002v1"])).content.decode()

    assert "H5301" in page and "M7609" in page


@pytest.mark.django_db
def test_changing_the_industry_in_the_admin_changes_the_first_listed(hannah):
    from standards.versioning import standard_refresh_after_edit

    standard_import(document=parsed(krm(SEVERAL.format(codes="M7609、H5301"))), publish=False)
    standard = Standard.objects.get()
    standard.industry = Industry.objects.get(code="H5301")
    standard.save()

    standard_refresh_after_edit(standard=standard)

    links = StandardIndustry.objects.filter(standard=standard).order_by("order")
    assert [link.industry.code for link in links] == ["H5301"]
