"""The demo employee attaches an evidence file to a task and deletes it again; the
manager sees the employee's evidence beside the levels."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.models import EvidenceFile
from portal.management.commands.load_demo import demo_pdf
from tests.browser.conftest import screenshot
from tests.browser.test_self_assessment import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_employee_attaches_a_file_to_a_task_and_deletes_it_after_confirming(page, tmp_path):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    record = tmp_path / "排程紀錄.pdf"
    record.write_bytes(demo_pdf("Schedule record"))
    log_in(page, "employee2")
    page.locator("table.assessment-list a").first.click()

    page.locator("[data-task-evidence]").first.get_by_role("link").click()
    form = page.locator("form.evidence-form")
    expect(form.locator("select[name=rating]")).not_to_have_value("")
    form.locator("select[name=output]").select_option(index=1)
    form.locator("input[type=file]").set_input_files(str(record))
    form.locator("button[type=submit]").click()

    expect(page.locator(".messages li.success")).to_contain_text("排程紀錄.pdf")
    listed = page.locator("#evidence-files tbody tr").first.locator("li[data-evidence]")
    expect(listed).to_contain_text("排程紀錄.pdf")
    screenshot(page, "evidence-files")
    with page.expect_download() as download:
        listed.get_by_role("link", name="排程紀錄.pdf", exact=True).click()
    assert download.value.suggested_filename == "排程紀錄.pdf"
    assert open(download.value.path(), "rb").read() == record.read_bytes()  # noqa: SIM115

    listed.locator("a.delete").click()
    expect(page.locator("h1")).to_have_text("刪除檔案")
    page.locator("form.confirm button[type=submit]").click()
    expect(page.locator(".messages li.success")).to_be_visible()
    expect(page.locator("#evidence-files li[data-evidence]")).to_have_count(0)
    assert not EvidenceFile.objects.filter(name="排程紀錄.pdf").exists()


def test_the_manager_reads_the_employees_evidence_beside_the_levels(page):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    log_in(page, "manager")
    page.get_by_role("link", name="團隊報表").click()

    page.locator("#team-table tr", has_text="王小明").get_by_role("link").click()

    evidence = page.locator("#evidence-table tbody tr").first
    expect(evidence).to_contain_text("已獨立完成多次，可提供工作紀錄。")
    expect(evidence.get_by_role("link", name="工作紀錄.pdf")).to_be_visible()
    expect(page.locator("[data-measures]")).to_contain_text("平均不足")
