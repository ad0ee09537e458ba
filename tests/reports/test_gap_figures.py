"""平均落差 (average shortfall) is one figure: the mean of max(required − own, 0) over
the rated tasks, the same on every page and download that shows it for a person."""

import re

import pytest
from django.urls import reverse

from tests.reports.conftest import team_once_per_module
from tests.reports.test_exports import csv_rows

pytestmark = pytest.mark.django_db

# Every test here reads the same scenario: built once for the module.
module_team, team, carol, alice, bob, dave, erin, hannah, production, sales = team_once_per_module()

# alice's gaps are 0, +2 and −1: her shortfalls 0, 2 and 0 average 0.67. Her level
# above T2.1's must not cancel the shortfall on T1.2 (the net gap would be 0.33).
ALICE_SHORTFALL = "0.67"


def figure(html: str, pattern: str) -> str:
    return re.search(pattern, html, re.S).group(1)


def test_the_result_person_report_heatmap_and_trends_show_the_same_average_shortfall(
    client, team, alice, carol
):
    client.force_login(alice.user)
    result = client.get(reverse("assessments:result", args=[team.alice.pk])).content.decode()
    client.force_login(carol.user)
    person = client.get(reverse("reports:person", args=[team.alice.pk])).content.decode()
    heatmap = client.get(reverse("reports:heatmap")).content.decode()
    trends = client.get(reverse("reports:trends"), {"employee": alice.pk})

    shown = {
        "result": figure(result, r'<dd data-figure="shortfall">([^<]*)</dd>'),
        "person": figure(person, r'<dd data-figure="shortfall">([^<]*)</dd>'),
        "heatmap": figure(heatmap, r'data-person="E001">.*?data-summary="mean">([^<]*)<'),
        "trends": figure(
            trends.content.decode(),
            rf'data-cycle="{team.cycle.pk}">.*?data-figure="shortfall">([^<]*)<',
        ),
    }

    assert shown == dict.fromkeys(shown, ALICE_SHORTFALL)


def test_the_heatmap_and_trend_downloads_hold_the_same_average_shortfall(
    client, team, alice, carol
):
    client.force_login(carol.user)
    heatmap = csv_rows(client.get(reverse("reports:heatmap"), {"format": "csv"}))
    trends = csv_rows(
        client.get(reverse("reports:trends"), {"employee": alice.pk, "format": "csv"})
    )

    alice_row = next(row for row in heatmap if row[0] == "E001")
    overall = trends[1]
    assert f"{float(alice_row[-1]):.2f}" == ALICE_SHORTFALL
    # The newest cycle's column, before the column of changes between versions.
    assert f"{float(overall[-2]):.2f}" == ALICE_SHORTFALL
