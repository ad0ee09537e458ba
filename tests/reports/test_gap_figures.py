"""平均不足 (average shortfall) is one figure: the mean of max(required − own, 0) over
the rated tasks, the same on every page and download that shows it for a person."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments.scoring import MEASURES
from tests.reports.conftest import team_once_per_module
from tests.reports.test_exports import csv_about, csv_rows

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


def test_the_persons_gap_download_heads_with_the_same_average_shortfall(client, team, carol):
    client.force_login(carol.user)

    about = csv_about(
        client.get(reverse("reports:person", args=[team.alice.pk]), {"format": "csv"})
    )

    assert about["平均不足（自評級別）"] == ALICE_SHORTFALL


def test_every_page_showing_the_measures_defines_them_in_one_line(client, team, alice, carol):
    client.force_login(alice.user)
    pages = [client.get(reverse("assessments:result", args=[team.alice.pk]))]
    client.force_login(carol.user)
    pages += [
        client.get(reverse("reports:person", args=[team.alice.pk])),
        client.get(reverse("reports:heatmap")),
        client.get(reverse("reports:trends")),
        client.get(reverse("reports:training_needs")),
    ]

    definition = f'<p class="measures muted" data-measures>{escape(str(MEASURES))}</p>'
    assert [definition in page.content.decode() for page in pages] == [True] * len(pages)
    # 平均不足 names the average shortfall and nothing else; 落差 stays the signed gap.
    assert "平均落差" not in "".join(page.content.decode() for page in pages)
