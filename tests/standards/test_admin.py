"""HR keeps the standards library in the admin: editing, read-only versions, rules, audit."""

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from standards.codes import TASK_CODE_PREFIX
from standards.models import Duty, Standard, Task
from tests.factories import sample_standard
from tests.standards.admin_helpers import admin_form_data, inline_prefix, staff_outside_hr

pytestmark = pytest.mark.django_db

hr_group_migration = importlib.import_module("standards.migrations.0004_hr_group")
name_match_migration = importlib.import_module("standards.migrations.0012_hr_item_name_matches")


@pytest.fixture
def draft(db) -> Standard:
    """KRM1324-002v1 imported as a draft: 3 duties, 6 tasks, 3 import warnings."""
    return sample_standard("KRM1324-002v1", publish=False)


@pytest.fixture
def hr_client(client, hannah):
    client.force_login(hannah.user)
    return client


def task_url(task: Task) -> str:
    return reverse("admin:standards_task_change", args=[task.pk])


def standard_url(standard: Standard) -> str:
    return reverse("admin:standards_standard_change", args=[standard.pk])


def first_task(standard: Standard) -> Task:
    return Task.objects.filter(duty__standard=standard).order_by("duty__order", "order").first()


def test_hr_group_holds_exactly_the_library_permissions():
    # Migration 0008 renamed ImportWarning to DocumentWarning, its permissions included;
    # 0012 lets HR review the knowledge and skill names matched across standards.
    expected = {
        codename.replace("importwarning", "documentwarning")
        for codename in hr_group_migration.hr_codenames()
    } | set(name_match_migration.CODENAMES)
    existing = set(
        Permission.objects.filter(
            content_type__app_label="standards", codename__in=expected
        ).values_list("codename", flat=True)
    )
    codenames = set(
        Group.objects.get(name="HR")
        .permissions.filter(content_type__app_label="standards")
        .values_list("codename", flat=True)
    )
    assert codenames == existing == expected
    assert {"change_task", "change_behaviourindicator", "add_standard", "view_documentwarning"} <= (
        codenames
    )
    assert {"import_standards", "export_standards", "publish_standard"} <= codenames
    assert "change_documentwarning" not in codenames
    assert not any("historical" in codename for codename in codenames)


def test_hr_changes_a_task_level_from_the_task_page(hr_client, hannah, draft):
    task = first_task(draft)
    new_level = 6 if task.level != 6 else 5
    page = hr_client.get(task_url(task))
    data = admin_form_data(page)
    data["level"] = str(new_level)

    response = hr_client.post(task_url(task), data)

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.level == new_level
    history = task.history.first()
    assert history.history_user == hannah.user
    assert history.level == new_level


def test_hr_changes_an_indicator_text_on_the_task_page(hr_client, draft):
    task = first_task(draft)
    indicator = task.indicators.order_by("order").first()
    page = hr_client.get(task_url(task))
    data = admin_form_data(page)
    prefix = inline_prefix(page, "behaviourindicator")
    data[f"{prefix}-0-text"] = "依據生產計畫安排排程"

    hr_client.post(task_url(task), data)

    indicator.refresh_from_db()
    assert indicator.text == "依據生產計畫安排排程"
    draft.refresh_from_db()
    assert "依據生產計畫安排排程" in draft.search_text


def test_standard_page_links_every_task_to_its_own_page(hr_client, draft):
    response = hr_client.get(standard_url(draft))

    content = response.content.decode()
    for task in Task.objects.filter(duty__standard=draft):
        assert task_url(task) in content
    assert response.context["has_change_permission"] is True


def test_standard_page_shows_the_import_warnings(hr_client, draft):
    response = hr_client.get(standard_url(draft))

    assert "P2.2.1 printed under T2.1 renumbered P2.1.1" in response.content.decode()


def test_published_standard_page_is_read_only(hr_client, standard):
    response = hr_client.get(standard_url(standard))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert all(
        not inline.has_add_permission and not inline.has_change_permission
        for inline in response.context["inline_admin_formsets"]
    )
    assert hr_client.post(standard_url(standard), {"name": "x"}).status_code == 403


def test_published_task_cannot_be_changed(hr_client, standard):
    task = first_task(standard)
    level = task.level

    page = hr_client.get(task_url(task))
    response = hr_client.post(task_url(task), {"level": "1" if level != 1 else "2"})

    assert page.context["has_change_permission"] is False
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.level == level


def test_level_outside_one_to_six_is_refused(hr_client, draft):
    task = first_task(draft)
    data = admin_form_data(hr_client.get(task_url(task)))
    data["level"] = "7"

    response = hr_client.post(task_url(task), data)

    assert response.status_code == 200
    assert "level" in response.context["adminform"].form.errors
    task.refresh_from_db()
    assert task.level != 7


