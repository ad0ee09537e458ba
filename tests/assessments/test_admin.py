"""The organisation and assessment admins: who may import, link logins, rewrite answers.

stan is staff without any permission, hannah is HR, sophie a superuser.
"""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from assessments.models import Assessment, AssessmentReturn, EmailChange, Employee
from assessments.services import RatingInput, assessment_save
from tests.assessments.helpers import assign, ratings

pytestmark = pytest.mark.django_db

IMPORT_EXPORT_URLS = [
    "admin:assessments_employee_import",
    "admin:assessments_employee_export",
    "admin:assessments_department_import",
    "admin:assessments_department_export",
]


@pytest.mark.parametrize("name", IMPORT_EXPORT_URLS)
def test_staff_without_permissions_cannot_import_or_export_the_organisation(client, stan, name):
    client.force_login(stan.user)

    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", IMPORT_EXPORT_URLS)
def test_hr_imports_and_exports_the_organisation(client, hannah, name):
    client.force_login(hannah.user)

    assert client.get(reverse(name)).status_code == 200


def employee_post(user: User, number: str = "E500") -> dict[str, str]:
    return {"user": str(user.pk), "employee_number": number, "name": "新人", "job_title": ""}


@pytest.mark.parametrize("login", ["stan", "sophie", "alice"])
def test_hr_cannot_link_a_staff_superuser_or_taken_login_to_an_employee(
    client, hannah, stan, sophie, alice, login
):
    user = User.objects.get(username=login)
    Employee.objects.filter(user=user).exclude(employee_number="E001").delete()
    client.force_login(hannah.user)

    response = client.post(reverse("admin:assessments_employee_add"), employee_post(user))

    assert response.status_code == 200
    assert "user" in response.context["adminform"].form.errors
    assert not Employee.objects.filter(employee_number="E500").exists()


def test_hr_links_an_ordinary_login_without_an_employee(client, hannah):
    newcomer = User.objects.create_user("newcomer")
    client.force_login(hannah.user)

    response = client.post(reverse("admin:assessments_employee_add"), employee_post(newcomer))

    assert response.status_code == 302
    assert Employee.objects.get(employee_number="E500").user == newcomer


def test_hr_keeps_the_login_an_employee_already_has_even_a_staff_one(client, hannah):
    client.force_login(hannah.user)

    response = client.post(
        reverse("admin:assessments_employee_change", args=[hannah.pk]),
        employee_post(hannah.user, number="H001") | {"name": "黃漢娜（新）"},
    )

    assert response.status_code == 302
    hannah.refresh_from_db()
    assert hannah.name == "黃漢娜（新）"


def test_a_superuser_may_link_a_staff_login(client, sophie, stan):
    Employee.objects.filter(user=stan.user).delete()
    client.force_login(sophie.user)

    response = client.post(reverse("admin:assessments_employee_add"), employee_post(stan.user))

    assert response.status_code == 302


@pytest.mark.parametrize(
    "change",
    [{"is_staff": "on"}, {"is_superuser": "on"}, {"groups": "HR"}, {"user_permissions": "all"}],
    ids=["is_staff", "is_superuser", "groups", "permissions"],
)
def test_hr_cannot_raise_anyones_privileges_in_the_user_admin(client, hannah, alice, change):
    client.force_login(hannah.user)
    data = {
        "username": "alice",
        "email": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    if "groups" in change:
        data["groups"] = str(Group.objects.get(name="HR").pk)
    elif "user_permissions" in change:
        data["user_permissions"] = [
            str(pk) for pk in Permission.objects.values_list("pk", flat=True)
        ]
    else:
        data.update(change)

    for user in (alice.user, hannah.user):
        response = client.post(reverse("admin:auth_user_change", args=[user.pk]), data)
        assert response.status_code == 403

    for user in User.objects.filter(pk__in=[alice.user_id, hannah.user_id]):
        assert (user.is_superuser, user.user_permissions.exists()) == (False, False)
    assert not alice.user.groups.exists()
    assert not User.objects.get(pk=alice.user_id).is_staff


def test_hr_cannot_change_groups_or_their_permissions(client, hannah):
    group = Group.objects.get(name="HR")
    before = set(group.permissions.values_list("pk", flat=True))
    client.force_login(hannah.user)

    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {
            "name": "HR",
            "permissions": [str(pk) for pk in Permission.objects.values_list("pk", flat=True)],
        },
    )

    assert response.status_code == 403
    assert set(group.permissions.values_list("pk", flat=True)) == before
    assert client.get(reverse("admin:auth_group_add")).status_code == 403
    assert client.get(reverse("admin:auth_user_add")).status_code == 403


