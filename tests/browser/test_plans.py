"""An employee and their manager build, approve and follow a development plan in a real
browser, starting from the result page and the manager's gap report."""

import pytest
from django.core.management import call_command
from django.db.models import F
from playwright.sync_api import expect

from assessments.models import Assessment
from plans.models import PlanItem
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo1234")
    page.click("form.stacked-form button[type=submit]")


def test_employee_and_manager_agree_approve_and_follow_a_plan(page):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assessment = Assessment.objects.get(employee__user__username="employee1")
    short = assessment.ratings.filter(self_level__lt=F("required_level")).order_by("order").first()

    log_in(page, "employee1")
    page.goto(f"/assessments/{assessment.pk}/result/")
    page.locator(".plan-link").get_by_role("link", name="發展計畫").click()
    expect(page.locator("h1")).to_have_text("發展計畫")
    page.select_option("#id_rating", str(short.pk))
    page.select_option("#id_action", "course")
    page.fill("#id_description", "參加排程實務課程")
    page.fill("#id_due_on", "2026-12-31")
    page.click("#plan-add-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("已將項目加入計畫")
    expect(page.locator("#plan-item-table tbody tr")).to_have_count(1)
    page.fill("textarea[name=text]", "我想先上這門課")
    page.get_by_role("button", name="送出留言").click()
    expect(page.locator(".plan-comment")).to_contain_text("我想先上這門課")
    expect(page.get_by_role("button", name="核准計畫")).to_have_count(0)

    log_in(page, "manager")
    page.goto(f"/reports/assessments/{assessment.pk}/")
    page.locator(".plan-link").get_by_role("link", name="發展計畫").click()
    page.get_by_role("button", name="核准計畫").click()
    expect(page.locator("#plan-approval")).to_contain_text("核准")
    screenshot(page, "development-plan")

    log_in(page, "employee1")
    page.goto(f"/plans/{assessment.pk}/")
    row = page.locator("#plan-item-table tbody tr").first
    row.locator("select[name=status]").select_option("done")
    row.get_by_role("button", name="更新").click()
    expect(page.locator("#plan-change-list li")).to_have_count(1)
    assert PlanItem.objects.get().status == PlanItem.Status.DONE
