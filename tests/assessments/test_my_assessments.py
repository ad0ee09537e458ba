"""My assessments (the employee's home) and My data (the personal-data downloads)."""

import csv
import io
import json

import pytest
from django.urls import reverse

from assessments.models import Cycle
from assessments.services import RatingInput, assessment_save
from tests.assessments.helpers import assign, days_from_today, open_cycle, ratings

pytestmark = pytest.mark.django_db


def submit_all(assessment, level: int = 3) -> None:
    answers = {
        r.pk: RatingInput(self_level=level, comment=f"說明 {r.task_code}")
        for r in ratings(assessment)
    }
    assessment_save(assessment=assessment, version=assessment.version, ratings=answers, submit=True)


def past_cycle(name: str) -> Cycle:
    return Cycle.objects.create(
        name=name,
        opens_on=days_from_today(-400),
        closes_on=days_from_today(-300),
    )


def test_home_sends_an_employee_to_my_assessments_and_others_to_the_catalogue(client, alice):
    assert client.get(reverse("home")).url == reverse("standards:list")
    client.force_login(alice.user)
    assert client.get(reverse("home")).url == reverse("assessments:mine")


def test_my_assessments_sorts_to_do_submitted_and_past(client, small_standard, alice):
    pending = assign(small_standard, alice, open_cycle("本期 A", closes_in=20))
    submitted = assign(small_standard, alice, open_cycle("本期 B"))
    submit_all(submitted)
    past = assign(small_standard, alice, past_cycle("去年"))
    client.force_login(alice.user)

    response = client.get(reverse("assessments:mine"))

    assert response.status_code == 200
    html = response.content.decode()
    to_do, rest = html.split('id="submitted"')
    done, old = rest.split('id="past"')
    assert reverse("assessments:form", args=[pending.pk]) in to_do
    assert pending.cycle.closes_on.isoformat() in to_do
    assert reverse("assessments:result", args=[submitted.pk]) in done
    assert "去年" in old and reverse("assessments:form", args=[past.pk]) not in html


def test_an_account_without_an_employee_record_is_told_so(client, django_user_model):
    user = django_user_model.objects.create_user("admin2", password="x")
    client.force_login(user)

    response = client.get(reverse("assessments:mine"))

    assert response.status_code == 200
    assert response.context["has_employee"] is False


@pytest.mark.parametrize("count", [1, 4])
def test_my_assessments_costs_the_same_queries_whatever_the_number(
    client, small_standard, alice, django_assert_num_queries, count
):
    for index in range(count):
        assessment = assign(small_standard, alice, open_cycle(f"cycle {index}"))
        if index % 2:
            submit_all(assessment)
    client.force_login(alice.user)
    # session, user, assessments with progress counts and shared reviews, employee
    # (has_employee)
    with django_assert_num_queries(4):
        response = client.get(reverse("assessments:mine"))
    assert len(response.context["to_do"]) + len(response.context["submitted"]) == count


def test_my_data_json_holds_profile_assessments_ratings_and_comments(
    client, small_standard, alice, bob
):
    assessment = assign(small_standard, alice)
    submit_all(assessment, level=2)
    assign(small_standard, bob)
    client.force_login(alice.user)

    response = client.get(reverse("assessments:my_data_json"))

    assert response["Content-Disposition"] == 'attachment; filename="my-data-E001.json"'
    data = json.loads(response.content)
    assert data["profile"]["employee_number"] == alice.employee_number
    assert data["profile"]["manager"] == str(alice.manager)
    assert [a["id"] for a in data["assessments"]] == [assessment.pk]
    stored = ratings(assessment)
    assert [
        (r["task_code"], r["required_level"], r["self_level"], r["gap"], r["comment"])
        for r in data["assessments"][0]["ratings"]
    ] == [(r.task_code, r.required_level, 2, r.required_level - 2, r.comment) for r in stored]


def test_my_data_csv_has_one_row_per_rating(client, small_standard, alice):
    assessment = assign(small_standard, alice)
    submit_all(assessment)
    client.force_login(alice.user)

    response = client.get(reverse("assessments:my_data_csv"))

    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(row["task_code"], row["self_level"], row["comment"]) for row in rows] == [
        (r.task_code, "3", r.comment) for r in ratings(assessment)
    ]
    assert {row["employee_number"] for row in rows} == {alice.employee_number}


def test_my_data_without_assessments_is_the_profile_alone(client, bob):
    client.force_login(bob.user)

    rows = list(
        csv.DictReader(
            io.StringIO(client.get(reverse("assessments:my_data_csv")).content.decode("utf-8-sig"))
        )
    )

    assert len(rows) == 1 and rows[0]["username"] == "bob" and rows[0]["task_code"] == ""
    assert json.loads(client.get(reverse("assessments:my_data_json")).content)["assessments"] == []


def test_a_comment_a_spreadsheet_would_run_as_a_formula_is_written_as_text(
    client, small_standard, alice
):
    assessment = assign(small_standard, alice)
    first = ratings(assessment)[0]
    assessment_save(
        assessment=assessment,
        version=0,
        ratings={first.pk: RatingInput(self_level=1, comment="=HYPERLINK(1)")},
    )
    client.force_login(alice.user)

    text = client.get(reverse("assessments:my_data_csv")).content.decode("utf-8-sig")

    assert list(csv.DictReader(io.StringIO(text)))[0]["comment"] == "'=HYPERLINK(1)"


@pytest.mark.parametrize(
    "comment",
    ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"],
    ids=["equals", "plus", "minus", "at", "tab", "carriage-return"],
)
def test_every_formula_trigger_in_a_comment_or_profile_is_neutralised_in_my_data_csv(
    client, small_standard, alice, comment
):
    alice.job_title = comment
    alice.save()
    assessment = assign(small_standard, alice)
    first = ratings(assessment)[0]
    assessment_save(
        assessment=assessment,
        version=0,
        ratings={first.pk: RatingInput(self_level=1, comment=comment)},
    )
    client.force_login(alice.user)

    text = client.get(reverse("assessments:my_data_csv")).content.decode("utf-8-sig")

    row = list(csv.DictReader(io.StringIO(text, newline="")))[0]
    assert (row["comment"], row["job_title"]) == ("'" + comment, "'" + comment)
