"""People and their logins: created in one step by HR, invited to choose a password,
disabled when they leave. HR never creates or changes a staff or superuser account."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.accounts import USERNAME_TAKEN, invitations_due
from assessments.models import Employee
from notifications.models import Notification

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/accounts/invitation/\S+/")


def new_person(**changes: str) -> dict[str, str]:
    return {
        "employee_number": "E500",
        "name": "新同事",
        "username": "",
        "email": "new@example.com",
        "job_title": "採購專員",
        "language": "zh-hant",
    } | changes


def test_hr_creates_a_person_with_their_login_in_one_step(client, hannah, carol, production):
    client.force_login(hannah.user)

    response = client.post(
        reverse("admin:assessments_employee_add"),
        new_person(department=str(production.pk), manager=str(carol.pk)),
    )

    assert response.status_code == 302
    person = Employee.objects.select_related("user").get(employee_number="E500")
    assert (person.name, person.job_title, person.manager, person.department) == (
        "新同事",
        "採購專員",
        carol,
        production,
    )
    # The username defaults to the employee number; no password until the invitation.
    assert person.user.username == "E500" and person.user.email == "new@example.com"
    assert not person.user.has_usable_password()
    assert not person.user.is_staff and not person.user.is_superuser


def test_the_username_given_is_used(client, hannah):
    client.force_login(hannah.user)

    client.post(reverse("admin:assessments_employee_add"), new_person(username="newbie"))

    assert Employee.objects.get(employee_number="E500").user.username == "newbie"


def test_a_username_already_taken_is_refused_and_nothing_is_created(client, hannah, alice):
    client.force_login(hannah.user)

    response = client.post(reverse("admin:assessments_employee_add"), new_person(username="Alice"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["username"] == [
        str(USERNAME_TAKEN % {"username": "Alice"})
    ]
    assert not Employee.objects.filter(employee_number="E500").exists()
    assert not User.objects.filter(username="E500").exists()


def test_the_add_form_offers_no_staff_or_superuser_switch(client, hannah):
    client.force_login(hannah.user)

    form = client.get(reverse("admin:assessments_employee_add")).content.decode()
    client.post(
        reverse("admin:assessments_employee_add"),
        new_person(is_staff="on", is_superuser="on", groups="1"),
    )

    assert 'name="is_staff"' not in form and 'name="is_superuser"' not in form
    user = User.objects.get(username="E500")
    assert not user.is_staff and not user.is_superuser and not user.groups.exists()


def test_staff_without_permissions_cannot_add_a_person(client, stan):
    client.force_login(stan.user)

    response = client.post(reverse("admin:assessments_employee_add"), new_person())

    assert response.status_code == 403
    assert not Employee.objects.filter(employee_number="E500").exists()


def run_action(client, action: str, *employees: Employee):
    return client.post(
        reverse("admin:assessments_employee_changelist"),
        {"action": action, "_selected_action": [str(e.pk) for e in employees]},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_hr_disables_a_leavers_login_and_keeps_their_data(client, hannah, alice, stan):
    client.force_login(hannah.user)

    response = run_action(client, "deactivate", alice, stan)

    alice.user.refresh_from_db()
    stan.user.refresh_from_db()
    assert not alice.user.is_active
    assert Employee.objects.filter(pk=alice.pk).exists()
    # A staff account is the superuser's to change, not HR's.
    assert stan.user.is_active
    assert messages_of(response) == ["已停用 1 個登入帳號。"]


def test_a_disabled_login_can_no_longer_log_in(client, alice):
    User.objects.filter(pk=alice.user_id).update(is_active=False)

    response = client.post(reverse("login"), {"username": "alice", "password": "password"})

    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_hr_enables_a_login_again(client, hannah, alice):
    User.objects.filter(pk=alice.user_id).update(is_active=False)
    client.force_login(hannah.user)

    run_action(client, "reactivate", alice)

    alice.user.refresh_from_db()
    assert alice.user.is_active


@pytest.fixture
def newcomer(production, carol) -> Employee:
    """Someone created by HR: a login without a password, an address."""
    user = User.objects.create_user("newcomer", email="newcomer@example.com")
    return Employee.objects.create(
        user=user, employee_number="E600", name="新來的", department=production, manager=carol
    )


def test_hr_invites_from_the_employee_list_and_is_told_how_many(
    client, hannah, newcomer, alice, mailoutbox
):
    client.force_login(hannah.user)

    response = run_action(client, "invite", newcomer, alice)

    [mail] = mailoutbox
    assert mail.to == ["newcomer@example.com"]
    assert LINK.search(mail.body)
    assert mail.alternatives and mail.alternatives[0][1] == "text/html"
    # alice has a password already.
    assert messages_of(response)[0] == "已寄出 1 封邀請。"
    assert "略過 1 人" in messages_of(response)[1]


def test_an_invitation_that_could_not_be_sent_is_reported(client, hannah, newcomer):
    User.objects.filter(pk=newcomer.user_id).update(email="")
    client.force_login(hannah.user)

    response = run_action(client, "invite", newcomer)

    assert any("無法寄出" in message for message in messages_of(response))


def invitation_link(mail) -> str:
    return LINK.search(mail.body)[0]


def test_the_invitation_link_sets_a_password_and_lands_on_my_assessments(
    client, hannah, newcomer, mailoutbox
):
    client.force_login(hannah.user)
    run_action(client, "invite", newcomer)
    client.logout()

    link = invitation_link(mailoutbox[0])
    form = client.get(link, follow=True)
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-long-new-secret-77", "new_password2": "a-long-new-secret-77"},
        follow=True,
    )

    assert form.context["validlink"]
    assert response.redirect_chain[-1][0] == reverse("assessments:mine")
    assert response.wsgi_request.user.username == "newcomer"
    newcomer.user.refresh_from_db()
    assert newcomer.user.check_password("a-long-new-secret-77")


def test_an_invitation_link_works_once(client, newcomer, mailoutbox):
    from assessments.accounts import invitation_send

    invitation_send(employee=newcomer)
    link = invitation_link(mailoutbox[0])
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-long-new-secret-77", "new_password2": "a-long-new-secret-77"},
    )
    client.logout()

    again = client.get(link, follow=True)

    assert not again.context["validlink"]
    assert "已失效" in again.content.decode()


def test_a_disabled_login_cannot_use_its_invitation(client, newcomer, mailoutbox):
    from assessments.accounts import invitation_send

    invitation_send(employee=newcomer)
    User.objects.filter(pk=newcomer.user_id).update(is_active=False)

    response = client.get(invitation_link(mailoutbox[0]), follow=True)

    assert not response.context["validlink"]


def test_an_invitation_in_english_links_to_the_english_pages(newcomer, mailoutbox):
    from assessments.accounts import invitation_send

    newcomer.language = "en"
    newcomer.save()
    invitation_send(employee=newcomer)

    assert mailoutbox[0].subject == "You are invited to the competency portal"
    assert "/en/accounts/invitation/" in mailoutbox[0].body


def send_invitations() -> str:
    from io import StringIO

    out = StringIO()
    call_command("send_invitations", stdout=out)
    return out.getvalue()


def test_send_invitations_invites_everyone_who_never_set_a_password_once_a_week(
    newcomer, alice, stan, mailoutbox
):
    User.objects.filter(pk=stan.user_id).update(password="!unusable")

    first = send_invitations()
    second = send_invitations()

    assert [mail.to for mail in mailoutbox] == [["newcomer@example.com"]]
    assert first.strip() == "1 invitations sent, 0 failed"
    assert second.strip() == "0 invitations sent, 0 failed"


def test_someone_invited_more_than_a_week_ago_is_invited_again(newcomer, mailoutbox):
    send_invitations()
    Notification.objects.update(sent_at=timezone.now() - datetime.timedelta(days=8))

    assert list(invitations_due()) == [newcomer]


def test_a_disabled_login_is_not_invited(newcomer):
    User.objects.filter(pk=newcomer.user_id).update(is_active=False)

    assert list(invitations_due()) == []


def test_a_failed_invitation_is_reported_and_sent_by_the_next_run(newcomer, smtp_server, settings):
    smtp_server.refuse = True
    with pytest.raises(Exception, match="could not be sent"):
        send_invitations()
    smtp_server.refuse = False

    assert send_invitations().strip() == "1 invitations sent, 0 failed"
    [message] = smtp_server.messages
    assert message["To"] == "newcomer@example.com"


PERSONAS = ["alice", "bob", "carol", "dave", "hannah", "stan", "sophie"]


@pytest.mark.parametrize("persona", [None, *PERSONAS])
def test_a_forged_invitation_link_sets_nobodys_password(client, request, newcomer, persona):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    if persona:
        client.force_login(request.getfixturevalue(persona).user)
    uid = urlsafe_base64_encode(force_bytes(newcomer.user_id))
    url = reverse("invitation", kwargs={"uidb64": uid, "token": "forged-0123456789abcdef"})

    page = client.get(url, follow=True)
    posted = client.post(
        url, {"new_password1": "a-long-new-secret-77", "new_password2": "a-long-new-secret-77"}
    )

    assert page.status_code == 200 and not page.context["validlink"]
    assert posted.status_code == 200
    newcomer.user.refresh_from_db()
    assert not newcomer.user.has_usable_password()


@pytest.mark.parametrize(("persona", "expected"), [("stan", 403), ("alice", 302)])
def test_only_hr_may_invite_or_disable(client, request, newcomer, persona, expected, mailoutbox):
    client.force_login(request.getfixturevalue(persona).user)

    for action in ("invite", "deactivate"):
        response = client.post(
            reverse("admin:assessments_employee_changelist"),
            {"action": action, "_selected_action": [str(newcomer.pk)]},
        )
        assert response.status_code == expected
    newcomer.user.refresh_from_db()
    assert newcomer.user.is_active and mailoutbox == []
