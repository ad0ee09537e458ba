"""A standard under several occupations and industries in the public catalogue: it counts
under each in the facets, any of them finds it, and its page lists them all in order."""

import pytest
from django.urls import reverse

from standards.models import Standard
from standards.search import fold, refresh_search_text
from tests.factories import (
    SEVERAL_INDUSTRIES,
    SEVERAL_OCCUPATIONS,
    sample_standard,
    several_classifications_standard,
)

pytestmark = pytest.mark.django_db

LIST = reverse("standards:list")
API_LIST = reverse("standards-api:list")
# A standard filed under the second occupation and second industry alone.
ONLY_4321 = "\t職業別\t存貨事務人員\t職業別代碼\t4321\t"
ONLY_H5301 = "\t行業別\t運輸及倉儲業 / 倉儲業\t行業別代碼\tH5301\t"


@pytest.fixture
def library(db) -> None:
    """KRM1324-002v1 under 1324 and 4321, M7609 and H5301; KRM4321-001v1 under 4321 and
    H5301 only; AVA4322-001v4 under neither."""
    several_classifications_standard()
    several_classifications_standard(
        "KRM4321-001v1", occupation_row=ONLY_4321, industry_row=ONLY_H5301
    )
    sample_standard("AVA4322-001v4")


def facet(response, name: str) -> dict[str, tuple[str, int]]:
    return {c.value: (c.label, c.count) for c in response.context["facets"][name]}


def listed(client, url: str = LIST, **params) -> list[str]:
    response = client.get(url, params)
    if url == API_LIST:
        return [result["code"] for result in response.json()["results"]]
    return [standard.code for standard in response.context["page"].object_list]


def test_the_facets_count_a_standard_under_each_of_its_occupations_and_industries(client, library):
    response = client.get(LIST)

    occupations = facet(response, "occupation")
    assert occupations["1324"] == ("1324 供給、配送及倉儲經理人員", 1)
    assert occupations["4321"] == ("4321 存貨事務人員", 2)
    industries = facet(response, "industry")
    assert industries["M7609"][1] == 1
    assert industries["H5301"] == ("H5301 運輸及倉儲業 / 倉儲業", 2)
    # Counted once per classification, but listed once.
    assert response.context["page"].paginator.count == 3


def test_every_choice_lists_as_many_standards_as_its_count(client, library):
    response = client.get(LIST)

    for name in ("occupation", "industry"):
        for value, (_label, count) in facet(response, name).items():
            assert len(listed(client, **{name: value})) == count, (name, value)


@pytest.mark.parametrize("url", [LIST, API_LIST])
@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"occupation": "1324"}, ["KRM1324-002v1"]),
        ({"occupation": "4321"}, ["KRM1324-002v1", "KRM4321-001v1"]),
        ({"industry": "H5301"}, ["KRM1324-002v1", "KRM4321-001v1"]),
        ({"industry": "h5301"}, ["KRM1324-002v1", "KRM4321-001v1"]),
        ({"industry": "倉儲業"}, ["KRM1324-002v1", "KRM4321-001v1"]),
        ({"occupation": "存貨事務"}, ["KRM1324-002v1", "KRM4321-001v1"]),
        ({"occupation": "4321", "industry": "M7609"}, ["KRM1324-002v1"]),
        ({"occupation": "1324", "industry": "H5301"}, ["KRM1324-002v1"]),
        ({"occupation": "4322", "industry": "H5301"}, []),
    ],
)
def test_any_of_its_occupations_or_industries_finds_a_standard(client, library, url, params, codes):
    assert listed(client, url, **params) == codes


def test_a_facet_counts_under_the_other_filters_every_classification_of_each_match(client, library):
    response = client.get(LIST, {"occupation": "4321"})

    assert facet(response, "industry") == {
        "H5301": ("H5301 運輸及倉儲業 / 倉儲業", 2),
        "M7609": ("M7609 專業、科學及技術服務業 / 其他專業、科學及技術服務業", 1),
    }
    # Its own facet ignores its choice: what each occupation would show.
    assert {value: count for value, (_, count) in facet(response, "occupation").items()} == {
        "1324": 1,
        "4321": 2,
        "4322": 1,
    }


def test_the_standard_page_lists_every_occupation_and_industry_in_document_order(client, db):
    several_classifications_standard()

    page = client.get(reverse("standards:detail", args=["KRM1324-002v1"])).content.decode()

    names = [name for _code, name in [*SEVERAL_OCCUPATIONS, *SEVERAL_INDUSTRIES]]
    positions = [page.index(f"{name} <span") for name in names]
    assert positions == sorted(positions)
    for code, _name in [*SEVERAL_OCCUPATIONS, *SEVERAL_INDUSTRIES]:
        assert f'<span class="code">{code}</span>' in page


def test_the_catalogue_list_takes_three_queries_with_one_or_many_such_standards(
    client, django_assert_num_queries, db
):
    for count in (1, 6):
        for number in range(count):
            several_classifications_standard(f"KRM{1000 + count * 10 + number}-001v1")
        # The catalogue's version, its index (one query however many classifications
        # each standard has), the page's standards with their classification.
        with django_assert_num_queries(3):
            response = client.get(LIST)
        assert response.context["page"].paginator.count == Standard.objects.count()
        assert facet(response, "occupation")["4321"][1] == Standard.objects.count()


def test_a_keyword_finds_a_standard_by_any_of_its_printed_classification_names(client, library):
    assert listed(client, q="存貨事務人員") == ["KRM1324-002v1", "KRM4321-001v1"]
    assert listed(client, API_LIST, q="運輸及倉儲業") == ["KRM1324-002v1", "KRM4321-001v1"]


def test_the_search_text_refreshed_after_an_edit_is_the_imported_one(db):
    standard = several_classifications_standard()
    imported = standard.search_text

    refresh_search_text(Standard.objects.get(pk=standard.pk))

    assert Standard.objects.get(pk=standard.pk).search_text == imported
    assert fold("存貨事務人員") in imported