def test_the_hr_group_holds_no_permission_on_accounts_groups_or_permissions(hannah):
    held = Group.objects.get(name="HR").permissions.filter(content_type__app_label="auth")

    assert list(held) == []


@pytest.fixture
def submitted(small_standard, alice) -> Assessment:
    assessment = assign(small_standard, alice)
    assessment_save(
        assessment=assessment,
        version=0,
        ratings={r.pk: RatingInput(self_level=3, comment="我的證據") for r in ratings(assessment)},
        submit=True,
    )
    return assessment


def change_post(assessment: Assessment, level: int, comment: str) -> dict:
    """The admin change form of an assessment, rewriting every rating and the stage."""
    rows = ratings(assessment)
    data = {
        "employee": str(assessment.employee_id),
        "standard": str(assessment.standard_id),
        "cycle": str(assessment.cycle_id),
        "stage": "submitted",
        "submitted_at_0": "2026-01-01",
        "submitted_at_1": "00:00:00",
        "ratings-TOTAL_FORMS": str(len(rows)),
        "ratings-INITIAL_FORMS": str(len(rows)),
        "ratings-MIN_NUM_FORMS": "0",
        "ratings-MAX_NUM_FORMS": "1000",
        "returns-TOTAL_FORMS": "0",
        "returns-INITIAL_FORMS": "0",
        "returns-MIN_NUM_FORMS": "0",
        "returns-MAX_NUM_FORMS": "1000",
    }
    for index, rating in enumerate(rows):
        data[f"ratings-{index}-id"] = str(rating.pk)
        data[f"ratings-{index}-assessment"] = str(assessment.pk)
        data[f"ratings-{index}-self_level"] = str(level)
        data[f"ratings-{index}-comment"] = comment
    return data


def test_hr_cannot_rewrite_a_submitted_self_assessment_in_the_admin(client, hannah, submitted):
    client.force_login(hannah.user)

    client.post(
        reverse("admin:assessments_assessment_change", args=[submitted.pk]),
        change_post(submitted, level=0, comment="HR 改的"),
    )

    assert set(submitted.ratings.values_list("self_level", "comment")) == {(3, "我的證據")}
    before = submitted.submitted_at
    submitted.refresh_from_db()
    assert (submitted.stage, submitted.submitted_at) == (Assessment.Stage.SUBMITTED, before)


