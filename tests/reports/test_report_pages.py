"""What makes a report fit to file: task names on the heatmap, each person's completion
and a chart of the stages on the dashboard."""

import pytest
from django.urls import reverse

from assessments.models import Assessment
from assessments.services import RatingInput, assessment_save
from reports.charts import STAGE_BAR_WIDTH, stage_chart
from tests.reports.test_exports import csv_rows, page_rows

pytestmark = pytest.mark.django_db


def test_the_heatmap_heads_each_column_with_the_task_name_and_level(client, team, carol):
    client.force_login(carol.user)
    response = client.get(reverse("reports:heatmap"))
    page = response.content.decode()
    for code in ["T1.1", "T1.2", "T2.1"]:
        assert f'<span class="task-name">任務{code[1:]}</span>' in page
    header = page_rows(response, "heatmap", "thead")[0]
    assert header[1].startswith("T1.1 任務1.1")
    assert header[1].endswith(" 3")


def test_the_dashboard_shows_each_persons_completion(client, unfinished, carol):
    gina = Assessment.objects.get(employee__employee_number="E011")
    first = gina.ratings.order_by("order").first()
    assessment_save(
        assessment=gina,
        version=gina.version,
        ratings={first.pk: RatingInput(self_level=2)},
        submit=False,
        today=gina.cycle.opens_on,
    )
    client.force_login(carol.user)

    page = client.get(reverse("reports:dashboard")).content.decode()

    rows = {
        row[0]: row[8] for row in page_rows(client.get(reverse("reports:dashboard")), "team-table")
    }
    # frank has not started, gina rated one task of three, alice and bob all.
    assert rows == {"E010": "0%", "E011": "33%", "E001": "100%", "E002": "100%"}
    assert 'data-completion="33"' in page


def test_the_dashboard_download_holds_the_completion(client, unfinished, carol):
    client.force_login(carol.user)
    rows = csv_rows(client.get(reverse("reports:dashboard"), {"format": "csv"}))
    assert {row[0]: row[-1] for row in rows[1:]} == {
        "E010": "0",
        "E011": "0",
        "E001": "100",
        "E002": "100",
    }


def test_the_dashboard_draws_the_stages_in_proportion(client, unfinished, carol):
    client.force_login(carol.user)
    response = client.get(reverse("reports:dashboard"))
    chart = response.context["stage_chart"]
    assert [(s.stage, s.count, s.width) for s in chart.segments] == [
        ("submitted", 2, STAGE_BAR_WIDTH / 2),
        ("draft", 1, STAGE_BAR_WIDTH / 4),
        ("pending", 1, STAGE_BAR_WIDTH / 4),
    ]
    assert 'class="stage-chart"' in response.content.decode()


def test_a_stage_no_one_is_at_has_no_segment_and_no_one_no_bar():
    chart = stage_chart({"pending": 0, "draft": 0, "submitted": 3, "total": 3})
    assert [(s.stage, s.x, s.width) for s in chart.segments] == [
        ("submitted", 0.0, STAGE_BAR_WIDTH)
    ]
    assert stage_chart({"pending": 0, "draft": 0, "submitted": 0, "total": 0}).segments == ()
