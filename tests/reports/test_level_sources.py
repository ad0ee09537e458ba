"""The heatmap, training needs and trends score own levels, the manager's, or the
manager's where the review gives one and the own level elsewhere, as the page says."""

import pytest
from django.urls import reverse

from assessments.scoring import LEVEL_HEADINGS, LevelSource
from reports.services import ReviewInput, review_save
from reports.views import STANDARD_NOT_IN_CYCLE
from tests.reports.conftest import make_cycle, make_report_standard, submitted
from tests.reports.test_exports import csv_rows

pytestmark = pytest.mark.django_db

REVIEWED_LABEL = str(LevelSource.REVIEWED.label)


@pytest.fixture
def reviewed(team, carol):
    """carol reviewed alice's current assessment: T1.1 at 1 (own 3), T1.2 not rated
    (own 2), T2.1 at 2 (own 3). bob's is not reviewed."""
    ratings = list(team.alice.ratings.order_by("order"))
    review_save(
        assessment=team.alice,
        reviewer=carol,
        ratings={
            ratings[0].pk: ReviewInput(level=1, comment=""),
            ratings[1].pk: ReviewInput(level=None, comment=""),
            ratings[2].pk: ReviewInput(level=2, comment=""),
        },
        comment="",
    )
    return team


def heatmap_rows(client, levels: str | None) -> dict[str, tuple]:
    params = {"levels": levels} if levels else {}
    result = client.get(reverse("reports:heatmap"), params).context["heatmap"]
    return {
        row.employee_number: (
            [None if cell is None else cell.gap for cell in row.cells],
            row.short_count,
            row.total_shortfall,
            round(row.average_shortfall, 2),
        )
        for row in result.rows
    }


def test_the_heatmap_scores_own_levels_by_default(client, reviewed, carol):
    client.force_login(carol.user)
    # alice: own 3, 2, 3 against 3, 4, 2; bob: own 1, 4, 0.
    assert heatmap_rows(client, None) == {
        "E001": ([0, 2, -1], 1, 2, 0.67),
        "E002": ([2, 0, 2], 2, 4, 1.33),
    }
    assert heatmap_rows(client, None) == heatmap_rows(client, "self")


def test_the_heatmap_with_the_managers_levels_shows_reviewed_people_only(client, reviewed, carol):
    client.force_login(carol.user)
    # No manager gave T1.2 a level: no one is rated on it, so it has no column, and it is
    # left out of alice's averages.
    assert heatmap_rows(client, "manager") == {"E001": ([2, 0], 1, 2, 1.0)}


def test_the_heatmap_with_reviewed_levels_falls_back_to_own_per_task(client, reviewed, carol):
    client.force_login(carol.user)
    assert heatmap_rows(client, "reviewed") == {
        # T1.1 and T2.1 the manager's, T1.2 alice's own.
        "E001": ([2, 2, 0], 2, 4, 1.33),
        # Not reviewed: all own levels.
        "E002": ([2, 0, 2], 2, 4, 1.33),
    }


def test_the_heatmap_columns_follow_the_level_source(client, reviewed, carol):
    client.force_login(carol.user)
    response = client.get(reverse("reports:heatmap"), {"levels": "reviewed"})
    columns = [(c.code, c.people, c.short_count) for c in response.context["heatmap"].columns]
    assert columns == [("T1.1", 2, 2), ("T1.2", 2, 1), ("T2.1", 2, 1)]


def test_the_page_says_which_levels_it_used(client, reviewed, carol):
    client.force_login(carol.user)
    for name in ["heatmap", "training_needs", "trends"]:
        response = client.get(reverse(f"reports:{name}"), {"levels": "reviewed"})
        page = response.content.decode()
        assert 'data-levels="reviewed"' in page
        assert response.context["filter"].form["levels"].value() == "reviewed"


def test_training_needs_with_reviewed_levels(client, reviewed, carol):
    client.force_login(carol.user)
    response = client.get(reverse("reports:training_needs"), {"levels": "reviewed"})
    knowledge = [
        (n.item.code, n.people, n.task_count, n.total_shortfall)
        for n in response.context["knowledge"]
    ]
    skills = [
        (n.item.code, n.people, n.task_count, n.total_shortfall) for n in response.context["skills"]
    ]
    # Short: alice T1.1 by 2 (manager) and T1.2 by 2 (own); bob T1.1 and T2.1 by 2 (own).
    assert knowledge == [("K01", 2, 2, 6), ("K02", 1, 1, 2)]
    assert skills == [("S01", 2, 2, 6)]


