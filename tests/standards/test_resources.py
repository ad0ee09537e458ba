"""Bulk import and export with django-import-export: natural keys, rollback, safe cells."""

import io
import zipfile

import openpyxl
import pytest
import tablib
from django.contrib.auth.models import Permission, User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common import spreadsheets
from common.spreadsheets import (
    FORMULA_TRIGGERS,
    XLSX_TOO_BIG,
    SafeCSV,
    SafeJSON,
    SafeXLSX,
    check_xlsx_archive,
)
from standards.codes import code_error
from standards.models import JobCategory, KnowledgeItem, Standard, Task, TaskKnowledge
from standards.resources import KnowledgeItemResource, StandardResource, TaskResource
from tests.factories import sample_standard
from tests.standards.admin_helpers import staff_outside_hr

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(db) -> Standard:
    return sample_standard("KRM1324-002v1", publish=False)


@pytest.fixture
def hr_client(client, hannah):
    client.force_login(hannah.user)
    return client


def first_task(standard: Standard) -> Task:
    return Task.objects.filter(duty__standard=standard).order_by("duty__order", "order").first()


def tasks_dataset(standard: Standard) -> tablib.Dataset:
    return TaskResource().export(Task.objects.filter(duty__standard=standard))


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_csv_export_writes_formula_triggers_as_text(draft, trigger):
    task = first_task(draft)
    Task.objects.filter(pk=task.pk).update(title=f"{trigger}SUM(A1:A9)")

    exported = SafeCSV().export_data(tasks_dataset(draft))

    row = tablib.Dataset().load(exported, format="csv").dict[0]
    assert row["title"] == f"'{trigger}SUM(A1:A9)"


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_xlsx_export_writes_formula_triggers_as_text(draft, trigger):
    task = first_task(draft)
    Task.objects.filter(pk=task.pk).update(title=f"{trigger}SUM(A1:A9)")

    exported = SafeXLSX().export_data(tasks_dataset(draft))

    sheet = openpyxl.load_workbook(io.BytesIO(exported)).active
    column = [cell.value for cell in sheet[1]].index("title") + 1
    cell = sheet.cell(row=2, column=column)
    # XML turns a stored carriage return into a line feed; the apostrophe is what counts.
    assert cell.data_type == "s"
    assert (cell.value[0], cell.value[2:]) == ("'", "SUM(A1:A9)")


def test_json_export_keeps_the_text_as_it_is(draft):
    task = first_task(draft)
    Task.objects.filter(pk=task.pk).update(title="=SUM(A1:A9)")

    exported = SafeJSON().export_data(tasks_dataset(draft))

    assert '"=SUM(A1:A9)"' in exported