def test_a_submitted_assessment_cannot_be_deleted_in_the_admin(client, hannah, submitted):
    client.force_login(hannah.user)

    response = client.post(
        reverse("admin:assessments_assessment_delete", args=[submitted.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Assessment.objects.filter(pk=submitted.pk).exists()


def test_a_started_draft_cannot_be_deleted_in_the_admin_but_an_unstarted_one_can(
    client, hannah, small_standard, alice, bob
):
    draft = assign(small_standard, alice)
    assessment_save(
        assessment=draft, version=0, ratings={ratings(draft)[0].pk: RatingInput(self_level=1)}
    )
    pending = assign(small_standard, bob)
    client.force_login(hannah.user)

    refused = client.post(
        reverse("admin:assessments_assessment_delete", args=[draft.pk]), {"post": "yes"}
    )
    deleted = client.post(
        reverse("admin:assessments_assessment_delete", args=[pending.pk]), {"post": "yes"}
    )

    assert refused.status_code == 403
    assert Assessment.objects.filter(pk=draft.pk).exists()
    assert deleted.status_code == 302
    assert not Assessment.objects.filter(pk=pending.pk).exists()


def test_hr_returns_a_submitted_assessment_after_a_confirmation_with_a_reason(
    client, hannah, submitted
):
    client.force_login(hannah.user)
    url = reverse("admin:assessments_assessment_changelist")
    chosen = {"action": "return_to_employee", "_selected_action": [str(submitted.pk)]}

    confirmation = client.post(url, chosen | {"index": "0"})

    assert "assessments/admin_return.html" in [t.name for t in confirmation.templates]
    submitted.refresh_from_db()
    assert submitted.is_submitted

    response = client.post(
        url, chosen | {"confirm": "1", "reason": "請補上 T1.1 的證據"}, follow=True
    )

    submitted.refresh_from_db()
    assert submitted.stage == Assessment.Stage.DRAFT
    [record] = AssessmentReturn.objects.all()
    assert (record.assessment, record.returned_by, record.reason) == (
        submitted,
        hannah.user,
        "請補上 T1.1 的證據",
    )
    assert len(list(response.context["messages"])) == 1


def test_the_return_confirmation_without_a_reason_changes_nothing(client, hannah, submitted):
    client.force_login(hannah.user)
    url = reverse("admin:assessments_assessment_changelist")

    response = client.post(
        url,
        {"action": "return_to_employee", "_selected_action": [str(submitted.pk)], "confirm": "1"},
    )

    assert response.context["form"].errors
    submitted.refresh_from_db()
    assert submitted.is_submitted
    assert not AssessmentReturn.objects.exists()


def test_an_e_mail_changed_in_the_user_admin_is_recorded_with_who_changed_it(client, sophie, alice):
    client.force_login(sophie.user)

    response = client.post(
        reverse("admin:auth_user_change", args=[alice.user_id]),
        {
            "username": "alice",
            "email": "alice@example.com",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )

    assert response.status_code == 302
    [change] = EmailChange.objects.all()
    assert (change.user, change.old_email, change.new_email, change.changed_by) == (
        alice.user,
        "",
        "alice@example.com",
        sophie.user,
    )


def test_hr_reads_the_returns_on_the_assessment_and_the_e_mail_changes(client, hannah, submitted):
    from assessments.services import assessment_return

    assessment_return(assessment=submitted, by=hannah.user, reason="請補上證據")
    client.force_login(hannah.user)

    page = client.get(reverse("admin:assessments_assessment_change", args=[submitted.pk]))

    assert "請補上證據" in page.content.decode()
    assert client.get(reverse("admin:assessments_emailchange_changelist")).status_code == 200
    assert client.get(reverse("admin:assessments_emailchange_add")).status_code == 403


NEW_ADMIN_PAGES = [
    ("admin:assessments_emailchange_changelist", []),
    ("admin:assessments_assessment_changelist", []),
    ("admin:notifications_notification_changelist", []),
    ("admin:assessments_employee_add", []),
]


@pytest.mark.parametrize(("persona", "expected"), [("stan", 403), ("hannah", 200), ("sophie", 200)])
@pytest.mark.parametrize(("name", "args"), NEW_ADMIN_PAGES)
def test_the_records_of_returns_and_e_mail_changes_by_persona(
    request, client, persona, expected, name, args
):
    client.force_login(request.getfixturevalue(persona).user)

    assert client.get(reverse(name, args=args)).status_code == expected


def test_an_employee_who_is_no_staff_is_sent_to_the_admin_login(client, alice):
    client.force_login(alice.user)

    response = client.get(reverse("admin:assessments_emailchange_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response.url


@pytest.mark.parametrize(("persona", "expected"), [("stan", 403), ("erin", 302)])
def test_only_hr_may_ask_to_return_an_assessment(request, client, submitted, persona, expected):
    client.force_login(request.getfixturevalue(persona).user)

    response = client.post(
        reverse("admin:assessments_assessment_changelist"),
        {
            "action": "return_to_employee",
            "_selected_action": [str(submitted.pk)],
            "confirm": "1",
            "reason": "請補上證據",
        },
    )

    assert response.status_code == expected
    submitted.refresh_from_db()
    assert submitted.is_submitted
