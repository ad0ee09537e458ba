"""Every catalogue page and API answer makes as many queries for 200 standards as for 4."""

import pytest
from django.urls import reverse

from tests.factories import generated_standards

pytestmark = pytest.mark.django_db

LIST = reverse("standards:list")
# Expected queries, page by page, for an anonymous visitor (a logged-in one adds the
# session and the user), the first time a page is asked for under this catalogue version.
PAGES = [
    # The catalogue's version, its index (the listing fields of every published
    # standard: facets, count and order come from it), the page's standards with their
    # classification.
    ("list", LIST, {}, 3),
    # The version, the keys of the standards the keyword matched (the index is cached by
    # now), the page's standards, the page's tasks the keyword matched.
    ("search", LIST, {"q": "生成任務 能夠", "sort": "-date"}, 4),
    # The version; the standard with its classification, version records, occupation
    # links, industry links, duties, tasks, outputs, indicators, task knowledge links,
    # task skill links, knowledge items, skill items, attitudes, notes (14), then the
    # published versions of its family.
    ("detail", reverse("standards:detail", args=["GEN9000-000v1"]), {}, 16),
    # Both standards, then each exported (14 queries each).
    (
        "compare",
        reverse("standards:compare", args=["GEN9000-000v1", "GEN9001-001v1"]),
        {},
        2 + 2 * 14,
    ),
    # The page count, the page's standards with their classification.
    ("api list", reverse("standards-api:list"), {"sort": "name"}, 2),
    # The same, after the keys of the matching standards, and the page's matching tasks.
    ("api search", reverse("standards-api:list"), {"q": "生成"}, 4),
    # The standard, then its export (14 queries).
    ("api detail", reverse("standards-api:detail", args=["GEN9000-000v1"]), {}, 15),
]


def main(response) -> str:
    """The page's content (the rest holds a CSRF token masked afresh for every page)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


# Pages whose content is cached: asked again, only the catalogue's version is read.
CACHED = ["list", "search", "detail"]


def test_every_page_makes_the_same_queries_for_4_and_200_standards(
    client, django_assert_num_queries
):
    generated_standards(4)
    small = {}
    for name, url, params, queries in PAGES:
        with django_assert_num_queries(queries):
            small[name] = client.get(url, params)
    for name, url, params, _queries in PAGES:
        if name in CACHED:
            with django_assert_num_queries(1):
                again = client.get(url, params)
            assert main(again) == main(small[name])
    generated_standards(196, start=4)  # published: the cached pages are retired
    large = {}
    for name, url, params, queries in PAGES:
        with django_assert_num_queries(queries):
            large[name] = client.get(url, params)

    assert all(response.status_code == 200 for response in [*small.values(), *large.values()])
    assert small["list"].context["page"].paginator.count == 4
    assert large["list"].context["page"].paginator.count == 200
    assert len(large["list"].context["page"].object_list) == 25
    assert large["search"].context["page"].paginator.count == 200
    assert all(s.matching_tasks for s in large["search"].context["page"].object_list)
    assert large["api list"].json()["count"] == 200
    assert len(large["api search"].json()["results"]) == 25


def test_a_logged_in_visitor_adds_only_the_session_and_the_user(
    client, django_assert_num_queries, alice
):
    generated_standards(30)
    client.force_login(alice.user)
    # Cold: session, user, version, index, page.
    with django_assert_num_queries(5):
        client.get(LIST)
    # A first-time keyword search: session, user, version, keys, page, matching tasks.
    with django_assert_num_queries(6):
        client.get(LIST, {"q": "生成 任務"})
    # Asked again (by anyone): session, user, version.
    with django_assert_num_queries(3):
        client.get(LIST, {"q": "生成 任務"})
    with django_assert_num_queries(3):
        client.get(LIST)