def test_reimporting_an_escaped_csv_restores_the_text(draft):
    task = first_task(draft)
    Task.objects.filter(pk=task.pk).update(title="-負責人")
    exported = SafeCSV().export_data(tasks_dataset(draft))

    result = TaskResource().import_data(SafeCSV().create_dataset(exported), dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == Task.objects.filter(duty__standard=draft).count()
    task.refresh_from_db()
    assert task.title == "-負責人"


def test_task_export_holds_duty_level_and_linked_codes(draft):
    task = first_task(draft)

    row = tasks_dataset(draft).dict[0]

    assert row["standard"] == "KRM1324-002v1"
    assert (row["duty"], row["code"], row["level"]) == (task.duty.code, task.code, str(task.level))
    assert row["knowledge"] == ", ".join(link.item.code for link in task.knowledge_links.all())
    assert row["skills"] == ", ".join(link.item.code for link in task.skill_links.all())


def test_reimport_updates_by_natural_key_instead_of_duplicating(draft):
    dataset = tasks_dataset(draft)
    count = Task.objects.count()
    row = dataset.dict[0]
    new_level = 6 if row["level"] != 6 else 5
    dataset[0] = tuple(new_level if h == "level" else row[h] for h in dataset.headers)

    result = TaskResource().import_data(dataset, dry_run=False)

    assert (result.totals["update"], result.totals["skip"]) == (1, count - 1)
    assert Task.objects.count() == count
    assert Task.objects.get(duty__standard=draft, code=row["code"]).level == new_level


def test_task_import_keeps_the_public_search_right(draft):
    dataset = tasks_dataset(draft)
    row = dataset.dict[0]
    dataset[0] = tuple(("跨部門協調會議" if h == "title" else row[h]) for h in dataset.headers)

    TaskResource().import_data(dataset, dry_run=False)

    draft.refresh_from_db()
    assert "跨部門協調會議" in draft.search_text


def test_task_import_relinks_knowledge_by_code(draft):
    task = first_task(draft)
    codes = list(draft.knowledge_items.order_by("order").values_list("code", flat=True))[-2:]
    dataset = tasks_dataset(draft)
    row = dataset.dict[0]
    dataset[0] = tuple(", ".join(codes) if h == "knowledge" else row[h] for h in dataset.headers)

    TaskResource().import_data(dataset, dry_run=False)

    assert [link.item.code for link in task.knowledge_links.order_by("order")] == codes


def test_one_invalid_row_writes_nothing(draft):
    dataset = tasks_dataset(draft)
    first, second = dataset.dict[0], dataset.dict[1]
    dataset[0] = tuple(("新任務名稱" if h == "title" else first[h]) for h in dataset.headers)
    dataset[1] = tuple((9 if h == "level" else second[h]) for h in dataset.headers)

    result = TaskResource().import_data(
        dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
    )

    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [2]
    assert not Task.objects.filter(title="新任務名稱").exists()


def test_rows_of_a_published_standard_are_refused_unless_unchanged(standard):
    dataset = tasks_dataset(standard)
    unchanged = TaskResource().import_data(dataset, dry_run=True)
    row = dataset.dict[0]
    dataset[0] = tuple(("改過" if h == "title" else row[h]) for h in dataset.headers)

    changed = TaskResource().import_data(dataset, dry_run=True)

    assert unchanged.totals["skip"] == len(dataset) and not unchanged.has_validation_errors()
    assert [row.number for row in changed.invalid_rows] == [1]
    assert "AVA4322-001v4" in str(changed.invalid_rows[0].error_dict)


def test_task_code_must_start_with_its_duty_code_on_import(draft):
    dataset = tasks_dataset(draft)
    row = dataset.dict[0]
    dataset[0] = tuple(("T9.9" if h == "code" else row[h]) for h in dataset.headers)

    result = TaskResource().import_data(dataset, dry_run=True)

    assert [row.number for row in result.invalid_rows] == [1]
    assert "code" in result.invalid_rows[0].field_specific_errors


def test_knowledge_item_import_adds_to_a_draft(draft):
    dataset = tablib.Dataset(headers=["standard", "code", "name", "description", "order"])
    dataset.append(["KRM1324-002v1", "K99", "新知識", "", 99])

    result = KnowledgeItemResource().import_data(dataset, dry_run=False)

    assert result.totals["new"] == 1
    assert KnowledgeItem.objects.get(standard=draft, code="K99").name == "新知識"


def test_standards_list_reimports_unchanged(standard, draft):
    exported = SafeCSV().export_data(StandardResource().export(Standard.objects.all()))

    result = StandardResource().import_data(SafeCSV().create_dataset(exported), dry_run=True)

    assert result.totals["skip"] == 2
    assert not result.has_errors() and not result.has_validation_errors()


def test_admin_import_previews_then_confirms(hr_client, draft):
    dataset = tasks_dataset(draft)
    row = dataset.dict[0]
    dataset[0] = tuple(("預覽後才寫入" if h == "title" else row[h]) for h in dataset.headers)
    upload = SimpleUploadedFile("tasks.csv", SafeCSV().export_data(dataset).encode())

    preview = hr_client.post(
        reverse("admin:standards_task_import"),
        {"resource": "0", "format": "0", "import_file": upload},
    )
    assert preview.context["result"].totals["update"] == 1
    assert not Task.objects.filter(title="預覽後才寫入").exists()

    confirm = preview.context["confirm_form"]
    hr_client.post(reverse("admin:standards_task_process_import"), confirm.initial)
    assert Task.objects.filter(title="預覽後才寫入").count() == 1


def test_admin_import_with_a_bad_row_shows_it_and_offers_no_confirmation(hr_client, draft):
    dataset = tasks_dataset(draft)
    row = dataset.dict[1]
    dataset[1] = tuple((0 if h == "level" else row[h]) for h in dataset.headers)
    upload = SimpleUploadedFile("tasks.csv", SafeCSV().export_data(dataset).encode())

    preview = hr_client.post(
        reverse("admin:standards_task_import"),
        {"resource": "0", "format": "0", "import_file": upload},
    )

    assert [r.number for r in preview.context["result"].invalid_rows] == [2]
    assert "confirm_form" not in preview.context


def test_admin_exports_tasks_as_xlsx(hr_client, draft):
    form = hr_client.get(reverse("admin:standards_task_export")).context["form"]
    data = {"format": "1", "resource": "0"}
    data.update({name: "on" for name in form.fields if name.startswith("taskresource_")})

    response = hr_client.post(reverse("admin:standards_task_export"), data)

    assert response["Content-Type"] == SafeXLSX.CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]][:6] == [
        "standard",
        "duty",
        "duty_title",
        "code",
        "title",
        "level",
    ]
    assert sheet.max_row == Task.objects.count() + 1


def zip_of(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * size)
    return buffer.getvalue()


