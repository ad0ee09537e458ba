"""The first day of a new person, in headless Chromium: HR creates them with their login
and invites them; the link from the e-mail sets a password and lands on My assessments."""

import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from playwright.sync_api import expect

from assessments.models import Employee
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo1234"
LINK = re.compile(r"https?://\S+/accounts/invitation/\S+/")


@pytest.fixture
def hr_user() -> User:
    """HR: staff in the HR group, allowed to add and change employees."""
    group, _ = Group.objects.get_or_create(name="HR")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="assessments",
            codename__in=["add_employee", "change_employee", "view_employee"],
        )
    )
    user = User.objects.create_user("hr", password=PASSWORD, is_staff=True)
    user.groups.add(group)
    return user


def test_hr_invites_a_new_person_who_sets_a_password_and_lands_on_my_assessments(
    page, browser, live_server, hr_user, mailoutbox, settings
):
    settings.PORTAL_URL = live_server.url
    page.goto("/admin/login/?next=/admin/assessments/employee/add/")
    page.fill("#id_username", "hr")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    # One form: the person and their login.
    page.fill("#id_employee_number", "E700")
    page.fill("#id_name", "陳新人")
    page.fill("#id_email", "newcomer@example.com")
    page.click("input[name=_save]")
    expect(page.locator("ul.messagelist")).to_be_visible()
    employee = Employee.objects.select_related("user").get(employee_number="E700")
    assert employee.user.username == "E700" and not employee.user.has_usable_password()

    # Invite from the employee list.
    page.locator(f"input[name=_selected_action][value='{employee.pk}']").check()
    page.select_option("select[name=action]", "invite")
    page.click("button[name=index]")
    expect(page.locator("ul.messagelist")).to_contain_text("已寄出 1 封邀請")
    [mail] = mailoutbox
    link = LINK.search(mail.body)[0]

    # The newcomer, in their own browser, opens the link from the e-mail.
    context = browser.new_context(locale="zh-TW")
    newcomer = context.new_page()
    newcomer.goto(link)
    expect(newcomer.locator("h1")).to_have_text("設定您的密碼")
    screenshot(newcomer, "invitation")
    newcomer.fill("#id_new_password1", "a-long-new-secret-77")
    newcomer.fill("#id_new_password2", "a-long-new-secret-77")
    newcomer.click("form.stacked-form button[type=submit]")
    expect(newcomer).to_have_url(re.compile(r"/assessments/$"))
    expect(newcomer.locator("h1")).to_have_text("我的自評")
    context.close()

    employee.user.refresh_from_db()
    assert employee.user.check_password("a-long-new-secret-77")
