"""URL × persona access matrix over every report page, export and filter choice.

A manager sees their direct and indirect reports, HR and a superuser everyone, an
employee no one else's data, and a staff account without permissions is a nobody: no
reports. Anything else is 404, and anonymous visitors are sent to log in.
"""

import pytest
from django.urls import reverse

from assessments.models import Employee
from reports.services import review_save
from tests.reports.conftest import (
    Team,
    build_team,
    make_cycle,
    make_report_standard,
    submitted,
    team_once_per_module,
)

pytestmark = pytest.mark.django_db

FORMATS = ["", "csv", "xlsx"]
TEAM_PAGES = ["dashboard", "heatmap", "training_needs", "training_need", "trends", "calibration"]
PERSONAL_PAGES = ["person", "person_pdf", "shared_review"]
PERSONAS = ["alice", "bob", "carol", "dave", "hannah", "stan", "sophie"]

# Status per persona: team-wide pages, alice's gap report (its PDF alike), alice's
# shared review.
EXPECTED = {
    "alice": {"team": 404, "person": 404, "person_pdf": 404, "shared_review": 200},
    "bob": {"team": 404, "person": 404, "person_pdf": 404, "shared_review": 404},
    "carol": {"team": 200, "person": 200, "person_pdf": 200, "shared_review": 200},
    "dave": {"team": 200, "person": 404, "person_pdf": 404, "shared_review": 404},
    "hannah": {"team": 200, "person": 200, "person_pdf": 200, "shared_review": 200},
    "stan": {"team": 404, "person": 404, "person_pdf": 404, "shared_review": 404},
    "sophie": {"team": 200, "person": 200, "person_pdf": 200, "shared_review": 200},
}


def build_team_with_a_shared_review() -> Team:
    """The report scenario; carol has shared her review of alice's assessment."""
    team = build_team()
    carol = Employee.objects.get(user__username="carol")
    review_save(
        assessment=team.alice, reviewer=carol, ratings={}, comment="王愛麗的評語", share=True
    )
    return team


# Every test here reads the same scenario: built once for the module.
module_team, team, carol, alice, bob, dave, erin, hannah, production, sales = team_once_per_module(
    build_team_with_a_shared_review
)


def url_of(name: str, team, fmt: str) -> str:
    if name in ("person", "person_pdf"):
        url = reverse(f"reports:{name}", args=[team.alice.pk])
    elif name == "shared_review":
        url = reverse("reports:shared_review", args=[team.alice.pk])
    elif name == "training_need":
        k01 = team.standard.knowledge_items.get(code="K01")
        url = reverse("reports:training_need", args=["knowledge", k01.pk])
    else:
        url = reverse(f"reports:{name}")
    return url + (f"?format={fmt}" if fmt else "")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", TEAM_PAGES + PERSONAL_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, team, name, fmt):
    response = client.get(url_of(name, team, fmt))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", TEAM_PAGES + PERSONAL_PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(client, team, request, persona, name, fmt, quick_pdf_renderer):
    employee = request.getfixturevalue(persona)
    client.force_login(employee.user)
    expected = EXPECTED[persona]["team" if name in TEAM_PAGES else name]

    response = client.get(url_of(name, team, fmt))

    assert response.status_code == expected


# The remind button (POST): alice's assessment is carol's team's; it is submitted, so an
# allowed viewer is sent back with a message and nothing is mailed.
REMIND_STATUS = {
    "alice": 404,
    "bob": 404,
    "carol": 302,
    "dave": 404,
    "hannah": 302,
    "stan": 404,
    "sophie": 302,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_remind_access_matrix(client, team, request, persona, mailoutbox):
    client.force_login(request.getfixturevalue(persona).user)

    response = client.post(reverse("reports:remind", args=[team.alice.pk]))

    assert response.status_code == REMIND_STATUS[persona]
    assert mailoutbox == []


def test_anonymous_visitors_pressing_remind_are_sent_to_log_in(client, team):
    response = client.post(reverse("reports:remind", args=[team.alice.pk]))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", TEAM_PAGES)
def test_another_teams_manager_sees_none_of_this_team(client, team, dave, name, fmt):
    client.force_login(dave.user)
    response = client.get(url_of(name, team, fmt))
    assert response.status_code == 200
    body = response.content.decode("utf-8", "replace") if fmt != "xlsx" else xlsx_text(response)
    assert "王愛麗" not in body and "林鮑伯" not in body


def xlsx_text(response) -> str:
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return " ".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row)


def choices(response, field: str) -> set[str]:
    return {
        str(label)
        for value, label in response.context["filter"].form.fields[field].choices
        if value
    }