def test_xlsx_zip_bomb_is_refused():
    with pytest.raises(ValidationError) as error:
        check_xlsx_archive(zip_of(5 * 1024 * 1024))

    assert error.value.messages == [str(XLSX_TOO_BIG)]


def test_admin_import_refuses_a_zip_bomb(hr_client, draft):
    upload = SimpleUploadedFile("tasks.xlsx", zip_of(5 * 1024 * 1024))

    response = hr_client.post(
        reverse("admin:standards_task_import"),
        {"resource": "0", "format": "1", "import_file": upload},
    )

    assert response.context["form"].errors["import_file"] == [str(XLSX_TOO_BIG)]


def test_xlsx_import_parses_with_defusedxml_only(draft, monkeypatch):
    exported = SafeXLSX().export_data(tasks_dataset(draft))
    assert len(SafeXLSX().create_dataset(exported)) == 6

    monkeypatch.setattr(spreadsheets.openpyxl_xml, "DEFUSEDXML", False)
    with pytest.raises(ValidationError):
        SafeXLSX().create_dataset(exported)


def test_admin_import_reads_an_exported_xlsx(hr_client, draft):
    upload = SimpleUploadedFile("tasks.xlsx", SafeXLSX().export_data(tasks_dataset(draft)))

    preview = hr_client.post(
        reverse("admin:standards_task_import"),
        {"resource": "0", "format": "1", "import_file": upload},
    )

    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == Task.objects.filter(duty__standard=draft).count()


def test_import_and_export_need_their_own_permissions(client, draft):
    user = staff_outside_hr()
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_task", "change_task"]))
    client.force_login(User.objects.get(pk=user.pk))

    assert client.get(reverse("admin:standards_task_import")).status_code == 403
    assert client.get(reverse("admin:standards_task_export")).status_code == 403
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["import_standards", "export_standards"])
    )
    client.force_login(User.objects.get(pk=user.pk))
    assert client.get(reverse("admin:standards_task_import")).status_code == 200
    assert client.get(reverse("admin:standards_task_export")).status_code == 200


@pytest.mark.parametrize("bad", ["K/1", "K0\n1"])
def test_a_knowledge_code_a_code_may_not_be_is_refused_on_import(draft, bad):
    dataset = tablib.Dataset(headers=["standard", "code", "name", "description", "order"])
    dataset.append(["KRM1324-002v1", bad, "新知識", "", 99])

    result = KnowledgeItemResource().import_data(dataset, dry_run=False)

    assert [row.number for row in result.invalid_rows] == [1]
    assert result.invalid_rows[0].field_specific_errors["code"] == [code_error(bad)]
    assert not KnowledgeItem.objects.filter(standard=draft, name="新知識").exists()


def test_a_standard_code_with_a_slash_is_refused_on_import(draft):
    dataset = StandardResource().export(Standard.objects.filter(pk=draft.pk))
    row = dataset.dict[0]
    dataset[0] = tuple(("KRM/1324-002v1" if h == "code" else row[h]) for h in dataset.headers)

    result = StandardResource().import_data(dataset, dry_run=True)

    assert result.invalid_rows[0].field_specific_errors["code"] == [code_error("KRM/1324-002v1")]


def test_task_links_written_by_an_import_are_in_the_history(draft):
    task = first_task(draft)
    codes = list(draft.knowledge_items.order_by("order").values_list("code", flat=True))[-2:]
    dataset = tasks_dataset(draft)
    row = dataset.dict[0]
    dataset[0] = tuple((", ".join(codes) if h == "knowledge" else row[h]) for h in dataset.headers)

    TaskResource().import_data(dataset, dry_run=False)

    links = TaskKnowledge.objects.filter(task=task)
    created = TaskKnowledge.history.filter(task=task, history_type="+")
    assert set(created.values_list("id", flat=True)) >= set(links.values_list("pk", flat=True))


def test_a_job_category_chosen_in_the_standards_sheet_is_printed_with_its_own_name(draft):
    draft.category_name = "文件上印的舊名稱"
    draft.save()
    dataset = StandardResource().export(Standard.objects.filter(pk=draft.pk))
    unchanged = StandardResource().import_data(dataset, dry_run=False)
    assert not unchanged.has_errors()
    assert Standard.objects.get(pk=draft.pk).printed_category.name == "文件上印的舊名稱"

    dataset = StandardResource().export(Standard.objects.filter(pk=draft.pk))
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    JobCategory.objects.create(code="ZZZ9", name="其他職類")
    row.update(category_code="ZZZ9", category_name="表上另寫的名稱")
    dataset = tablib.Dataset(list(row.values()), headers=list(row))
    result = StandardResource().import_data(dataset, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    printed = Standard.objects.get(pk=draft.pk).printed_category
    assert printed == ("ZZZ9", "其他職類")
