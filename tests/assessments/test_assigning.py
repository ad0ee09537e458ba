"""HR creates a cycle and assigns standards in one place: the cycle page, with a people
search, "already had it", withdrawing what nobody started, and refusals of forged input."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.forms import FORGED_PEOPLE, NOBODY_CHOSEN, NOT_A_STANDARD, AssignForm
from assessments.models import Assessment, Department
from assessments.services import RatingInput, assessment_save
from tests.assessments.helpers import assign, days_from_today, open_cycle, ratings
from tests.conftest import make_employee
from tests.factories import sample_variant, small_standard

pytestmark = pytest.mark.django_db


def test_the_standard_options_are_read_with_only_their_label():
    sample_variant("AVA4322-001v4")
    form = AssignForm()
    with CaptureQueriesContext(connection) as queries:
        html = str(form["standard"])
    (read,) = queries.captured_queries
    columns = read["sql"].split(" FROM ")[0]
    assert columns.count(",") == 2, columns  # id, code, name
    assert '"code"' in columns and '"name"' in columns
    assert "AVA4322-001v4" in html
    # The chosen standard is still read whole, for the service assigning it.
    form = AssignForm(
        {"standard": form.fields["standard"].queryset.get().pk, "everyone_found": "on"}
    )
    assert form.is_valid()
    assert not form.cleaned_data["standard"].get_deferred_fields()


def cycle_url(cycle, **query) -> str:
    url = reverse("assessments:cycle", args=[cycle.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_standard_choice_starts_empty_and_lists_only_latest_published_versions(client, hannah):
    older = sample_variant("AVA4322-001v3")
    latest = sample_variant("AVA4322-001v4")
    draft = sample_variant("KRM1324-002v1", publish=False)
    client.force_login(hannah.user)

    form = client.get(cycle_url(open_cycle())).context["form"]

    choices = [value for value, _label in form.fields["standard"].choices]
    assert choices[0] == ""
    assert [str(value) for value in choices[1:]] == [str(latest.pk)]
    assert older.pk != latest.pk and draft.pk != latest.pk
    assert '<option value="" selected>' in str(form["standard"])


def test_the_people_search_finds_by_name_number_department_and_job_title(
    client, hannah, alice, bob, erin, production
):
    bob.job_title = "採購專員"
    bob.save()
    client.force_login(hannah.user)
    cycle = open_cycle()

    def found(q: str) -> set[str]:
        response = client.get(cycle_url(cycle, q=q))
        return {employee.name for employee in response.context["people"]}

    assert found("王愛麗") == {alice.name}
    assert found("E003") == {erin.name}
    assert found("生產管理部") == {"王愛麗", "林鮑伯", "陳卡蘿"}
    assert found("PM") >= {"王愛麗", "林鮑伯", "陳卡蘿"}
    assert found("採購") == {bob.name}
    assert found("生產管理部 採購") == {bob.name}
    assert found("沒有這個人") == set()


def test_the_people_search_is_a_page_at_a_time(client, hannah):
    for index in range(30):
        make_employee(f"p{index}", f"P{index:03}", f"員工{index}")
    client.force_login(hannah.user)
    cycle = open_cycle()

    first = client.get(cycle_url(cycle, q="員工"))
    second = client.get(cycle_url(cycle, q="員工", people=2))

    assert first.context["people"].paginator.count == 30
    assert len(first.context["people"]) == 25
    assert len(second.context["people"]) == 5
    assert "people=2" in first.content.decode()


def test_hr_assigns_people_chosen_from_the_search(client, hannah, alice, bob, erin):
    standard = small_standard()
    cycle = open_cycle()
    client.force_login(hannah.user)

    response = client.post(
        cycle_url(cycle, q="E00"), {"standard": standard.pk, "employees": [alice.pk, erin.pk]}
    )

    assert response.status_code == 302
    assert response.url == cycle_url(cycle, q="E00")
    assert set(Assessment.objects.values_list("employee", flat=True)) == {alice.pk, erin.pk}
    assert texts(response) == [f"{standard.code} 已指派給 2 人。"]


def test_assigning_again_says_who_already_had_it(client, hannah, alice, bob):
    standard = small_standard()
    cycle = open_cycle()
    assign(standard, alice, cycle)
    client.force_login(hannah.user)

    response = client.post(
        cycle_url(cycle), {"standard": standard.pk, "employees": [alice.pk, bob.pk]}
    )

    assert Assessment.objects.filter(employee=bob).count() == 1
    assert Assessment.objects.filter(employee=alice).count() == 1
    assert texts(response) == [
        f"{standard.code} 已指派給 1 人。",
        f"已有此項、維持原狀：{alice}。",
    ]


def test_hr_assigns_everyone_the_search_found_on_every_page(client, hannah, alice):
    people = [make_employee(f"p{i}", f"P{i:03}", f"倉儲員{i}") for i in range(30)]
    standard = small_standard()
    cycle = open_cycle()
    client.force_login(hannah.user)

    client.post(
        cycle_url(cycle, q="倉儲員"),
        {"standard": standard.pk, "everyone_found": "on", "q": "倉儲員"},
    )

    assert set(Assessment.objects.values_list("employee", flat=True)) == {p.pk for p in people}


def test_hr_assigns_a_department_and_its_sub_departments(
    client, hannah, alice, bob, erin, production
):
    team = Department.objects.create(code="PM-1", name="一課", parent=production)
    nested = make_employee("nested", "P9", "子部門員工", team)
    cycle = open_cycle()
    client.force_login(hannah.user)

    client.post(cycle_url(cycle), {"standard": small_standard().pk, "department": production.pk})

    assigned = set(Assessment.objects.values_list("employee__user__username", flat=True))
    assert assigned == {"alice", "bob", "carol", nested.user.username}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"employees": ["ALICE"]}, FORGED_PEOPLE),
        ({"employees": ["999999"]}, FORGED_PEOPLE),
        ({"employees": ["٣"]}, FORGED_PEOPLE),
        ({"employees": [str(2**70)]}, FORGED_PEOPLE),
        ({"standard": "999999"}, NOT_A_STANDARD),
        ({"standard": ""}, NOT_A_STANDARD),
        ({"standard": "draft"}, NOT_A_STANDARD),
        ({"standard": "older"}, NOT_A_STANDARD),
        ({"employees": []}, NOBODY_CHOSEN),
    ],
    ids=["letters", "unknown", "arabic-digit", "huge", "no-standard", "empty", "draft", "older"]
    + ["nobody"],
)
def test_forged_or_missing_values_get_a_clear_message_and_assign_nothing(
    client, hannah, alice, data, message
):
    standard = small_standard()
    draft = sample_variant("AVA4322-001v5", publish=False)
    older = sample_variant("KRM1324-002v1")
    sample_variant("KRM1324-002v2")
    values = {"draft": str(draft.pk), "older": str(older.pk)}
    post = {"standard": str(standard.pk), "employees": [str(alice.pk)], **data}
    post["standard"] = values.get(post["standard"], post["standard"])
    client.force_login(hannah.user)

    response = client.post(cycle_url(open_cycle()), post)

    assert response.status_code == 200
    assert str(message) in response.content.decode()
    assert not Assessment.objects.exists()


def test_nothing_can_be_assigned_in_a_closed_cycle(client, hannah, alice):
    standard = small_standard()
    cycle = open_cycle(closes_in=-1)
    client.force_login(hannah.user)

    page = client.get(cycle_url(cycle))
    response = client.post(cycle_url(cycle), {"standard": standard.pk, "employees": [alice.pk]})

    assert 'name="employees"' not in page.content.decode()
    assert response.status_code == 302
    assert not Assessment.objects.exists()


def test_an_assignment_not_started_is_withdrawn_after_a_confirmation(client, hannah, alice):
    assessment = assign(small_standard(), alice)
    url = reverse("assessments:withdraw", args=[assessment.cycle_id, assessment.pk])
    client.force_login(hannah.user)

    confirmation = client.get(url)
    assert Assessment.objects.filter(pk=assessment.pk).exists()
    assert 'method="post"' in confirmation.content.decode()

    response = client.post(url)

    assert response.url == reverse("assessments:cycle", args=[assessment.cycle_id])
    assert not Assessment.objects.filter(pk=assessment.pk).exists()


def test_a_started_assessment_cannot_be_withdrawn(client, hannah, alice):
    assessment = assign(small_standard(), alice)
    assessment_save(
        assessment=assessment,
        version=0,
        ratings={ratings(assessment)[0].pk: RatingInput(self_level=2)},
    )
    url = reverse("assessments:withdraw", args=[assessment.cycle_id, assessment.pk])
    client.force_login(hannah.user)

    page = client.get(url)
    response = client.post(url)

    assert "已開始" in page.content.decode()
    assert 'method="post"' not in page.content.decode().split("<main")[1]
    assert texts(response) == [f"{alice.name} 已開始填寫這份自評，無法再撤回。"]
    assert Assessment.objects.filter(pk=assessment.pk).exists()


def test_withdrawing_through_another_cycle_answers_404(client, hannah, alice):
    assessment = assign(small_standard(), alice)
    other = open_cycle("另一期")
    client.force_login(hannah.user)

    response = client.post(reverse("assessments:withdraw", args=[other.pk, assessment.pk]))

    assert response.status_code == 404
    assert Assessment.objects.filter(pk=assessment.pk).exists()


def test_the_cycle_page_lists_assessments_a_page_at_a_time(client, hannah):
    standard = small_standard()
    cycle = open_cycle()
    people = [make_employee(f"p{i}", f"P{i:03}", f"員工{i}") for i in range(55)]
    from assessments.services import assessments_assign

    assessments_assign(cycle=cycle, standard=standard, employees=people)
    client.force_login(hannah.user)

    response = client.get(cycle_url(cycle))

    assert len(response.context["assessments"]) == 50
    assert response.context["assessments"].paginator.num_pages == 2


def test_creating_a_cycle_leads_to_assigning_in_it(client, hannah):
    client.force_login(hannah.user)

    response = client.post(
        reverse("assessments:cycles"),
        {
            "name": "2027 上半年",
            "opens_on": days_from_today(1).isoformat(),
            "closes_on": days_from_today(60).isoformat(),
        },
        follow=True,
    )

    assert response.context["cycle"].name == "2027 上半年"
    assert 'name="standard"' in response.content.decode()


@pytest.mark.parametrize("count", [2, 12])
def test_the_cycle_page_costs_the_same_queries_whatever_the_number_of_people(
    client, hannah, django_assert_num_queries, count
):
    standard = small_standard()
    cycle = open_cycle()
    people = [
        make_employee(f"p{i}", f"P{i:03}", f"員工{i}", job_title=f"職稱{i}") for i in range(count)
    ]
    from assessments.services import assessments_assign, job_title_assignment_create

    assessments_assign(cycle=cycle, standard=standard, employees=people)
    job_title_assignment_create(cycle=cycle, job_title="職稱1", standard=standard)
    client.force_login(hannah.user)
    # session, user, user permissions, group permissions, the cycle, its completion,
    # people found (count, page), the standards of the two forms, departments, the
    # job-title rules with their holders, the job titles, assessments (count, page)
    with django_assert_num_queries(15):
        response = client.get(cycle_url(cycle, q="員工"))
    assert len(response.context["people"]) == count
    assert len(response.context["assessments"]) == count


@pytest.mark.parametrize("others", [0, 10])
def test_the_withdraw_confirmation_costs_the_same_queries_whatever_the_cycle_holds(
    client, hannah, alice, django_assert_num_queries, others
):
    from assessments.services import assessments_assign

    standard = small_standard()
    assessment = assign(standard, alice)
    people = [make_employee(f"p{i}", f"P{i:03}", f"員工{i}") for i in range(others)]
    assessments_assign(cycle=assessment.cycle, standard=standard, employees=people)
    client.force_login(hannah.user)
    # session, user, user permissions, group permissions, the assessment with its
    # cycle, employee and standard
    with django_assert_num_queries(5):
        response = client.get(
            reverse("assessments:withdraw", args=[assessment.cycle_id, assessment.pk])
        )
    assert response.status_code == 200
