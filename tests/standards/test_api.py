"""The read-only JSON API: /api/standards/ and /api/standards/<code>/."""

import pytest
from django.urls import reverse

from standards.models import Standard
from standards.services import standard_export
from tests.factories import SAMPLES, generated_standards, sample_standard

pytestmark = pytest.mark.django_db

LIST = reverse("standards-api:list")


def detail(code: str) -> str:
    return reverse("standards-api:detail", args=[code])


def test_the_api_lives_outside_the_language_prefix():
    assert LIST == "/api/standards/"
    assert detail("AVA4322-001v4") == "/api/standards/AVA4322-001v4/"


def test_the_detail_is_exactly_the_interchange_form(client, standard):
    response = client.get(detail("AVA4322-001v4"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == standard_export(standard=standard)
    assert "工藝產業生產管理".encode() in response.content  # UTF-8, not \\u escapes


def test_a_draft_or_unknown_code_is_404_in_json(client, db):
    sample_standard("BHR1212-001v2", publish=False)

    for code in ("BHR1212-001v2", "NOPE0000-000v1"):
        response = client.get(detail(code))
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


def test_the_list_is_paginated_with_links_to_the_next_and_previous_pages(client):
    generated_standards(30)

    first = client.get(LIST, {"category": "測試職類"}).json()
    second = client.get(first["next"]).json()

    assert first["count"] == 30
    assert len(first["results"]) == 25
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/api/standards/?")
    assert "category=" in first["next"] and "page=2" in first["next"]
    assert len(second["results"]) == 5
    assert second["next"] is None
    assert second["previous"] is not None
    codes = [s["code"] for s in first["results"] + second["results"]]
    assert codes == sorted(Standard.objects.values_list("code", flat=True))


def test_the_list_takes_the_browse_page_filters(client, db):
    for code in SAMPLES:
        sample_standard(code)

    def codes(**params):
        return [s["code"] for s in client.get(LIST, params).json()["results"]]

    assert codes(category="BGM") == ["BGM1219-002v2"]
    assert codes(occupation="經理人員", base_level="4") == ["BGM1219-002v2", "BHR1212-001v2"]
    assert codes(q="ＡＶＡ４３２２") == ["AVA4322-001v4"]
    assert codes(sort="-code") == sorted(SAMPLES, reverse=True)
    assert codes(status="historical") == []


def test_a_list_entry_summarises_the_standard_and_names_matched_tasks(client, standard):
    [entry] = client.get(LIST, {"q": "物料需求規劃"}).json()["results"]

    assert entry["code"] == "AVA4322-001v4"
    assert entry["category"] == {"code": "AVA", "name": standard.category.name}
    assert entry["base_level"] == standard.base_level
    assert entry["status"] == "latest"
    assert entry["date"] == "2023-07-24"
    assert entry["url"] == "http://testserver/api/standards/AVA4322-001v4/"
    assert [task["code"] for task in entry["matching_tasks"]] == ["T2.1", "T2.2"]
    assert "matching_tasks" not in client.get(LIST).json()["results"][0]


def test_a_bad_filter_or_page_is_an_error_not_a_guess(client, standard):
    bad_level = client.get(LIST, {"base_level": "9"})
    bad_page = client.get(LIST, {"page": "7"})

    assert bad_level.status_code == 400
    assert "base_level" in bad_level.json()["errors"]
    assert bad_page.status_code == 404


def test_the_api_is_read_only(client, standard):
    assert client.post(LIST).status_code == 405
    assert client.delete(detail("AVA4322-001v4")).status_code == 405
