"""Drafts in a real browser: the confirmation where the employee was, the warning
before leaving unsaved answers, the confirmation before submitting, and autosave."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.models import Assessment
from tests.browser.conftest import screenshot
from tests.browser.test_self_assessment import choose_levels, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def open_form(page, username: str = "employee3") -> Assessment:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    log_in(page, username)
    page.locator("table.assessment-list a").first.click()
    expect(page.locator("fieldset.task")).to_have_count(20)
    return Assessment.objects.get(employee__user__username=username)


def test_saving_a_draft_comes_back_to_the_task_with_the_confirmation_in_view(page):
    assessment = open_form(page)
    twelfth = page.locator("fieldset.task").nth(11)
    twelfth.locator("label.level-choice").nth(2).click()
    twelfth.locator("textarea").fill("上個月完成兩次。")

    page.click("button[name=save]")

    rating = assessment.ratings.get(order=11)
    expect(page).to_have_url(f"{page.url.split('#')[0].split('?')[0]}#task-{rating.pk}")
    message = page.locator(".messages li.message.success")
    expect(message).to_be_visible()
    expect(message).to_be_in_viewport()
    expect(page.locator(f"#task-{rating.pk} > legend")).to_be_in_viewport()
    assert page.locator(".messages").get_attribute("role") == "status"
    # The legend is not hidden under the sticky message.
    legend = page.locator(f"#task-{rating.pk} > legend").bounding_box()
    box = message.bounding_box()
    assert legend["y"] >= box["y"] + box["height"] - 1
    screenshot(page, "assessment-draft-saved", full_page=False)
    rating.refresh_from_db()
    assert (rating.self_level, rating.comment) == (2, "上個月完成兩次。")


def test_leaving_with_unsaved_answers_asks_first(page):
    open_form(page)
    form_url = page.url
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    choose_levels(page, range(0, 1), lambda i: 4)

    page.click("header a.brand")

    assert dialogs == ["beforeunload"]
    assert page.url == form_url
    # Saved: leaving asks nothing.
    page.click("button[name=save]")
    expect(page.locator(".messages li.success")).to_be_visible()
    page.click("header a.brand")
    expect(page).not_to_have_url(form_url)
    assert dialogs == ["beforeunload"]


def test_submitting_asks_for_confirmation_and_going_back_submits_nothing(page):
    assessment = open_form(page)
    choose_levels(page, range(0, 20), lambda i: 3)

    page.click("button[name=submit]")

    expect(page.locator("h1")).to_contain_text("送出")
    expect(page.locator("#answers tbody tr")).to_have_count(20)
    page.click("a[data-back]")
    expect(page.locator("fieldset.task")).to_have_count(20)
    assessment.refresh_from_db()
    assert not assessment.is_submitted
    assert assessment.ratings.filter(self_level=3).count() == 20

    page.click("button[name=submit]")
    page.click("button[name=confirm]")

    expect(page.locator("figure.level-chart svg")).to_have_count(2)
    assessment.refresh_from_db()
    assert assessment.is_submitted


def test_a_draft_saves_itself_while_typing_and_a_later_save_is_not_stale(page):
    page.clock.install()
    assessment = open_form(page)
    page.locator("fieldset.task").nth(3).locator("textarea").fill("寫到一半的說明")
    status = page.locator("[data-autosave-status]")
    expect(status).to_have_text("")

    page.clock.run_for(31_000)

    expect(status).to_contain_text("自動儲存")
    assessment.refresh_from_db()
    assert assessment.version == 1
    assert assessment.ratings.get(order=3).comment == "寫到一半的說明"
    # Nothing left unsaved: leaving would not ask. Saving by hand afterwards carries the
    # version the autosave produced, so it is not refused as stale.
    choose_levels(page, range(0, 1), lambda i: 5)
    page.click("button[name=save]")
    expect(page.locator(".messages li.message.success")).to_be_visible()
    expect(page.locator(".messages li.message.error")).to_have_count(0)
    assessment.refresh_from_db()
    assert assessment.version == 2
    assert assessment.ratings.get(order=0).self_level == 5


def test_an_autosave_after_another_tab_saved_says_so_and_writes_nothing(page):
    page.clock.install()
    assessment = open_form(page)
    # Another tab saves first.
    from assessments.services import RatingInput, assessment_save

    first = assessment.ratings.get(order=0)
    assessment_save(assessment=assessment, version=0, ratings={first.pk: RatingInput(6)})
    page.locator("fieldset.task").nth(0).locator("textarea").fill("這個分頁的說明")

    page.clock.run_for(31_000)

    status = page.locator("[data-autosave-status]")
    expect(status).to_have_class("autosave-status error")
    expect(status).to_contain_text("重新載入")
    first.refresh_from_db()
    assert (first.self_level, first.comment) == (6, "")
