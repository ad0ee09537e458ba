"""Forged codes in catalogue and API URLs and odd query strings: 404 or a clean page.

A NUL character in a code made PostgreSQL refuse the query (500 on PostgreSQL only).
"""

import pytest

from tests.conftest import standard_once_per_module
from tests.factories import sample_standard

pytestmark = pytest.mark.django_db

# AVA4322-001v4, published, once for the module: the tests only read it.
module_standard, standard = standard_once_per_module(
    "standard", lambda: sample_standard("AVA4322-001v4")
)

ODD_CODES = ["%00", "AVA4322-001v4%00", "%0A", "AVA4322-001v4%22", "%E2%80%A8", "%C2%85"]


@pytest.mark.parametrize("code", ODD_CODES)
def test_a_code_no_standard_can_have_is_404_on_every_page(client, standard, code):
    for url in [
        f"/standards/{code}/",
        f"/standards/{code}/compare/AVA4322-001v4/",
        f"/standards/AVA4322-001v4/compare/{code}/",
    ]:
        assert client.get(url).status_code == 404, url
    response = client.get(f"/api/standards/{code}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    "query",
    [
        "level=²",
        "base_level=²",
        "base_level=%00",
        "page=٣",
        "page=²",
        "page=" + "9" * 5_000,
        "q=%00",
        "category=%00",
        "occupation=%ED%A0%80",
        "status=²",
        "sort=%00",
        "sort=" + "-x" * 500,
    ],
)
def test_an_odd_query_string_gets_a_clean_page_and_a_clean_api_answer(client, standard, query):
    page = client.get(f"/standards/?{query}")
    api = client.get(f"/api/standards/?{query}")

    assert page.status_code == 200
    assert api.status_code in (200, 400, 404)
    assert api["Content-Type"] == "application/json"