def test_task_code_must_start_with_its_duty_code(hr_client, draft):
    task = first_task(draft)
    data = admin_form_data(hr_client.get(task_url(task)))
    data["code"] = "T9.1"

    response = hr_client.post(task_url(task), data)

    errors = response.context["adminform"].form.errors["code"]
    assert errors == [TASK_CODE_PREFIX % {"example": f"{task.duty.code}.1"}]


def test_repeated_indicator_code_saves_nothing(hr_client, draft):
    task = first_task(draft)
    indicators = list(task.indicators.order_by("order"))
    page = hr_client.get(task_url(task))
    data = admin_form_data(page)
    prefix = inline_prefix(page, "behaviourindicator")
    data["title"] = "half-saved?"
    data[f"{prefix}-1-code"] = indicators[0].code

    response = hr_client.post(task_url(task), data)

    assert response.status_code == 200
    assert response.context["errors"]
    task.refresh_from_db()
    assert task.title != "half-saved?"
    assert [i.code for i in task.indicators.order_by("order")] == [i.code for i in indicators]


def test_renaming_a_duty_cannot_strand_its_tasks(hr_client, draft):
    page = hr_client.get(standard_url(draft))
    data = admin_form_data(page)
    prefix = inline_prefix(page, "duty")
    data[f"{prefix}-0-code"] = "T9"

    response = hr_client.post(standard_url(draft), data)

    assert response.status_code == 200
    assert Duty.objects.filter(standard=draft, code="T9").count() == 0


def test_hr_creates_a_standard_from_scratch(hr_client, standard):
    page = hr_client.get(reverse("admin:standards_standard_add"))
    data = admin_form_data(page)
    data.update(
        code="ZZZ0001-001v1",
        name="測試職能基準",
        category=str(standard.category_id),
        occupation=str(standard.occupation_id),
        industry=str(standard.industry_id),
        base_level="3",
    )
    prefix = inline_prefix(page, "duty")
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-code": "T1",
            f"{prefix}-0-title": "規劃工作",
            f"{prefix}-0-order": "1",
        }
    )

    response = hr_client.post(reverse("admin:standards_standard_add"), data)

    assert response.status_code == 302
    created = Standard.objects.get(code="ZZZ0001-001v1")
    assert (created.family_code, created.version_number) == ("ZZZ0001-001", 1)
    assert created.publication == Standard.Publication.DRAFT
    duty = created.duties.get()
    task_page = hr_client.get(reverse("admin:standards_duty_change", args=[duty.pk]))
    data = admin_form_data(task_page)
    task_prefix = inline_prefix(task_page, "task")
    data.update(
        {
            f"{task_prefix}-TOTAL_FORMS": "1",
            f"{task_prefix}-0-code": "T1.1",
            f"{task_prefix}-0-title": "擬定計畫",
            f"{task_prefix}-0-level": "3",
            f"{task_prefix}-0-order": "1",
        }
    )
    hr_client.post(reverse("admin:standards_duty_change", args=[duty.pk]), data)
    assert list(Task.objects.filter(duty=duty).values_list("code", "level")) == [("T1.1", 3)]


def test_history_page_lists_who_changed_what(hr_client, hannah, draft):
    task = first_task(draft)
    data = admin_form_data(hr_client.get(task_url(task)))
    data["title"] = "新的任務名稱"
    hr_client.post(task_url(task), data)

    response = hr_client.get(reverse("admin:standards_standard_history", args=[draft.pk]))

    change = response.context["changes"][0]
    assert change.who == hannah.user
    assert [(f.old, f.new) for f in change.fields] == [(task.title, "新的任務名稱")]
    assert "新的任務名稱" in response.content.decode()


def test_history_page_lists_knowledge_taken_off_a_task(hr_client, draft):
    task = first_task(draft)
    link = task.knowledge_links.select_related("item").first()
    link.delete()

    response = hr_client.get(reverse("admin:standards_standard_history", args=[draft.pk]))

    removed = [c for c in response.context["changes"] if c.kind == "-"]
    assert [c.label for c in removed] == [f"{task.code} → {link.item.code}"]


def test_staff_outside_hr_can_look_but_not_edit_import_or_export(client, draft):
    client.force_login(staff_outside_hr())
    task = first_task(draft)

    assert client.get(task_url(task)).context["has_change_permission"] is False
    assert client.post(task_url(task), {"level": "1"}).status_code == 403
    for name in [
        "admin:standards_task_import",
        "admin:standards_task_export",
        "admin:standards_standard_import",
        "admin:standards_standard_upload",
    ]:
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("admin:standards_standard_json", args=[draft.pk])).status_code == 403


def test_lists_offer_no_bulk_delete_that_could_reach_published_rows(hr_client, standard):
    for name in ["standard", "duty", "task", "knowledgeitem", "skillitem", "attitude"]:
        response = hr_client.get(reverse(f"admin:standards_{name}_changelist"))
        assert response.status_code == 200
        assert 'value="delete_selected"' not in response.content.decode(), name


