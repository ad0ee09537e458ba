"""The filter form of a report sends the page's own settings again, so that changing a
filter keeps the sort."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.reports.conftest import team_once_per_module

pytestmark = pytest.mark.django_db

# Every test here reads the same scenario: built once for the module.
module_team, team, carol, alice, bob, dave, erin, hannah, production, sales = team_once_per_module()


class FilterForm(HTMLParser):
    """What the report filter form sends as it stands: its hidden fields, the selected
    options and the ticked boxes."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.select = ""
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "report-filters" in (attrs.get("class") or ""):
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and (attrs.get("type") != "checkbox" or "checked" in attrs):
            self.values[attrs["name"]] = attrs.get("value") or "on"
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and "selected" in attrs:
            self.values[self.select] = attrs["value"]

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def filter_form(response) -> dict[str, str]:
    reader = FilterForm()
    reader.feed(response.content.decode())
    return reader.values


def test_changing_a_heatmap_filter_keeps_the_sort(client, team, hannah, sales):
    client.force_login(hannah.user)
    url = reverse("reports:heatmap")
    sorted_page = client.get(url, {"sort": "shortfall", "task_sort": "shortfall"})

    sent = filter_form(sorted_page) | {"only_shortfalls": "on"}
    refiltered = client.get(url, sent)

    assert refiltered.context["row_order"] == "shortfall"
    assert refiltered.context["column_order"] == "shortfall"


def test_changing_a_training_needs_filter_keeps_the_ranking_order(client, team, hannah, sales):
    client.force_login(hannah.user)
    url = reverse("reports:training_needs")
    ranked = client.get(url, {"order": "shortfall"})

    refiltered = client.get(url, filter_form(ranked) | {"department": str(sales.pk)})

    assert refiltered.context["order"] == "shortfall"
