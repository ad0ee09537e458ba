"""Development plans: the employee and the manager build one from a submitted
assessment, the manager approves it, changes after the approval are listed, and
training needs add items for the people behind them."""

import pytest
from django.urls import reverse

from plans.models import DevelopmentPlan, PlanComment, PlanItem
from plans.services import NOT_AN_APPROVER, plan_approve, plan_item_add
from tests.reports.conftest import team_once_per_module

pytestmark = pytest.mark.django_db

module_team, team, carol, alice, bob, dave, erin, hannah, production, sales = team_once_per_module()


def plan_url(assessment) -> str:
    return reverse("plans:plan", args=[assessment.pk])


def add(client, assessment, **fields):
    data = {"op": "add", "action": "course", "owner": assessment.employee.pk} | fields
    return client.post(plan_url(assessment), data)


def test_the_employee_adds_an_item_for_a_task_they_fall_short_on(client, team, alice):
    client.force_login(alice.user)
    t12 = team.alice.ratings.get(task_code="T1.2")  # required 4, own 2

    response = add(client, team.alice, rating=t12.pk, description="生產排程進階課程")

    assert response.status_code == 302
    item = PlanItem.objects.get()
    assert (item.plan.assessment, item.rating, item.owner) == (team.alice, t12, alice)
    assert item.status == PlanItem.Status.PLANNED and item.created_by == alice
    page = client.get(plan_url(team.alice)).content.decode()
    assert "生產排程進階課程" in page and "T1.2" in page


def test_the_manager_adds_an_item_for_a_knowledge_item_and_approves(client, team, carol):
    client.force_login(carol.user)
    k01 = team.standard.knowledge_items.get(code="K01")

    add(client, team.alice, knowledge_item=k01.pk, action="mentoring", owner=carol.pk)
    client.post(plan_url(team.alice), {"op": "approve"})

    plan = DevelopmentPlan.objects.get(assessment=team.alice)
    assert plan.is_approved and plan.approved_by == carol
    assert plan.items.get().owner == carol


def test_the_employee_cannot_approve_their_own_plan(client, team, alice):
    plan_item_add(
        assessment=team.alice, by=alice, action="reading", owner=alice, description="讀書"
    )
    client.force_login(alice.user)

    response = client.post(plan_url(team.alice), {"op": "approve"}, follow=True)

    assert not DevelopmentPlan.objects.get().is_approved
    assert str(NOT_AN_APPROVER) in [str(m) for m in response.context["messages"]]


def test_an_empty_plan_cannot_be_approved(team, carol):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        plan_approve(assessment=team.alice, user=carol.user, by=carol)


def test_changes_after_the_approval_are_listed(client, team, alice, carol):
    item = plan_item_add(
        assessment=team.alice, by=alice, action="reading", owner=alice, description="讀"
    )
    plan_approve(assessment=team.alice, user=carol.user, by=carol)
    client.force_login(alice.user)

    client.post(
        plan_url(team.alice), {"op": "progress", "item": item.pk, "status": "done", "due_on": ""}
    )

    item.refresh_from_db()
    assert item.status == PlanItem.Status.DONE
    response = client.get(plan_url(team.alice))
    changes = response.context["view"].changes_since_approval
    assert [change.status for change in changes] == ["done"]
    assert 'id="plan-change-list"' in response.content.decode()


def test_both_sides_comment(client, team, alice, carol):
    for person, text in [(alice, "我想先上課"), (carol, "好，下季安排")]:
        client.force_login(person.user)
        client.post(plan_url(team.alice), {"op": "comment", "text": text})

    assert list(PlanComment.objects.values_list("author__name", "text")) == [
        ("王愛麗", "我想先上課"),
        ("陳卡蘿", "好，下季安排"),
    ]


def test_a_task_of_another_assessment_is_refused_and_nothing_is_added(client, team, alice):
    client.force_login(alice.user)
    bobs = team.bob.ratings.first()

    response = add(client, team.alice, rating=bobs.pk)

    assert response.status_code == 200
    assert PlanItem.objects.count() == 0 and DevelopmentPlan.objects.count() == 0


def test_an_item_needs_a_target_or_a_description(client, team, alice):
    client.force_login(alice.user)

    response = add(client, team.alice, follow=True)

    assert PlanItem.objects.count() == 0
    assert response.status_code == 200


