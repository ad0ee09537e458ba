"""HR assigns a standard in a real browser: the HR home, a new cycle, a people search,
"already had it" on a second try, and withdrawing an assignment nobody started."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.models import Assessment, Cycle, Department
from standards.models import Standard
from tests.browser.conftest import screenshot
from tests.conftest import make_employee

pytestmark = pytest.mark.django_db(transaction=True)

BUYERS = ["周怡婷", "吳建宏", "蔡佩珊"]
# A transactional test empties the database afterwards, the HR group's permissions with
# it: the migrations that grant them run again (as in test_admin.py).
HR_GRANTS = [
    ("standards.migrations.0004_hr_group", "grant_hr_permissions"),
    ("assessments.migrations.0003_hr_permissions", "grant_hr_permissions"),
    ("assessments.migrations.0006_hr_views_returns_and_email_changes", "grant"),
]


def grant_hr_permissions() -> None:
    for module, function in HR_GRANTS:
        getattr(importlib.import_module(module), function)(apps, None)


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo1234")
    page.click("form.stacked-form button[type=submit]")


def test_hr_creates_a_cycle_assigns_a_standard_and_withdraws_one(page):
    grant_hr_permissions()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    purchasing = Department.objects.create(code="PU", name="採購部")
    for index, name in enumerate(BUYERS):
        make_employee(f"buyer{index}", f"E2{index:02}", name, purchasing, job_title="採購專員")
    standard = Standard.objects.get(code="KRM1324-002v1")

    log_in(page, "hr")
    expect(page.locator("h1")).to_have_text("人資首頁")
    expect(page.locator(".cycle-card [data-count=submitted]").first).to_have_text("1")
    expect(page.get_by_role("link", name="邀請人員")).to_be_visible()
    screenshot(page, "hr-home")

    page.locator("nav").get_by_role("link", name="評核期與指派").click()
    today = datetime.date.today()
    page.fill("input[name=name]", "2027 採購職能自評")
    page.fill("input[name=opens_on]", today.isoformat())
    page.fill("input[name=closes_on]", (today + datetime.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="建立評核期").click()
    expect(page.locator("h1")).to_have_text("2027 採購職能自評")
    cycle = Cycle.objects.get(name="2027 採購職能自評")

    # The standard starts empty; the search narrows the people to the buyers.
    expect(page.locator("select[name=standard]")).to_have_value("")
    page.fill("input[name=q]", "採購專員")
    page.get_by_role("button", name="搜尋").click()
    expect(page.locator(".people-table tbody tr")).to_have_count(3)
    page.select_option("select[name=standard]", str(standard.pk))
    page.get_by_label(BUYERS[0]).check()
    page.get_by_label(BUYERS[1]).check()
    page.get_by_role("button", name="指派", exact=True).click()
    expect(page.locator(".messages li.success")).to_have_text("KRM1324-002v1 已指派給 2 人。")
    assert Assessment.objects.filter(cycle=cycle).count() == 2

    # Again, with one more: the page says who already had it.
    page.select_option("select[name=standard]", str(standard.pk))
    for name in BUYERS:
        page.get_by_label(name).check()
    page.get_by_role("button", name="指派", exact=True).click()
    expect(page.locator(".messages li.success")).to_have_text("KRM1324-002v1 已指派給 1 人。")
    expect(page.locator(".messages li.warning")).to_contain_text("已有此項")
    expect(page.locator(".messages li.warning")).to_contain_text(BUYERS[0])
    assert Assessment.objects.filter(cycle=cycle).count() == 3
    screenshot(page, "assignment")

    # Withdraw one: a confirmation page first, then it is gone.
    page.locator("#assessments ~ table tr", has_text=BUYERS[2]).get_by_role(
        "link", name="撤回"
    ).click()
    expect(page.locator("h1")).to_have_text("撤回指派")
    page.get_by_role("button", name="撤回").click()
    expect(page.locator(".messages li.success")).to_contain_text(BUYERS[2])
    assert not Assessment.objects.filter(cycle=cycle, employee__name=BUYERS[2]).exists()
    assert Assessment.objects.filter(cycle=cycle).count() == 2
