"""The demo employee fills in and submits their self-assessment in a real browser."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.models import Assessment
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo1234")
    page.click("form.stacked-form button[type=submit]")


def full_height(page) -> None:
    """Make the viewport as tall as the page, so that the sticky progress and action bars
    sit where they belong in a full-page screenshot."""
    size = page.viewport_size
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": height})


def choose_levels(page, tasks: range, level_of) -> None:
    for index in tasks:
        task = page.locator("fieldset.task").nth(index)
        task.locator("label.level-choice").nth(level_of(index)).click()


def test_the_demo_employee_fills_in_saves_submits_and_sees_the_chart(page):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    log_in(page, "employee3")

    # Logging in lands on My assessments, with the pending demo assessment.
    expect(page.locator("h1")).to_have_count(1)
    page.locator("table.assessment-list a").first.click()
    tasks = page.locator("fieldset.task")
    expect(tasks).to_have_count(20)
    progress = page.locator("[data-progress-text]")

    choose_levels(page, range(0, 10), lambda i: 3)
    expect(page.locator("progress")).to_have_attribute("value", "10")
    page.locator("textarea").first.fill("曾獨立完成排程調整。")
    page.click("button[name=save]")

    expect(page.locator(".messages li.success")).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", "10")
    assessment = Assessment.objects.get(employee__user__username="employee3")
    assert (assessment.stage, assessment.version) == (Assessment.Stage.DRAFT, 1)

    choose_levels(page, range(10, 20), lambda i: i % 7)
    page.locator("fieldset.task").first.locator("label.check").first.click()
    expect(progress).to_contain_text("20")
    viewport = page.viewport_size
    full_height(page)
    screenshot(page, "assessment-form")
    page.set_viewport_size(viewport)

    page.click("button[name=submit]")
    # Submitting asks first; nothing is submitted until the employee confirms.
    expect(page.locator("#answers tbody tr")).to_have_count(20)
    assessment.refresh_from_db()
    assert not assessment.is_submitted
    screenshot(page, "assessment-submit-confirmation")
    page.click("button[name=confirm]")

    expect(page.locator(".messages li.success")).to_be_visible()
    expect(page.locator("figure.level-chart svg")).to_have_count(2)
    expect(page.locator("#task-chart-table tbody tr[data-task]")).to_have_count(20)
    screenshot(page, "assessment-result")
    assessment.refresh_from_db()
    assert assessment.is_submitted
    assert assessment.ratings.get(order=0).comment == "曾獨立完成排程調整。"


def test_submitting_an_unfinished_draft_on_a_phone_points_to_the_missing_tasks(phone_page):
    page = phone_page
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    log_in(page, "employee2")
    page.locator("table.assessment-list a").first.click()

    page.click("button[name=submit]")

    missing = page.locator("#missing li a")
    expect(missing).to_have_count(10)
    # Fold all duties but the first, as one would on a phone, then follow a missing link.
    for summary in page.locator("details.duty > summary").all()[1:]:
        summary.click()
    viewport = page.viewport_size
    full_height(page)
    screenshot(page, "assessment-form-phone")
    page.set_viewport_size(viewport)
    missing.last.click()
    expect(page.locator("details.duty").last).to_have_attribute("open", "")