def test_an_item_of_another_plan_is_404(client, team, alice, bob):
    other = plan_item_add(assessment=team.bob, by=bob, action="reading", owner=bob, description="x")
    plan_item_add(assessment=team.alice, by=alice, action="reading", owner=alice, description="y")
    client.force_login(alice.user)

    response = client.post(
        plan_url(team.alice), {"op": "progress", "item": other.pk, "status": "done"}
    )

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == PlanItem.Status.PLANNED


def test_an_unknown_operation_is_404(client, team, alice):
    client.force_login(alice.user)
    assert client.post(plan_url(team.alice), {"op": "delete"}).status_code == 404


def test_a_draft_has_no_plan(client, team, alice):
    draft = team.alice
    draft.stage = draft.Stage.DRAFT
    draft.save()
    client.force_login(alice.user)
    assert client.get(plan_url(draft)).status_code == 404


# Who may open alice's plan: herself, her manager carol, HR and the superuser.
ACCESS = {
    "alice": 200,
    "bob": 404,
    "carol": 200,
    "dave": 404,
    "hannah": 200,
    "stan": 404,
    "sophie": 200,
}


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("persona", list(ACCESS))
def test_access_matrix(client, team, request, persona, method):
    client.force_login(request.getfixturevalue(persona).user)

    data = {"op": "comment", "text": "看看"} if method == "post" else None
    response = getattr(client, method)(plan_url(team.alice), data)

    expected = ACCESS[persona]
    assert response.status_code == (302 if expected == 200 and method == "post" else expected)
    assert PlanComment.objects.count() == (1 if expected == 200 and method == "post" else 0)


def test_anonymous_visitors_are_sent_to_log_in(client, team):
    response = client.get(plan_url(team.alice))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_training_needs_add_a_plan_item_for_everyone_behind_them(client, team, carol):
    k01 = team.standard.knowledge_items.get(code="K01")  # T1.1 and T1.2
    url = reverse("reports:training_need", args=["knowledge", k01.pk])
    client.force_login(carol.user)

    response = client.post(url, {"action": "course", "description": "排程課程"}, follow=True)

    # alice is short on T1.2, bob on T1.1: both of carol's team.
    items = PlanItem.objects.select_related("plan__assessment__employee")
    assert sorted(i.plan.assessment.employee.name for i in items) == ["林鮑伯", "王愛麗"]
    assert all(i.knowledge_item == k01 and i.owner == i.plan.assessment.employee for i in items)
    assert response.status_code == 200

    client.post(url, {"action": "course", "description": "again"})
    assert PlanItem.objects.count() == 2  # open items already cover both


def test_a_managers_bulk_add_reaches_only_their_team(client, team, dave):
    k02 = team.standard.knowledge_items.get(code="K02")  # T2.1
    client.force_login(dave.user)

    client.post(reverse("reports:training_need", args=["knowledge", k02.pk]), {"action": "reading"})

    assert {i.plan.assessment.employee.name for i in PlanItem.objects.all()} == {"李艾琳"}


@pytest.mark.parametrize("extra_items", [1, 6])
def test_plan_page_queries_do_not_grow_with_the_plan(
    client, team, alice, extra_items, django_assert_num_queries
):
    for index in range(extra_items):
        plan_item_add(
            assessment=team.alice, by=alice, action="reading", owner=alice, description=f"{index}"
        )
    client.force_login(alice.user)
    # session, user; the employee with whether the login holds HR's permission, her
    # (empty) reporting tree; the assessment; the acting employee; the plan; its items;
    # its comments; alice's manager (the owner choices); the rating, knowledge, skill
    # and course choices of the add form.
    with django_assert_num_queries(14):
        assert client.get(plan_url(team.alice)).status_code == 200


def test_my_data_holds_the_development_plan(client, team, alice, carol):
    import json

    plan_item_add(
        assessment=team.alice, by=alice, action="reading", owner=alice, description="讀排程書"
    )
    plan_approve(assessment=team.alice, user=carol.user, by=carol)
    client.force_login(alice.user)

    data = json.loads(client.get(reverse("assessments:my_data_json")).content)

    plans = {a["cycle"]: a["development_plan"] for a in data["assessments"]}
    current = plans[team.cycle.name]
    assert current["approved_at"] is not None
    assert [(i["action"], i["description"], i["status"]) for i in current["items"]] == [
        ("reading", "讀排程書", "planned")
    ]
    assert plans[team.earlier_cycle.name] is None


