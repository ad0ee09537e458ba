"""A job's page in headless Chromium: the progress bar moves while the job runs (the
page polls its status JSON) and the page shows the results once it has finished."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from jobs.models import Job, JobInput
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo1234"


def test_the_progress_bar_follows_a_running_job_then_shows_the_results(page):
    user = User.objects.create_user("hr", password=PASSWORD, is_staff=True)
    job = Job.objects.create(
        kind=Job.Kind.STANDARDS_IMPORT, started_by=user, state=Job.State.RUNNING, total=4
    )
    for position, name in enumerate(["AVA4322-001v4.pdf", "KRM1324-002v1.odt"]):
        JobInput.objects.create(job=job, position=position, name=name)
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "hr")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stacked-form button[type=submit]")

    page.goto(job.get_absolute_url())
    bar = page.locator("progress[data-job-bar]")
    expect(bar).to_have_attribute("value", "0")

    Job.objects.filter(pk=job.pk).update(done=3)
    expect(bar).to_have_js_property("value", 75)
    expect(page.locator("[data-job-steps]")).to_have_text("3 / 4")
    screenshot(page, "job-progress")

    JobInput.objects.filter(job=job, position=0).update(
        result={
            "code": "AVA4322-001v4",
            "title": "工藝產業生產管理",
            "outcome": "created",
            "warnings": [],
            "error": "",
            "error_line": 0,
        }
    )
    JobInput.objects.filter(job=job, position=1).update(
        result={
            "code": "",
            "title": "",
            "outcome": "",
            "warnings": [],
            "error": "找不到工作任務表",
            "error_line": 0,
        }
    )
    Job.objects.filter(pk=job.pk).update(
        done=4, state=Job.State.SUCCEEDED, result={"imported": 1, "failed": 1}
    )

    expect(page.get_by_text("已匯入：1。失敗（未寫入任何內容）：1。")).to_be_visible()
    expect(bar).to_have_js_property("value", 100)
    expect(page.get_by_text("找不到工作任務表")).to_be_visible()
    screenshot(page, "job-finished")
