"""Odd digits, words and huge numbers in a report's filters answer 404, never a server
error or another row; a draft standard's knowledge and skill items are not found."""

import pytest
from django.urls import reverse

from tests.reports.conftest import (
    make_cycle,
    make_report_standard,
    submitted,
    team_once_per_module,
)

pytestmark = pytest.mark.django_db

# Every test here reads the same scenario: built once for the module.
module_team, team, carol, alice, bob, dave, erin, hannah, production, sales = team_once_per_module()

HUGE = "9" * 30
# Superscript two and Arabic-Indic three: str.isdigit() and int() accept both.
ODD_IDS = ["²", "٣", "abc", HUGE, "-1"]
# The id filters of each report page.
FILTERS = {
    "dashboard": ["cycle", "department"],
    "heatmap": ["cycle", "standard", "department"],
    "training_needs": ["cycle", "standard", "department"],
    "training_need": ["cycle", "standard", "department"],
    "trends": ["family", "department", "employee"],
}
# The pages that score levels, and level sources that are not one.
LEVEL_PAGES = ["heatmap", "training_needs", "training_need", "trends"]
FORGED_LEVELS = ["boss", "SELF", "self ", "0", "reviewed\x00"]
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def page_url(name: str, team) -> str:
    if name == "training_need":
        k01 = team.standard.knowledge_items.get(code="K01")
        return reverse("reports:training_need", args=["knowledge", k01.pk])
    return reverse(f"reports:{name}")


@pytest.mark.parametrize("value", ODD_IDS)
@pytest.mark.parametrize(
    ("name", "field"), [(name, field) for name, fields in FILTERS.items() for field in fields]
)
def test_an_odd_id_in_a_filter_is_404(client, team, hannah, name, field, value):
    client.force_login(hannah.user)

    response = client.get(page_url(name, team), {field: value})

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["dashboard", "heatmap", "training_needs", "training_need"])
def test_a_cycle_id_in_another_scripts_digits_is_not_that_cycle(client, team, hannah, name):
    client.force_login(hannah.user)
    in_arabic_indic = str(team.cycle.pk).translate(ARABIC_INDIC)

    response = client.get(page_url(name, team), {"cycle": in_arabic_indic})

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["carol", "hannah"])
@pytest.mark.parametrize(("kind", "code"), [("knowledge", "K01"), ("skill", "S01")])
def test_a_draft_standards_items_are_not_found(client, team, request, persona, kind, code):
    draft = make_report_standard("RPT0001-001v2", publish=False)
    items = getattr(draft, f"{kind}_items")
    client.force_login(request.getfixturevalue(persona).user)

    url = reverse("reports:training_need", args=[kind, items.get(code=code).pk])

    assert client.get(url).status_code == 404
    assert client.get(url, {"format": "csv"}).status_code == 404


@pytest.mark.parametrize("value", FORGED_LEVELS)
@pytest.mark.parametrize("name", LEVEL_PAGES)
def test_a_forged_level_source_is_404(client, team, hannah, name, value):
    client.force_login(hannah.user)

    response = client.get(page_url(name, team), {"levels": value})

    assert response.status_code == 404
    assert client.get(page_url(name, team), {"levels": value, "format": "csv"}).status_code == 404


def test_a_standard_no_one_in_scope_has_is_404_on_the_trends(client, team, carol, erin):
    # A standard only erin (dave's team) was given.
    other = make_report_standard("OTH0001-001v1")
    submitted(erin, other, make_cycle("2024 業務部自評", 2024), [1, 1, 1])
    client.force_login(carol.user)

    assert client.get(reverse("reports:trends"), {"family": "OTH0001-001"}).status_code == 404
    assert client.get(reverse("reports:trends"), {"family": "RPT0001-001"}).status_code == 200
