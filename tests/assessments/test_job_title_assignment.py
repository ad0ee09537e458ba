"""Assignment by job title: "job title 採購專員 takes KRM1324-002v1 in this cycle", for the
people holding the title now and for those who get it later, by any path."""

import pytest
import tablib
from django.contrib.messages import get_messages
from django.urls import reverse

from assessments.forms import NOT_A_STANDARD
from assessments.models import Assessment, Employee, JobTitleAssignment
from assessments.resources import import_employees
from assessments.services import (
    assessment_withdraw,
    assign_by_job_title,
    job_title_assignment_create,
)
from tests.assessments.helpers import days_from_today, open_cycle
from tests.conftest import make_employee
from tests.factories import sample_standard, sample_variant

pytestmark = pytest.mark.django_db

TITLE = "採購專員"
HEADERS = ["employee_number", "name", "username", "email", "department", "job_title", "manager"]


@pytest.fixture
def krm(db):
    """KRM1324-002v1, published: 6 tasks."""
    return sample_standard("KRM1324-002v1")


@pytest.fixture
def rule(krm, hannah):
    cycle = open_cycle()
    rule, _assignment = job_title_assignment_create(
        cycle=cycle, job_title=TITLE, standard=krm, by=hannah.user
    )
    return rule


def assigned(employee: Employee, rule: JobTitleAssignment) -> bool:
    return Assessment.objects.filter(
        employee=employee, cycle=rule.cycle, standard=rule.standard
    ).exists()


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_hr_says_a_job_title_takes_a_standard_and_its_holders_get_it_now(
    client, hannah, krm, alice
):
    buyer = make_employee("buyer", "B001", "採購甲", job_title=TITLE)
    cycle = open_cycle()
    client.force_login(hannah.user)

    response = client.post(
        reverse("assessments:job_title_assign", args=[cycle.pk]),
        {"rule-job_title": f" {TITLE} ", "rule-standard": krm.pk},
    )

    rule = JobTitleAssignment.objects.get()
    assert (rule.job_title, rule.standard, rule.created_by) == (TITLE, krm, hannah.user)
    assert list(Assessment.objects.values_list("employee", flat=True)) == [buyer.pk]
    assert Assessment.objects.get().ratings.count() == 6
    assert texts(response) == ["KRM1324-002v1 已指派給 1 人。"]
    page = client.get(reverse("assessments:cycle", args=[cycle.pk])).content.decode()
    assert TITLE in page.split('id="job-titles"')[1]


def test_someone_created_with_the_title_by_hand_receives_it(rule):
    newcomer = make_employee("new", "B002", "新採購", job_title=TITLE)

    assert assigned(newcomer, rule)


def test_someone_whose_title_changes_by_hand_receives_it(rule, alice):
    alice.job_title = TITLE
    alice.save()

    assert assigned(alice, rule)


def test_someone_whose_title_changes_in_the_admin_receives_it(client, rule, hannah, alice):
    url = reverse("admin:assessments_employee_change", args=[alice.pk])
    client.force_login(hannah.user)
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    data["job_title"] = TITLE

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert assigned(alice, rule)


def test_people_imported_with_the_title_receive_it_new_or_changed(rule, alice, production):
    result = import_employees(
        tablib.Dataset(
            ("B100", "匯入採購", "importbuyer", "", "PM", TITLE, ""),
            ("E001", alice.name, "alice", "", "PM", TITLE, ""),
            headers=HEADERS,
        )
    )

    assert not result.has_errors() and not result.has_validation_errors()
    assert assigned(Employee.objects.get(employee_number="B100"), rule)
    assert assigned(alice, rule)


def test_a_dry_run_import_assigns_nothing(rule, production):
    import_employees(
        tablib.Dataset(("B100", "匯入採購", "importbuyer", "", "PM", TITLE, ""), headers=HEADERS),
        dry_run=True,
    )

    assert not Employee.objects.filter(employee_number="B100").exists()
    assert not Assessment.objects.exists()


def test_a_failed_import_assigns_nothing(rule, production):
    result = import_employees(
        tablib.Dataset(
            ("B100", "匯入採購", "importbuyer", "", "PM", TITLE, ""),
            ("B101", "壞資料", "bad", "", "NOPE", TITLE, ""),
            headers=HEADERS,
        )
    )

    assert result.has_validation_errors() or result.has_errors()
    assert not Assessment.objects.exists()