def test_the_next_cycle_shows_whether_each_planned_gap_closed(client, team, alice, carol):
    # 2025 own levels 1 1 1 (T1.2 short by 3, T2.1 by 1); 2026: 3 2 3 (T1.2 short by 2).
    earlier = team.alice_earlier
    for code in ["T1.2", "T2.1"]:
        plan_item_add(
            assessment=earlier,
            by=alice,
            action="course",
            owner=alice,
            rating=earlier.ratings.get(task_code=code),
        )
    plan_item_add(  # a dropped item is not followed up
        assessment=earlier,
        by=alice,
        action="reading",
        owner=alice,
        rating=earlier.ratings.get(task_code="T1.1"),
    ).plan.items.filter(rating__task_code="T1.1").update(status=PlanItem.Status.DROPPED)

    for person, url in [
        (alice, reverse("assessments:result", args=[team.alice.pk])),
        (carol, reverse("reports:person", args=[team.alice.pk])),
    ]:
        client.force_login(person.user)
        page = client.get(url).content.decode()
        assert 'data-task="T1.2" data-closed="no"' in page
        assert 'data-task="T2.1" data-closed="yes"' in page
        assert 'data-task="T1.1" data-closed' not in page


def test_an_earlier_plan_of_another_person_is_not_shown(client, team, bob, alice):
    earlier = team.alice_earlier
    rating = earlier.ratings.get(task_code="T1.2")
    plan_item_add(assessment=earlier, by=alice, action="course", owner=alice, rating=rating)
    client.force_login(bob.user)

    page = client.get(reverse("assessments:result", args=[team.bob.pk])).content.decode()

    assert "planned-outcome-table" not in page


def test_the_dashboard_shows_plan_completion_per_person_and_for_the_team(
    client, team, alice, bob, carol
):
    done = plan_item_add(
        assessment=team.alice, by=alice, action="course", owner=alice, description="a"
    )
    plan_item_add(assessment=team.alice, by=alice, action="course", owner=alice, description="b")
    plan_item_add(assessment=team.bob, by=bob, action="course", owner=bob, description="c")
    dropped = plan_item_add(
        assessment=team.bob, by=bob, action="course", owner=bob, description="d"
    )
    PlanItem.objects.filter(pk=done.pk).update(status=PlanItem.Status.DONE)
    PlanItem.objects.filter(pk=dropped.pk).update(status=PlanItem.Status.DROPPED)
    client.force_login(carol.user)

    response = client.get(reverse("reports:dashboard"))

    page = response.content.decode()
    assert response.context["plans"] == {"total": 3, "done": 1, "people": 2}
    assert 'data-plans="1/3"' in page
    rows = {a.employee.name: (a.plan_done, a.plan_items) for a in response.context["rows"]}
    assert rows["王愛麗"] == (1, 2) and rows["林鮑伯"] == (0, 1)
    download = client.get(reverse("reports:dashboard"), {"format": "csv"})
    assert "王愛麗" in download.content.decode("utf-8-sig")


def test_the_plan_downloads_with_whose_it_is_and_its_items(client, team, alice, carol):
    import io

    import openpyxl

    plan_item_add(
        assessment=team.alice, by=alice, action="reading", owner=alice, description="=讀書"
    )
    plan_approve(assessment=team.alice, user=carol.user, by=carol)
    client.force_login(carol.user)

    response = client.get(plan_url(team.alice), {"format": "xlsx"})

    assert "plan-E001-" in response["Content-Disposition"]
    cells = [
        str(c)
        for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.values
        for c in row
        if c is not None
    ]
    assert "王愛麗 (E001)" in cells and "'=讀書" in cells  # neutralised: never a formula
    assert any("陳卡蘿" in c for c in cells)  # the approval


def test_another_persons_plan_download_is_404(client, team, bob):
    client.force_login(bob.user)
    assert client.get(plan_url(team.alice), {"format": "csv"}).status_code == 404
