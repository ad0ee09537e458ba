"""The manager review: own levels beside the employee's, never averaged, shared on request."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import ManagerRating, ManagerReview
from reports.services import NOT_SUBMITTED, ReviewInput, review_save
from tests.reports.conftest import submitted, team_once_per_module

pytestmark = pytest.mark.django_db

# Every test here reads the same scenario: built once for the module.
module_team, team, carol, alice, bob, dave, erin, hannah, production, sales = team_once_per_module()


def review_data(assessment, levels, *, notes=None, comment="", action="save") -> dict:
    data = {"comment": comment, action: "1"}
    for index, rating in enumerate(assessment.ratings.order_by("order")):
        level = levels[index]
        data[f"level_{rating.pk}"] = "" if level is None else str(level)
        data[f"note_{rating.pk}"] = (notes or {}).get(index, "")
    return data


def test_manager_records_a_level_per_task_and_a_comment(client, team, carol):
    client.force_login(carol.user)
    url = reverse("reports:person", args=[team.alice.pk])

    response = client.post(
        url, review_data(team.alice, [2, 2, None], notes={0: "尚需督導"}, comment="整體良好")
    )

    assert response.status_code == 302
    review = ManagerReview.objects.get(assessment=team.alice)
    assert (review.reviewer, review.comment, review.shared_at) == (carol, "整體良好", None)
    levels = {r.rating.task_code: (r.level, r.comment) for r in review.ratings.all()}
    assert levels == {"T1.1": (2, "尚需督導"), "T1.2": (2, ""), "T2.1": (None, "")}
    # The employee's own levels are untouched.
    assert [r.self_level for r in team.alice.ratings.order_by("order")] == [3, 2, 3]
    # The form shows what was saved.
    form = client.get(url).context["form"]
    assert form["comment"].value() == "整體良好"
    assert [form[f"level_{r.pk}"].value() for r in team.alice.ratings.order_by("order")] == [
        "2",
        "2",
        "",
    ]


def test_saving_again_updates_the_same_review(client, team, carol):
    client.force_login(carol.user)
    url = reverse("reports:person", args=[team.alice.pk])
    client.post(url, review_data(team.alice, [2, 2, 2]))
    client.post(url, review_data(team.alice, [3, 3, 3]))
    assert ManagerReview.objects.count() == 1
    assert sorted(ManagerRating.objects.values_list("level", flat=True)) == [3, 3, 3]


def test_self_and_manager_levels_side_by_side_with_differences_highlighted(client, team, carol):
    client.force_login(carol.user)
    url = reverse("reports:person", args=[team.alice.pk])
    client.post(url, review_data(team.alice, [1, 2, None]))

    response = client.get(url)

    rows = {
        r["rating"].task_code: (r["rating"].self_level, r["manager_level"], r["differs"])
        for r in response.context["rows"]
    }
    assert rows == {"T1.1": (3, 1, True), "T1.2": (2, 2, False), "T2.1": (3, None, False)}
    assert response.context["differences"] == 1
    assert response.content.decode().count('class="differs"') == 1


def test_figures_use_either_set_of_levels_never_an_average(client, team, carol):
    client.force_login(carol.user)
    url = reverse("reports:person", args=[team.alice.pk])
    client.post(url, review_data(team.alice, [1, 1, 1]))

    own = client.get(url).context["overall"]
    manager = client.get(url, {"basis": "manager"}).context["overall"]

    assert [t.own for t in own.tasks] == [3, 2, 3]
    assert [t.own for t in manager.tasks] == [1, 1, 1]
    assert (own.meeting, manager.meeting) == (2, 0)


def test_the_gap_report_shows_required_own_gap_and_duty_summary(client, team, carol):
    client.force_login(carol.user)
    response = client.get(reverse("reports:person", args=[team.alice.pk]))
    duties = {d.code: (d.meeting, d.task_count) for d in response.context["duties"]}
    assert duties == {"T1": (1, 2), "T2": (1, 1)}
    assert [r["self_gap"] for r in response.context["rows"]] == [0, 2, -1]
    assert 'class="level-chart"' in response.content.decode()


def test_an_unsubmitted_assessment_cannot_be_reviewed(team, carol, production):
    from tests.conftest import make_employee

    frank = make_employee("frank", "E010", "范克", production, carol)
    pending = submitted(frank, team.standard, team.cycle, None)
    with pytest.raises(ValidationError) as error:
        review_save(assessment=pending, reviewer=carol, ratings={}, comment="")
    assert error.value.messages == [str(NOT_SUBMITTED)]


def test_a_level_outside_0_to_6_is_refused(team, carol):
    rating = team.alice.ratings.first()
    with pytest.raises(ValueError):
        review_save(
            assessment=team.alice,
            reviewer=carol,
            ratings={rating.pk: ReviewInput(level=7)},
            comment="",
        )


def test_the_employee_sees_the_review_only_once_it_is_shared(client, team, carol, alice):
    url = reverse("reports:shared_review", args=[team.alice.pk])
    person = reverse("reports:person", args=[team.alice.pk])
    client.force_login(carol.user)
    client.post(person, review_data(team.alice, [2, 2, 2], comment="請加強排程"))
    client.force_login(alice.user)
    assert client.get(url).status_code == 404

    client.force_login(carol.user)
    client.post(person, review_data(team.alice, [2, 2, 2], comment="請加強排程", action="share"))
    client.force_login(alice.user)
    response = client.get(url)

    assert response.status_code == 200
    assert "請加強排程" in response.content.decode()
    assert [r["manager_level"] for r in response.context["rows"]] == [2, 2, 2]


def test_the_result_page_links_to_the_review_once_it_is_shared(client, team, carol, alice):
    result = reverse("assessments:result", args=[team.alice.pk])
    review = reverse("reports:shared_review", args=[team.alice.pk])
    client.force_login(alice.user)
    review_save(assessment=team.alice, reviewer=carol, ratings={}, comment="", share=False)
    response = client.get(result)
    assert response.status_code == 200
    assert review not in response.content.decode()

    review_save(assessment=team.alice, reviewer=carol, ratings={}, comment="", share=True)

    assert review in client.get(result).content.decode()


def test_another_employee_never_sees_a_shared_review(client, team, carol, bob):
    review_save(assessment=team.alice, reviewer=carol, ratings={}, comment="", share=True)
    client.force_login(bob.user)
    assert client.get(reverse("reports:shared_review", args=[team.alice.pk])).status_code == 404


def test_another_teams_manager_cannot_review(client, team, dave):
    client.force_login(dave.user)
    response = client.post(
        reverse("reports:person", args=[team.alice.pk]), review_data(team.alice, [1, 1, 1])
    )
    assert response.status_code == 404
    assert not ManagerReview.objects.exists()
