"""Role fit on hand-built data.

In the report scenario (tests/reports/conftest.py), alice meets T1.1 and T2.1, so she
covers 生產排程知識 (K01), 品質管理知識 (K02) and the skill S01; bob meets only T1.2
and covers 生產排程知識; erin covers nothing.
"""

import pytest
from django.urls import reverse

from assessments.role_fit import covered_keys, people_covering, standards_covered
from standards.matching import item_names_merge, match_key
from standards.models import Standard
from tests.factories import small_standard
from tests.reports.conftest import team_once_per_module

pytestmark = pytest.mark.django_db


def build_other_standards():
    from tests.reports.conftest import build_team

    team = build_team()
    # Three names; 生產排程知識 is written with a full-width space and letters folded away.
    small_standard(
        "OTH0001-001v1",
        name="行銷職能基準",
        levels=[[3]],
        knowledge={"K01": "生產　排程知識", "K02": "行銷企劃知識"},
        skills={"S01": "簡報技巧"},
        needs={"T1.1": ["K01", "K02", "S01"]},
    )
    small_standard(
        "QUA0001-001v1",
        name="品保職能基準",
        levels=[[2]],
        knowledge={"K01": "品質管理知識"},
        needs={"T1.1": ["K01"]},
    )
    small_standard(
        "DRF0001-001v1",
        publish=False,
        levels=[[2]],
        knowledge={"K01": "品質管理知識"},
        needs={"T1.1": ["K01"]},
    )
    return team


module_team, team, carol, alice, bob, dave, erin, hannah, production, sales = team_once_per_module(
    build_other_standards
)


def test_names_are_matched_folded_without_spaces_or_punctuation():
    assert match_key("生產　排程知識") == match_key("生產排程知識")
    assert match_key("ＰＭ 專案管理。") == match_key("pm專案管理")
    assert match_key("溝通") != match_key("溝通技巧")


def test_what_alice_covers(team, alice):
    covered = covered_keys(alice)
    assert covered["knowledge"] == {match_key("生產排程知識"), match_key("品質管理知識")}
    assert covered["skill"] == {match_key('=HYPERLINK("x")')}


def test_standards_are_ranked_by_the_share_of_their_names_covered(team, alice):
    fits = standards_covered(alice, exclude_families={"RPT0001-001"})

    # 品保: 1 of 1 name; 行銷: 生產排程知識 of its three names. Drafts are not listed.
    assert [(f.standard.code, f.covered, f.total) for f in fits] == [
        ("QUA0001-001v1", 1, 1),
        ("OTH0001-001v1", 1, 3),
    ]
    assert fits[1].missing == ["行銷企劃知識", "簡報技巧"]


def test_a_merge_by_hr_counts_two_names_as_one(team, alice):
    item_names_merge(
        kind="knowledge", keys=[match_key("行銷企劃知識")], into=match_key("品質管理知識")
    )

    fits = {f.standard.code: f for f in standards_covered(alice, exclude_families=set())}

    assert (fits["OTH0001-001v1"].covered, fits["OTH0001-001v1"].total) == (2, 3)
    assert fits["OTH0001-001v1"].missing == ["簡報技巧"]


def test_merging_into_a_merged_name_follows_it(team):
    from standards.models import ItemNameMatch

    item_names_merge(kind="skill", keys=["b"], into="a")
    item_names_merge(kind="skill", keys=["c"], into="b")
    item_names_merge(kind="skill", keys=["a"], into="d")

    assert dict(ItemNameMatch.objects.values_list("key", "same_as")) == {
        "a": "d",
        "b": "d",
        "c": "d",
    }


def test_who_covers_a_standard_best(team, alice, bob, erin):
    from assessments.models import Employee

    other = Standard.objects.get(code="OTH0001-001v1")

    total, people = people_covering(other, Employee.objects.all())

    assert total == 3
    assert sorted((p.employee.name, p.covered) for p in people) == [("林鮑伯", 1), ("王愛麗", 1)]


