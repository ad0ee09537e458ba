"""The public catalogue's browse page, /standards/: filters, search, counts, pages."""

import re
from collections.abc import Iterator

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import built_for_module
from tests.factories import (
    SAMPLES,
    generated_document,
    sample_library,
    sample_variant,
    standard_from,
)
from tests.standards.samples import expected_data

pytestmark = pytest.mark.django_db

URL = reverse("standards:list")


def listed_codes(response) -> list[str]:
    return [standard.code for standard in response.context["page"].object_list]


def facet(response, name: str) -> dict[str, tuple[int, bool]]:
    return {
        choice.value: (choice.count, choice.selected) for choice in response.context["facets"][name]
    }


def build_library() -> None:
    """The four samples, published, plus one draft and an older version of AVA4322-001."""
    sample_library()
    sample_variant("AVA4322-001v3")
    draft = generated_document(1)
    draft.name = "草稿職能基準"
    standard_from(draft, publish=False)


@pytest.fixture(scope="module")
def library(django_db_setup, django_db_blocker) -> Iterator[None]:
    """`build_library()`, once for this module: its tests only read the library (tests
    that need a library of their own are in test_catalogue_pages.py)."""
    with built_for_module(django_db_blocker, build_library):
        yield


def test_anyone_sees_the_latest_published_versions_in_code_order(client, library):
    response = client.get(URL)

    assert response.status_code == 200
    assert listed_codes(response) == sorted(SAMPLES)
    assert "AVA4322-001v3" not in listed_codes(response)
    assert "草稿職能基準" not in response.content.decode()


def test_status_filter_shows_historical_versions(client, library):
    historical = client.get(URL, {"status": "historical"})
    every = client.get(URL, {"status": "all"})

    assert listed_codes(historical) == ["AVA4322-001v3"]
    assert listed_codes(every) == sorted([*SAMPLES, "AVA4322-001v3"])


FILTER_CASES = [
    ({"category": "BHR"}, ["BHR1212-001v2"]),
    ({"category": "bhr"}, ["BHR1212-001v2"]),
    ({"category": "人力資源管理"}, ["BHR1212-001v2"]),
    ({"category": "企業經營管理"}, ["BGM1219-002v2", "BHR1212-001v2"]),
    ({"occupation": "4322"}, ["AVA4322-001v4"]),
    ({"occupation": "經理人員"}, ["BGM1219-002v2", "BHR1212-001v2", "KRM1324-002v1"]),
    ({"industry": "M7010"}, ["BGM1219-002v2"]),
    ({"industry": "專業、科學及技術服務業"}, ["BGM1219-002v2", "KRM1324-002v1"]),
    ({"base_level": "3"}, ["AVA4322-001v4", "KRM1324-002v1"]),
    ({"base_level": "4", "industry": "P8579"}, ["BHR1212-001v2"]),
]


def test_filters_select_by_code_or_name(client, library):
    # One library for every case: importing the samples is the slow part.
    for params, expected in FILTER_CASES:
        assert listed_codes(client.get(URL, params)) == expected, params


SORT_CASES = [
    ("code", sorted(SAMPLES)),
    ("-code", sorted(SAMPLES, reverse=True)),
    ("-base_level", ["BGM1219-002v2", "BHR1212-001v2", "AVA4322-001v4", "KRM1324-002v1"]),
]


def test_the_list_sorts_by_the_chosen_column(client, library):
    for sort, expected in SORT_CASES:
        assert listed_codes(client.get(URL, {"sort": sort})) == expected, sort


def test_keyword_search_names_the_tasks_it_matched(client, library):
    response = client.get(URL, {"q": "物料需求規劃"})

    assert listed_codes(response) == ["AVA4322-001v4"]
    [standard] = response.context["page"].object_list
    data = expected_data("AVA4322-001v4")
    needing = {
        task["code"]
        for duty in data["duties"]
        for task in duty["tasks"]
        if "K511" in task["knowledge"]
    }
    assert {task.code for task in standard.matching_tasks} == needing
    assert f'href="/standards/AVA4322-001v4/#task-{sorted(needing)[0]}"' in (
        response.content.decode()
    )


SEARCH_CASES = [
    "AVA4322",  # code
    "ａｖａ４３２２",  # full-width letters and digits
    "工藝產業生產管理",  # name
    "生產排程",  # task title
    "顧客需求報價單",  # work output
    "轉換為產品開發參考",  # behaviour indicator
    "美學涵養",  # knowledge item name
    "創作及藝術表演業",  # classification name
    "工藝 排程",  # two words, in different places
]