# The id filters of each report page.
FILTER_FIELDS = [
    ("dashboard", "cycle"),
    ("dashboard", "department"),
    ("heatmap", "cycle"),
    ("heatmap", "standard"),
    ("heatmap", "department"),
    ("training_needs", "cycle"),
    ("training_needs", "standard"),
    ("training_needs", "department"),
    ("trends", "family"),
    ("trends", "department"),
    ("trends", "employee"),
    ("calibration", "cycle"),
    ("calibration", "standard"),
    ("calibration", "department"),
]
# What carol may choose in each filter: her team's cycles, standard, department, people.
CAROL_MAY_CHOOSE = {
    "cycle": {"2026 年度自評", "2025 年度自評"},
    "standard": {"RPT0001-001v1 報表測試職能基準"},
    "family": {"RPT0001-001 報表測試職能基準"},
    "department": {"生產管理部"},
    "employee": {"王愛麗 (E001)", "林鮑伯 (E002)"},
}


@pytest.mark.parametrize(("name", "field"), FILTER_FIELDS)
def test_filter_choices_list_only_what_the_manager_may_see(client, team, carol, erin, name, field):
    # A standard assigned only to erin, in a cycle only erin has.
    other = make_report_standard("OTH0001-001v1")
    submitted(erin, other, make_cycle("2024 業務部自評", 2024), [1, 1, 1])
    client.force_login(carol.user)

    response = client.get(reverse(f"reports:{name}"))

    assert response.status_code == 200
    assert choices(response, field) == CAROL_MAY_CHOOSE[field]


def test_hr_filter_choices_list_everyone(client, team, hannah, erin):
    client.force_login(hannah.user)
    response = client.get(reverse("reports:trends"))
    assert choices(response, "department") == {"生產管理部", "業務部"}
    # Everyone but HR herself, managers included.
    assert choices(response, "employee") == {
        "王愛麗 (E001)",
        "林鮑伯 (E002)",
        "李艾琳 (E003)",
        "陳卡蘿 (M001)",
        "張大衛 (M002)",
    }


OUTSIDE_THE_SCOPE = [
    ("dave", "department", "production"),
    ("carol", "department", "sales"),
    ("dave", "employee", "alice"),
    ("carol", "employee", "erin"),
]
# Status of a page given a department or employee the manager may not see: 404 where the
# page has that filter, 200 where the parameter is not a filter of the page (ignored).
OUTSIDE_THE_SCOPE_STATUS = {
    ("dashboard", "department"): 404,
    ("heatmap", "department"): 404,
    ("training_needs", "department"): 404,
    ("trends", "department"): 404,
    ("dashboard", "employee"): 200,
    ("heatmap", "employee"): 200,
    ("training_needs", "employee"): 200,
    ("trends", "employee"): 404,
    ("calibration", "department"): 404,
    ("calibration", "employee"): 200,
}


@pytest.mark.parametrize(
    "name", ["dashboard", "heatmap", "training_needs", "trends", "calibration"]
)
@pytest.mark.parametrize(("persona", "field", "target"), OUTSIDE_THE_SCOPE)
def test_a_choice_outside_the_scope_is_404(client, team, request, name, persona, field, target):
    client.force_login(request.getfixturevalue(persona).user)

    response = client.get(reverse(f"reports:{name}"), {field: request.getfixturevalue(target).pk})

    assert response.status_code == OUTSIDE_THE_SCOPE_STATUS[name, field]


def test_a_standard_or_cycle_only_another_team_has_is_404(client, team, carol, erin):
    other = make_report_standard("OTH0001-001v1")
    other_cycle = make_cycle("2024 業務部自評", 2024)
    submitted(erin, other, other_cycle, [1, 1, 1])
    client.force_login(carol.user)
    assert client.get(reverse("reports:heatmap"), {"standard": other.pk}).status_code == 404
    assert client.get(reverse("reports:heatmap"), {"cycle": other_cycle.pk}).status_code == 404
    assert client.get(reverse("reports:dashboard"), {"cycle": "x"}).status_code == 404


def test_the_reports_link_shows_only_for_managers_and_hr(
    client, team, alice, carol, hannah, stan, sophie
):
    for employee, shown in [
        (alice, False),
        (carol, True),
        (hannah, True),
        (stan, False),
        (sophie, True),
    ]:
        client.force_login(employee.user)
        page = client.get(reverse("assessments:mine")).content.decode()
        assert (f'href="{reverse("reports:dashboard")}"' in page) is shown, employee.name
