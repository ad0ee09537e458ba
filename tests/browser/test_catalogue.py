"""The public catalogue in headless Chromium: search, read, cross-reference, switch language."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.factories import SAMPLES, sample_standard

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def library() -> None:
    for code in SAMPLES:
        sample_standard(code)


def test_a_visitor_finds_a_standard_by_a_task_word_and_follows_its_items(page, library):
    page.goto("/standards/")
    expect(page.locator("table.catalogue tbody tr")).to_have_count(len(SAMPLES))

    page.get_by_label("關鍵字").fill("庫存管理")
    page.get_by_role("button", name="搜尋").click()

    expect(page).to_have_url(re.compile(r"q=%E5%BA%AB%E5%AD%98%E7%AE%A1%E7%90%86"))
    rows = page.locator("table.catalogue tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".matches li")).to_have_count(3)
    expect(rows.first.locator(".matches")).to_contain_text("T1.1 庫存管理")
    screenshot(page, "catalogue-list")

    rows.first.get_by_role("link", name="供應鏈管理助理").click()
    expect(page).to_have_url(re.compile("/standards/KRM1324-002v1/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("KRM1324-002v1")
    screenshot(page, "standard-detail")

    page.locator("#task-T1\\.2").get_by_role("link", name=re.compile("K01")).click()
    expect(page).to_have_url(re.compile("#item-K01$"))
    item = page.locator("#item-K01")
    expect(item).to_contain_text("庫存管理理論")
    expect(item.get_by_role("link")).to_have_text(
        [re.compile("^T1.1 "), re.compile("^T1.2 "), re.compile("^T2.2 ")]
    )
    item.get_by_role("link", name=re.compile("T2.2")).click()
    expect(page).to_have_url(re.compile("#task-T2.2$"))
    expect(page.locator("#task-T2\\.2")).to_be_in_viewport()

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile("/en/standards/KRM1324-002v1/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Tasks", exact=True)).to_be_visible()
    page.get_by_role("button", name="繁體中文").click()
    expect(page).to_have_url(re.compile(r"/(?<!en/)standards/KRM1324-002v1/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant-TW")
    expect(page.get_by_role("heading", name="工作任務", exact=True)).to_be_visible()


def test_a_standard_reads_on_a_phone(phone_page, library):
    # The shortest sample (6 tasks) keeps the full-page screenshot a sensible size.
    phone_page.goto("/standards/KRM1324-002v1/")

    expect(phone_page.get_by_role("heading", level=1)).to_contain_text("供應鏈管理助理")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(phone_page, "standard-detail-phone")
