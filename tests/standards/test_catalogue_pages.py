"""The catalogue's browse page over libraries of generated standards: sorting by date
and name, 臺/台 in a search, pages of 25 (the tests of test_catalogue.py share one
library; these build their own)."""

import pytest
from django.urls import reverse

from tests.factories import generated_document, generated_standards, standard_from

pytestmark = pytest.mark.django_db

URL = reverse("standards:list")


def listed_codes(response) -> list[str]:
    return [standard.code for standard in response.context["page"].object_list]


def test_sorting_by_date_and_name_follows_the_database(client):
    standards = generated_standards(6)
    by_date = sorted(standards, key=lambda s: (s.date, s.code))

    assert listed_codes(client.get(URL, {"sort": "date"}))[0] == by_date[0].code
    assert listed_codes(client.get(URL, {"sort": "-date"}))[0] == by_date[-1].code
    assert listed_codes(client.get(URL, {"sort": "-name"}))[0] == "GEN9002-005v1"


def test_search_finds_tai_written_either_way(client):
    standard_from(generated_document(1, task_title="臺北門市營運"))
    standard_from(generated_document(2, task_title="台中門市營運"))

    [standard] = client.get(URL, {"q": "台北"}).context["page"].object_list
    assert standard.code == "GEN9001-001v1"
    assert [task.code for task in standard.matching_tasks] == ["T1.1"]
    assert listed_codes(client.get(URL, {"q": "臺中"})) == ["GEN9002-002v1"]
    assert len(listed_codes(client.get(URL, {"q": "門市營運"}))) == 2


def test_pages_hold_25_standards_and_keep_the_filters_in_their_links(client):
    generated_standards(30)

    first = client.get(URL, {"category": "GEN"})
    second = client.get(URL, {"category": "GEN", "page": "2"})

    assert first.context["page"].paginator.count == 10
    everything = client.get(URL)
    assert len(listed_codes(everything)) == 25
    assert everything.context["page"].paginator.num_pages == 2
    assert len(listed_codes(client.get(URL, {"page": "2"}))) == 5
    assert len(listed_codes(second)) == 10  # an out-of-range page shows the last one
    assert 'href="?page=2" rel="next"' in everything.content.decode()
    sorted_page = client.get(URL, {"sort": "-code", "q": "生成"}).content.decode()
    assert 'href="?sort=-code&amp;q=%E7%94%9F%E6%88%90&amp;page=2" rel="next"' in sorted_page
