"""Every catalogue page and API answer makes as many queries for 200 standards as for 4."""

import pytest
from django.urls import reverse

from tests.factories import generated_standards

pytestmark = pytest.mark.django_db

LIST = reverse("standards:list")
# Expected queries, page by page, for an anonymous visitor.
PAGES = [
    # 5 facet counts (category, occupation, industry, base level, status), the page
    # count, the page's standards with their classification.
    ("list", LIST, {}, 7),
    # The same, after the keys of the standards the keyword matched, and the page's
    # tasks it matched.
    ("search", LIST, {"q": "生成任務 能夠", "sort": "-date"}, 9),
    # The standard with its classification, version records, occupation links,
    # industry links, duties, tasks, outputs, indicators, task knowledge links, task
    # skill links, knowledge items, skill items, attitudes, notes (14), then the
    # published versions of its family.
    ("detail", reverse("standards:detail", args=["GEN9000-000v1"]), {}, 15),
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


def test_every_page_makes_the_same_queries_for_4_and_200_standards(
    client, django_assert_num_queries
):
    generated_standards(4)
    small = {}
    for name, url, params, queries in PAGES:
        with django_assert_num_queries(queries):
            small[name] = client.get(url, params)
    generated_standards(196, start=4)
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