def test_training_needs_with_the_managers_levels(client, reviewed, carol):
    client.force_login(carol.user)
    response = client.get(reverse("reports:training_needs"), {"levels": "manager"})
    knowledge = [(n.item.code, n.people, n.total_shortfall) for n in response.context["knowledge"]]
    # Only alice is reviewed, and her manager finds her short on T1.1 alone.
    assert knowledge == [("K01", 1, 2)]


def test_training_need_detail_shows_the_level_scored(client, reviewed, carol):
    client.force_login(carol.user)
    k01 = reviewed.standard.knowledge_items.get(code="K01")
    url = reverse("reports:training_need", args=["knowledge", k01.pk])
    response = client.get(url, {"levels": "reviewed"})
    rows = sorted(
        (r.assessment.employee.employee_number, r.task_code, r.level, r.gap)
        for r in response.context["ratings"]
    )
    assert rows == [("E001", "T1.1", 1, 2), ("E001", "T1.2", 2, 2), ("E002", "T1.1", 1, 2)]


def test_trends_with_reviewed_levels(client, reviewed, carol, alice):
    client.force_login(carol.user)
    params = {"employee": alice.pk, "levels": "reviewed"}
    result = client.get(reverse("reports:trends"), params).context["trend"]
    # 2025 not reviewed: own levels; 2026 the review where it gives a level.
    assert [round(c.average_shortfall, 2) for c in result.cycles] == [2.0, 1.33]
    assert [round(c.average_own, 2) for c in result.cycles] == [1.0, 1.67]


@pytest.mark.parametrize(
    ("name", "format_column"),
    [("heatmap", 3), ("training_needs", 5), ("trends", 2)],
)
def test_downloads_name_the_levels_in_their_headers(client, reviewed, carol, name, format_column):
    client.force_login(carol.user)
    url = reverse(f"reports:{name}")
    header = csv_rows(client.get(url, {"levels": "reviewed", "format": "csv"}))[0]
    assert header[format_column].endswith(f"({REVIEWED_LABEL})")
    own = csv_rows(client.get(url, {"format": "csv"}))[0]
    assert own[format_column].endswith(f"({LevelSource.SELF.label})")


def test_training_need_download_names_the_level_column(client, reviewed, carol):
    client.force_login(carol.user)
    k01 = reviewed.standard.knowledge_items.get(code="K01")
    url = reverse("reports:training_need", args=["knowledge", k01.pk])
    rows = csv_rows(client.get(url, {"levels": "manager", "format": "csv"}))
    assert rows[0][7] == str(LEVEL_HEADINGS[LevelSource.MANAGER])
    assert rows[0][8].endswith(f"({LevelSource.MANAGER.label})")
    assert [row[7:] for row in rows[1:]] == [["1", "2"]]


# -- The standard versions a cycle offers ---------------------------------------------


def test_the_standard_choices_are_those_of_the_chosen_cycle(client, team, carol, alice):
    other = make_report_standard("OTH0001-001v1")
    submitted(alice, other, team.earlier_cycle, [1, 1, 1])
    client.force_login(carol.user)

    def choices(cycle) -> list[str]:
        response = client.get(reverse("reports:heatmap"), {"cycle": cycle.pk})
        field = response.context["filter"].form.fields["standard"]
        return [label for value, label in field.choices if value]

    assert choices(team.cycle) == ["RPT0001-001v1 報表測試職能基準"]
    assert choices(team.earlier_cycle) == [
        "OTH0001-001v1 報表測試職能基準",
        "RPT0001-001v1 報表測試職能基準",
    ]


def test_a_standard_of_another_cycle_gives_the_cycles_first_with_a_message(
    client, team, carol, alice
):
    other = make_report_standard("OTH0001-001v1")
    submitted(alice, other, team.earlier_cycle, [1, 1, 1])
    client.force_login(carol.user)

    response = client.get(
        reverse("reports:heatmap"), {"cycle": team.cycle.pk, "standard": other.pk}
    )

    assert response.status_code == 200
    assert response.context["filter"].form.cleaned_data["standard"] == team.standard
    assert [str(m) for m in response.context["messages"]] == [str(STANDARD_NOT_IN_CYCLE)]


def test_a_standard_out_of_scope_is_still_404(client, team, carol, erin):
    other = make_report_standard("OTH0001-001v1")
    submitted(erin, other, make_cycle("2024 業務部自評", 2024), [1, 1, 1])
    client.force_login(carol.user)

    response = client.get(
        reverse("reports:heatmap"), {"cycle": team.cycle.pk, "standard": other.pk}
    )

    assert response.status_code == 404