def test_keyword_search_reaches_every_part_of_a_document(client, library):
    for query in SEARCH_CASES:
        assert listed_codes(client.get(URL, {"q": query})) == ["AVA4322-001v4"], query


def test_a_hit_outside_the_tasks_names_no_task(client, library):
    response = client.get(URL, {"q": "藝文與影音傳播"})

    [standard] = response.context["page"].object_list
    assert standard.matching_tasks == []


def test_counts_next_to_each_choice_follow_the_other_filters(client, library):
    response = client.get(URL, {"base_level": "4"})

    categories = facet(response, "category")
    assert categories == {"BGM": (1, False), "BHR": (1, False)}
    levels = facet(response, "base_level")
    # The level facet ignores its own choice: it counts what each level would show.
    assert levels["3"] == (2, False)
    assert levels["4"] == (2, True)
    assert levels["1"] == (0, False)
    statuses = facet(response, "status")
    assert statuses == {"latest": (2, True), "historical": (0, False), "all": (2, False)}
    for value, (count, _) in categories.items():
        shown = client.get(URL, {"base_level": "4", "category": value})
        assert shown.context["page"].paginator.count == count


def test_status_counts_include_historical_versions(client, library):
    response = client.get(URL, {"category": "AVA"})

    assert facet(response, "status") == {
        "latest": (1, True),
        "historical": (1, False),
        "all": (2, False),
    }


def test_a_chosen_value_without_matches_stays_selected(client, library):
    response = client.get(URL, {"category": "NOPE"})

    assert listed_codes(response) == []
    assert facet(response, "category")["NOPE"] == (0, True)


def test_an_empty_result_suggests_what_to_change(client, library):
    response = client.get(URL, {"q": "不存在的字詞", "category": "AVA"})

    content = response.content.decode()
    assert response.context["page"].paginator.count == 0
    assert 'class="empty-state"' in content
    assert 'href="?category=AVA"' in content  # the same filters without the keyword
    assert "status=all" in content
    assert f'href="{URL}"' in content


def test_an_invalid_filter_value_is_reported_not_fatal(client, library):
    response = client.get(URL, {"base_level": "9"})

    assert response.status_code == 200
    assert response.context["filters"].errors
    assert len(listed_codes(response)) == len(SAMPLES)


def test_the_filter_state_is_in_the_url_of_the_sort_links(client, library):
    content = client.get(URL, {"category": "AVA", "q": "生產"}).content.decode()

    assert 'href="?category=AVA&amp;q=%E7%94%9F%E7%94%A2&amp;sort=name"' in content


def test_pages_are_in_chinese_by_default_and_in_english_under_en(client, library):
    chinese = client.get(URL).content.decode()
    english = client.get("/en/standards/").content.decode()

    assert '<html lang="zh-Hant-TW">' in chinese
    assert "<h1>職能基準</h1>" in chinese
    assert '<html lang="en">' in english
    assert "<h1>Competency standards</h1>" in english


@pytest.mark.parametrize(
    ("page", "language", "target"),
    [
        ("/standards/AVA4322-001v4/?x=1", "en", "/en/standards/AVA4322-001v4/?x=1"),
        ("/en/standards/AVA4322-001v4/", "zh-hant", "/standards/AVA4322-001v4/"),
    ],
)
def test_the_language_switch_returns_to_the_same_page(client, library, page, language, target):
    content = client.get(page).content.decode()
    form = re.search(r'<form action="/i18n/setlang/".*?</form>', content, re.S).group(0)
    next_path = re.search(r'name="next" value="([^"]+)"', form).group(1)

    response = client.post("/i18n/setlang/", {"language": language, "next": next_path})

    assert f'value="{language}"' in form
    assert response.status_code == 302
    assert response["Location"] == target


def test_every_catalogue_string_has_a_chinese_translation():
    catalogue = polib.pofile(str(settings.BASE_DIR / "locale/zh_Hant/LC_MESSAGES/django.po"))
    sources = ("templates/standards/", "templates/base.html", "standards/filters.py")

    untranslated = [
        entry.msgid
        for entry in catalogue
        if any(path.startswith(sources) for path, _ in entry.occurrences)
        and (not entry.translated() or entry.fuzzy)
    ]

    assert untranslated == []