def test_search_finds_a_standard_by_task_text(hr_client, standard, draft):
    task = first_task(draft)

    response = hr_client.get(reverse("admin:standards_standard_changelist"), {"q": task.title})

    assert list(response.context["cl"].result_list) == [draft]


def test_changelist_filters_drafts(hr_client, standard, draft):
    response = hr_client.get(
        reverse("admin:standards_standard_changelist"), {"publication__exact": "draft"}
    )

    assert list(response.context["cl"].result_list) == [draft]


def test_task_page_offers_only_the_task_standards_knowledge_items(hr_client, standard, draft):
    task = first_task(draft)

    response = hr_client.get(task_url(task))

    prefix = inline_prefix(response, "taskknowledge")
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    )
    offered = {value for value, _ in formset.empty_form.fields["item"].widget.choices if value}
    assert offered == set(draft.knowledge_items.values_list("pk", flat=True))


@pytest.mark.parametrize("link", ["taskknowledge", "taskskill"])
def test_an_item_of_another_standard_is_refused_on_the_task_page(hr_client, standard, draft, link):
    task = first_task(draft)
    page = hr_client.get(task_url(task))
    data = admin_form_data(page)
    prefix = inline_prefix(page, link)
    item_list = standard.knowledge_items if link == "taskknowledge" else standard.skill_items
    foreign = item_list.first()
    before = sorted(getattr(task, f"{link[4:]}_links").values_list("item_id", flat=True))
    data[f"{prefix}-0-item"] = str(foreign.pk)

    response = hr_client.post(task_url(task), data)

    assert response.status_code == 200
    inlines = response.context["inline_admin_formsets"]
    (formset,) = [inline.formset for inline in inlines if inline.formset.prefix == prefix]
    assert formset.forms[0].errors["item"]
    assert sorted(getattr(task, f"{link[4:]}_links").values_list("item_id", flat=True)) == before


@pytest.mark.parametrize("links", [0, 5])
def test_task_page_query_count_does_not_grow_with_its_links(
    hr_client, django_assert_num_queries, draft, links
):
    task = first_task(draft)
    task.knowledge_links.all().delete()
    for order, item in enumerate(draft.knowledge_items.order_by("order")[:links]):
        task.knowledge_links.create(item=item, order=order)
    ContentType.objects.clear_cache()
    # session, user, task with duty and standard, the user's permissions (user, group);
    # the standard's knowledge and skill items (the selects, once each); inline
    # querysets: indicators, outputs, knowledge links, skill links (with task and item);
    # the task's content type; the duties of the standard
    with django_assert_num_queries(13):
        hr_client.get(task_url(task))


@pytest.mark.parametrize("extra", [0, 3])
def test_standard_changelist_query_count(hr_client, django_assert_num_queries, extra, standard):
    for code in ["BGM1219-002v2", "BHR1212-001v2", "KRM1324-002v1"][:extra]:
        sample_standard(code)
    # session, user, the user's permissions (user, group), the filters' choices: category,
    # occupation, industry; count (filtered), count (all), page of standards with
    # occupation, the base level filter's values
    with django_assert_num_queries(11):
        hr_client.get(reverse("admin:standards_standard_changelist"))


@pytest.mark.parametrize("code", ["KRM1324-002v1", "AVA4322-001v4"])
def test_standard_page_query_count_does_not_grow_with_the_document(
    hr_client, django_assert_num_queries, code
):
    draft = sample_standard(code, publish=False)
    ContentType.objects.clear_cache()
    # session, user, standard, the user's permissions (user, group); inline querysets:
    # warnings, duties, knowledge, skills, attitudes, notes, version records; the
    # standard's content type; superseded_by; the autocomplete selections: category,
    # occupation, industry; the document: duties, tasks, outputs, indicators, knowledge
    # links with items, skill links with items
    with django_assert_num_queries(23):
        hr_client.get(standard_url(draft))


@pytest.mark.parametrize("code", ["KRM1324-002v1", "AVA4322-001v4"])
def test_task_changelist_query_count(hr_client, django_assert_num_queries, code):
    sample_standard(code)
    # session, user, the user's permissions (user, group), the category filter's choices,
    # count (filtered), count (all), page of tasks with duty and standard, the level
    # filter's values
    with django_assert_num_queries(9):
        hr_client.get(reverse("admin:standards_task_changelist"))


@pytest.mark.parametrize("edits", [1, 4])
def test_history_page_query_count(hr_client, django_assert_num_queries, draft, edits):
    task = first_task(draft)
    for number in range(edits):
        data = admin_form_data(hr_client.get(task_url(task)))
        data["title"] = f"第 {number} 次修改"
        hr_client.post(task_url(task), data)
    # session, user, standard, the user's permissions (user, group), the historical
    # records of: the standard, duties, tasks, outputs, indicators, task-knowledge and
    # task-skill links (with task and item), knowledge, skills, attitudes, notes (each
    # with its user)
    with django_assert_num_queries(16):
        hr_client.get(reverse("admin:standards_standard_history", args=[draft.pk]))