def test_saving_without_a_title_change_does_not_bring_back_a_withdrawn_assessment(rule):
    buyer = make_employee("buyer", "B001", "採購甲", job_title=TITLE)
    assessment_withdraw(assessment=Assessment.objects.get(employee=buyer))

    buyer = Employee.objects.get(pk=buyer.pk)
    buyer.name = "採購甲（改名）"
    buyer.save()

    assert not assigned(buyer, rule)


def test_a_closed_cycle_assigns_nobody_any_more(krm):
    cycle = open_cycle(closes_in=5)
    job_title_assignment_create(cycle=cycle, job_title=TITLE, standard=krm)
    cycle.closes_on = days_from_today(-1)
    cycle.save()

    newcomer = make_employee("new", "B002", "新採購", job_title=TITLE)

    assert not Assessment.objects.filter(employee=newcomer).exists()
    assert assign_by_job_title(employee=newcomer) == []


def test_another_title_receives_nothing(rule):
    other = make_employee("other", "B003", "業務", job_title="業務專員")

    assert not Assessment.objects.filter(employee=other).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"standard": "999999"}, NOT_A_STANDARD),
        ({"standard": "older"}, NOT_A_STANDARD),
        ({"standard": "x' OR 1=1"}, NOT_A_STANDARD),
        ({"job_title": "   "}, "這個欄位是必須的。"),
    ],
    ids=["unknown-standard", "older-version", "garbage", "blank-title"],
)
def test_a_forged_job_title_rule_gets_a_clear_message_and_changes_nothing(
    client, hannah, krm, data, message
):
    older = sample_variant("AVA4322-001v3")
    sample_variant("AVA4322-001v4")
    make_employee("buyer", "B001", "採購甲", job_title=TITLE)
    cycle = open_cycle()
    post = {"job_title": TITLE, "standard": str(krm.pk), **data}
    if post["standard"] == "older":
        post["standard"] = str(older.pk)
    client.force_login(hannah.user)

    response = client.post(
        reverse("assessments:job_title_assign", args=[cycle.pk]),
        {f"rule-{name}": value for name, value in post.items()},
    )

    assert response.status_code == 302
    assert str(message) in texts(response)
    assert not JobTitleAssignment.objects.exists()
    assert not Assessment.objects.exists()


def test_the_same_rule_twice_is_refused_with_a_message(client, hannah, rule):
    client.force_login(hannah.user)

    response = client.post(
        reverse("assessments:job_title_assign", args=[rule.cycle_id]),
        {"rule-job_title": TITLE, "rule-standard": rule.standard_id},
    )

    assert texts(response) == [
        f"這個週期中，職稱「{TITLE}」已經指派 {rule.standard.code}；沒有任何變更。"
    ]
    assert JobTitleAssignment.objects.count() == 1


def test_stopping_a_rule_asks_first_and_keeps_what_it_assigned(client, hannah, rule):
    holder = make_employee("buyer", "B001", "採購甲", job_title=TITLE)
    url = reverse("assessments:job_title_unassign", args=[rule.cycle_id, rule.pk])
    client.force_login(hannah.user)

    assert client.get(url).status_code == 200
    assert JobTitleAssignment.objects.exists()
    client.post(url)

    assert not JobTitleAssignment.objects.exists()
    assert assigned(holder, rule)
    later = make_employee("later", "B002", "後來的採購", job_title=TITLE)
    assert not Assessment.objects.filter(employee=later).exists()


def test_a_rule_of_another_cycle_answers_404(client, hannah, rule):
    other = open_cycle("另一期")
    client.force_login(hannah.user)

    response = client.post(reverse("assessments:job_title_unassign", args=[other.pk, rule.pk]))

    assert response.status_code == 404
    assert JobTitleAssignment.objects.exists()


@pytest.mark.parametrize("holders", [0, 10])
def test_the_stop_confirmation_costs_the_same_queries_whatever_the_number_of_holders(
    client, hannah, rule, django_assert_num_queries, holders
):
    for index in range(holders):
        make_employee(f"buyer{index}", f"B{index:03}", f"採購{index}", job_title=TITLE)
    client.force_login(hannah.user)
    # session, user, user permissions, group permissions, the rule with its cycle and
    # standard
    with django_assert_num_queries(5):
        response = client.get(
            reverse("assessments:job_title_unassign", args=[rule.cycle_id, rule.pk])
        )
    assert response.status_code == 200
