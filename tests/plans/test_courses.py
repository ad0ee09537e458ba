"""The course catalogue: HR imports it (our own columns or iCAP's listing), and plans and
training needs suggest the courses that serve an item."""

import io

import pytest
import tablib
from django.urls import reverse

from plans.models import Course, PlanItem
from plans.resources import CourseResource
from plans.selectors import courses_for
from tests.reports.conftest import team_once_per_module

pytestmark = pytest.mark.django_db

module_team, team, carol, alice, bob, dave, erin, hannah, production, sales = team_once_per_module()


def sheet(headers, *rows) -> tablib.Dataset:
    data = tablib.Dataset(headers=headers)
    for row in rows:
        data.append(row)
    return data


def import_courses(data: tablib.Dataset, *, dry_run: bool = False):
    return CourseResource().import_data(data, dry_run=dry_run)


def test_a_course_serves_a_standard_and_its_knowledge_and_skill_items(team):
    result = import_courses(
        sheet(
            ["課程名稱", "訓練單位", "訓練時數", "課程網址", "職能基準代碼", "知識", "技能"],
            [
                "生產排程實務",
                "生產力中心",
                "12",
                "https://example.com/c/1",
                "RPT0001-001v1",
                "K01、K02",
                "S01",
            ],
        )
    )

    assert not result.has_errors() and not result.has_validation_errors()
    course = Course.objects.get()
    assert (course.provider, course.hours, course.icap_certified) == ("生產力中心", 12, False)
    assert [s.code for s in course.standards.all()] == ["RPT0001-001v1"]
    assert sorted(k.code for k in course.knowledge_items.all()) == ["K01", "K02"]
    assert [s.code for s in course.skill_items.all()] == ["S01"]


def test_icaps_listing_is_read_by_its_own_column_names(team):
    result = import_courses(
        sheet(
            ["課程名稱", "開課單位", "時數", "網址", "對應職能基準", "iCAP 認證"],
            ["品質管理", "職訓中心", "18", "", "RPT0001-001v1", "是"],
        )
    )

    assert not result.has_errors() and not result.has_validation_errors()
    course = Course.objects.get()
    assert (course.title, course.provider, course.hours) == ("品質管理", "職訓中心", 18)
    assert course.icap_certified and course.standards.get() == team.standard


@pytest.mark.parametrize(
    "row",
    [
        ["課程甲", "", "", "", "NOPE0001-001v1", "", ""],  # unknown standard
        ["課程甲", "", "", "", "RPT0001-001v1", "K99", ""],  # unknown item
        ["課程甲", "", "", "", "", "K01", ""],  # items without their standard
        ["課程甲", "", "three", "", "", "", ""],  # hours not a number
    ],
)
def test_a_bad_row_imports_nothing(team, row):
    headers = ["課程名稱", "訓練單位", "訓練時數", "課程網址", "職能基準代碼", "知識", "技能"]
    good = ["課程乙", "", "", "", "RPT0001-001v1", "", ""]

    result = import_courses(sheet(headers, good, row))

    assert result.has_errors() or result.has_validation_errors()
    assert Course.objects.count() == 0


def test_the_export_imports_back_unchanged(team):
    import_courses(
        sheet(
            ["課程名稱", "訓練單位", "訓練時數", "職能基準代碼", "知識"],
            ["=排程", "中心", "6", "RPT0001-001v1", "K01"],
        )
    )
    exported = CourseResource().export()
    Course.objects.all().delete()

    result = import_courses(tablib.Dataset().load(exported.csv, format="csv"))

    assert not result.has_errors() and not result.has_validation_errors()
    course = Course.objects.get()
    assert course.title == "=排程" and [k.code for k in course.knowledge_items.all()] == ["K01"]


def test_the_courses_listing_an_item_come_before_those_serving_its_whole_standard(team):
    k01 = team.standard.knowledge_items.get(code="K01")
    whole = Course.objects.create(title="A 全套課程")
    whole.standards.add(team.standard)
    direct = Course.objects.create(title="Z 排程知識")
    direct.knowledge_items.add(k01)
    Course.objects.create(title="無關課程")

    assert list(courses_for(k01)) == [direct, whole]


def test_hr_imports_courses_through_the_admin(client, team, hannah):
    client.force_login(hannah.user)
    data = "課程名稱,職能基準代碼\n排程課,RPT0001-001v1\n".encode()
    upload = io.BytesIO(data)
    upload.name = "courses.csv"

    response = client.post(
        reverse("admin:plans_course_import"),
        {"resource": 0, "format": 0, "import_file": upload},
    )

    assert response.status_code == 200
    assert "排程課" in response.content.decode()
    assert Course.objects.count() == 0  # a preview, until HR confirms


def test_the_training_need_page_suggests_courses_and_the_bulk_add_can_name_one(client, team, carol):
    k01 = team.standard.knowledge_items.get(code="K01")
    course = Course.objects.create(title="排程知識速成", provider="中心")
    course.knowledge_items.add(k01)
    url = reverse("reports:training_need", args=["knowledge", k01.pk])
    client.force_login(carol.user)

    assert "排程知識速成" in client.get(url).content.decode()
    client.post(url, {"action": "course", "course": course.pk})

    assert {item.course for item in PlanItem.objects.all()} == {course}


def test_a_plan_item_can_name_a_course_of_the_standard(client, team, alice):
    course = Course.objects.create(title="排程知識速成", url="https://example.com/x")
    course.standards.add(team.standard)
    client.force_login(alice.user)

    client.post(
        reverse("plans:plan", args=[team.alice.pk]),
        {"op": "add", "action": "course", "course": course.pk, "owner": alice.pk},
    )

    assert PlanItem.objects.get().course == course
    page = client.get(reverse("plans:plan", args=[team.alice.pk])).content.decode()
    assert 'href="https://example.com/x"' in page


def test_a_course_of_another_standard_is_not_a_choice(client, team, alice):
    other = Course.objects.create(title="無關課程")
    client.force_login(alice.user)

    response = client.post(
        reverse("plans:plan", args=[team.alice.pk]),
        {"op": "add", "action": "course", "course": other.pk, "owner": alice.pk},
    )

    assert response.status_code == 200 and PlanItem.objects.count() == 0
