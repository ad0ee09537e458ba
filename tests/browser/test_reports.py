"""The demo manager reviews an employee and opens the team reports in a real browser."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.models import Assessment, Employee, ManagerReview
from assessments.services import RatingInput, assessment_save, assessments_assign
from standards.levels import HIGHEST
from tests.browser.conftest import screenshot
from tests.conftest import make_employee

pytestmark = pytest.mark.django_db(transaction=True)

# Own level relative to the required level, per extra team member, repeating over tasks.
OFFSETS = [[0, -1, 1, 0], [-2, -1, 0, 0], [1, 0, 0, -3], [0, 0, -1, -1], [-1, -2, -3, 0]]


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo1234")
    page.click("form.stacked-form button[type=submit]")


def grow_the_demo_team() -> None:
    """Five more submitted assessments in the demo cycle, so the heatmap has some rows."""
    manager = Employee.objects.get(user__username="manager")
    demo = Assessment.objects.get(employee__user__username="employee1")
    names = ["周怡婷", "吳建宏", "蔡佩珊", "鄭宇軒", "謝雅雯"]
    people = [
        make_employee(f"member{i}", f"E1{i:02}", name, manager.department, manager)
        for i, name in enumerate(names)
    ]
    assessments_assign(cycle=demo.cycle, standard=demo.standard, employees=people)
    for person, offsets in zip(people, OFFSETS, strict=True):
        assessment = Assessment.objects.get(employee=person)
        ratings = assessment.ratings.order_by("order")
        answers = {
            r.pk: RatingInput(self_level=max(0, min(HIGHEST, r.required_level + offsets[i % 4])))
            for i, r in enumerate(ratings)
        }
        assessment_save(assessment=assessment, version=0, ratings=answers, submit=True)


def test_the_demo_manager_reviews_an_employee_and_opens_the_team_reports(page):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    grow_the_demo_team()
    log_in(page, "manager")

    page.get_by_role("link", name="團隊報表").click()
    expect(page.locator("h1")).to_contain_text("團隊總覽")
    expect(page.locator("[data-count=submitted]")).to_have_text("6")
    expect(page.locator("[data-reminder]")).to_have_count(2)
    screenshot(page, "team-dashboard")

    page.locator("#team-table tr", has_text="王小明").get_by_role("link").click()
    expect(page.locator("#person-table tbody tr")).to_have_count(20)
    review = page.locator("form.review-form")
    review.locator("select").nth(0).select_option("1")
    review.locator("select").nth(1).select_option("5")
    review.locator("input[type=text]").nth(0).fill("排程調整仍需督導。")
    review.locator("textarea").fill("整體表現穩定，請加強排程規劃。")
    review.locator("button[name=share]").click()
    expect(page.locator(".messages li.success")).to_be_visible()
    expect(page.locator("#person-table tr.differs").first).to_be_visible()
    screenshot(page, "manager-review")
    saved = ManagerReview.objects.get(assessment__employee__user__username="employee1")
    assert saved.is_shared and saved.comment == "整體表現穩定，請加強排程規劃。"
    assert sorted(saved.ratings.exclude(level=None).values_list("level", flat=True)) == [1, 5]

    page.locator(".report-tabs").get_by_role("link", name="團隊落差熱圖").click()
    expect(page.locator("#heatmap tbody tr")).to_have_count(6)
    expect(page.locator("#heatmap td.heat.short-3").first).to_be_visible()
    screenshot(page, "team-heatmap")
    # The print layout leaves out the filters, downloads and navigation.
    page.emulate_media(media="print")
    expect(page.locator(".report-filters")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("#heatmap")).to_be_visible()
    page.emulate_media(media="screen")

    with page.expect_download() as download_info:
        page.locator("a[data-export=xlsx]").click()
    data = open(download_info.value.path(), "rb").read()  # noqa: SIM115
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    # The about block (whose data, cycle, standard, when) and a blank row come first.
    rows = rows[[row[0] for row in rows].index(None) + 1 :]
    assert len(rows) == 1 + 6 + 2  # header, six people, two summary rows
    assert download_info.value.suggested_filename.startswith("heatmap-")
    assert "王小明" in [row[1] for row in rows]

    page.locator(".report-tabs").get_by_role("link", name="訓練需求").click()
    expect(page.locator("#knowledge-table tbody tr").first).to_be_visible()
    screenshot(page, "training-needs")
    page.locator("#knowledge-table tbody tr").first.get_by_role("link").click()
    expect(page.locator("#need-people tbody tr").first).to_be_visible()

    # Trends with the manager's levels where the review gives one: the reviewed
    # employee's T1.1 now counts at the manager's 1.
    page.locator(".report-tabs").get_by_role("link", name="趨勢").click()
    page.locator("select[name=levels]").select_option("reviewed")
    page.locator(".report-filters button[type=submit]").click()
    expect(page.locator(".levels-used[data-levels=reviewed]")).to_be_visible()
    expect(page.locator("figure.trend-chart circle").first).to_be_visible()
    expect(page.locator("#trend-cycles tbody tr").first).to_be_visible()
    screenshot(page, "team-trends")