def test_the_persons_page_lists_the_fits_and_explains_them(client, team, alice):
    client.force_login(alice.user)

    response = client.get(reverse("assessments:role_fit", args=[team.alice.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-standard="QUA0001-001v1"' in page and "100%" in page and "33%" in page


def test_a_manager_finds_who_in_their_team_covers_a_standard(client, team, carol):
    client.force_login(carol.user)

    response = client.get(reverse("reports:role_fit"), {"standard": "OTH0001-001v1"})

    page = response.content.decode()
    assert 'data-person="E001"' in page and 'data-person="E002"' in page
    assert "李艾琳" not in page


def test_another_managers_team_is_out_of_reach(client, team, dave):
    client.force_login(dave.user)

    response = client.get(reverse("reports:role_fit"), {"standard": "OTH0001-001v1"})

    assert response.context["people"] == []


@pytest.mark.parametrize("code", ["DRF0001-001v1", "NOPE", "x" * 300])
def test_a_draft_or_unknown_code_gets_a_clear_message(client, team, hannah, code):
    client.force_login(hannah.user)

    response = client.get(reverse("reports:role_fit"), {"standard": code})

    assert response.status_code == 200
    assert response.context["standard"] is None
    assert response.context["form"].errors


# Who may open alice's role fit (the assessment's access rules) and the standard's
# role-fit report (the reports' rules).
PERSON_ACCESS = {"alice": 200, "bob": 404, "carol": 200, "dave": 404, "hannah": 200}
PERSON_ACCESS |= {"stan": 404, "sophie": 200}
REPORT_ACCESS = {"alice": 404, "bob": 404, "carol": 200, "dave": 200, "hannah": 200}
REPORT_ACCESS |= {"stan": 404, "sophie": 200}


@pytest.mark.parametrize("persona", list(PERSON_ACCESS))
def test_person_access_matrix(client, team, request, persona):
    client.force_login(request.getfixturevalue(persona).user)
    response = client.get(reverse("assessments:role_fit", args=[team.alice.pk]))
    assert response.status_code == PERSON_ACCESS[persona]


@pytest.mark.parametrize("persona", list(REPORT_ACCESS))
def test_report_access_matrix(client, team, request, persona):
    client.force_login(request.getfixturevalue(persona).user)
    response = client.get(reverse("reports:role_fit"), {"standard": "OTH0001-001v1"})
    assert response.status_code == REPORT_ACCESS[persona]


def test_anonymous_visitors_are_sent_to_log_in(client, team):
    for url in [reverse("assessments:role_fit", args=[team.alice.pk]), reverse("reports:role_fit")]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_draft_assessment_has_no_role_fit(client, team, alice):
    draft = team.alice
    draft.stage = draft.Stage.DRAFT
    draft.save()
    client.force_login(alice.user)
    assert client.get(reverse("assessments:role_fit", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize("extra", [0, 3])
def test_role_fit_queries_do_not_grow_with_the_catalogue(
    client, team, alice, extra, django_assert_num_queries
):
    for index in range(extra):
        small_standard(
            f"EXT{index:04}-001v1",
            levels=[[2]],
            knowledge={"K01": "品質管理知識"},
            needs={"T1.1": ["K01"]},
        )
    client.force_login(alice.user)
    # session, user, the employee with whether the login holds HR's permission, her
    # (empty) reporting tree; the assessment; the families she was assessed on; what she
    # covers, the standards' names she covers and their names in all (two queries each,
    # one per kind); the listed standards; what they miss (two).
    with django_assert_num_queries(15):
        assert client.get(reverse("assessments:role_fit", args=[team.alice.pk])).status_code == 200


def test_hr_merges_names_from_the_admins_item_list_into_the_most_shared(client, team, hannah):
    from standards.models import ItemNameMatch, KnowledgeItem

    # 品質管理知識 is held by two items (the report standard and 品保), 行銷企劃知識 by one.
    first = KnowledgeItem.objects.get(standard__code="QUA0001-001v1", code="K01")
    other = KnowledgeItem.objects.get(standard__code="OTH0001-001v1", code="K02")
    client.force_login(hannah.user)

    response = client.post(
        reverse("admin:standards_knowledgeitem_changelist"),
        {"action": "merge_names", "_selected_action": [first.pk, other.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert list(ItemNameMatch.objects.values_list("kind", "key", "same_as")) == [
        ("knowledge", match_key("行銷企劃知識"), match_key("品質管理知識"))
    ]


def test_a_staff_account_without_permissions_cannot_merge(client, team, stan):
    from standards.models import ItemNameMatch, KnowledgeItem

    ids = list(KnowledgeItem.objects.values_list("pk", flat=True)[:2])
    client.force_login(stan.user)

    client.post(
        reverse("admin:standards_knowledgeitem_changelist"),
        {"action": "merge_names", "_selected_action": ids},
    )

    assert ItemNameMatch.objects.count() == 0


@pytest.mark.parametrize("extra", [0, 3])
def test_standard_fit_queries_do_not_grow_with_the_team(
    client, team, carol, production, extra, django_assert_num_queries
):
    from tests.conftest import make_employee
    from tests.reports.conftest import submitted

    for index in range(extra):
        person = make_employee(f"x{index}", f"X{index:03}", f"員工{index}", production, carol)
        submitted(person, team.standard, team.cycle, [3, 4, 2])
    client.force_login(carol.user)
    # Four for the viewer's scope (see tests/reports/test_queries.py); the standard;
    # its names (two kinds); who covers them (two kinds); the people listed.
    with django_assert_num_queries(4 + 6):
        response = client.get(reverse("reports:role_fit"), {"standard": "OTH0001-001v1"})
        assert response.status_code == 200
