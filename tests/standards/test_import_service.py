"""standard_import and standard_export: storing parsed standards and reading them back."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from standards.codes import code_error, split_code, task_code_error
from standards.models import (
    PUBLISHED_READ_ONLY,
    Attitude,
    BehaviourIndicator,
    DocumentWarning,
    Duty,
    JobCategory,
    KnowledgeItem,
    Note,
    SkillItem,
    Standard,
    Task,
    TaskKnowledge,
    TaskSkill,
    WorkOutput,
)
from standards.parsing import ParsedStandard
from standards.parsing.document import ParseWarning
from standards.search import document_search_texts, refresh_search_text
from standards.services import standard_export, standard_import
from tests.factories import SAMPLES
from tests.standards.samples import (
    all_tasks,
    expected_data,
    expected_document,
    table_counts,
)

pytestmark = pytest.mark.django_db

CODED_KINDS = ["standard", "duty", "task", "knowledge", "skill", "output", "indicator"]


def task_pks(standard: Standard) -> dict[str, int]:
    return dict(Task.objects.filter(duty__standard=standard).values_list("code", "pk"))


def family_version(version: int) -> dict:
    """The BGM sample renamed into family XYZ9999-001, as version `version`."""
    data = expected_data("BGM1219-002v2")
    data["code"] = "XYZ9999-001" if version == 1 else f"XYZ9999-001v{version}"
    data["versions"] = []
    return data


@pytest.mark.parametrize("code", SAMPLES)
def test_importing_a_sample_creates_every_row_of_it(code):
    data = expected_data(code)
    tasks = all_tasks(data)

    result = standard_import(document=ParsedStandard.from_dict(data))

    standard = result.standard
    assert result.outcome == "created"
    assert standard.code == code
    assert standard.name == data["name"]
    assert standard.base_level == data["base_level"]
    assert standard.category.code == data["category"]["code"]
    assert standard.occupation.name == data["occupation"]["name"]
    assert standard.industry.code == data["industry"]["code"]
    assert standard.publication == Standard.Publication.PUBLISHED
    assert standard.status == Standard.Status.LATEST
    assert standard.duties.count() == len(data["duties"])
    assert Task.objects.filter(duty__standard=standard).count() == len(tasks)
    assert standard.knowledge_items.count() == len(data["knowledge"])
    assert standard.skill_items.count() == len(data["skills"])
    assert TaskKnowledge.objects.filter(task__duty__standard=standard).count() == sum(
        len(task["knowledge"]) for task in tasks
    )
    assert TaskSkill.objects.filter(task__duty__standard=standard).count() == sum(
        len(task["skills"]) for task in tasks
    )
    assert WorkOutput.objects.filter(task__duty__standard=standard).count() == sum(
        len(task["outputs"]) for task in tasks
    )
    assert BehaviourIndicator.objects.filter(task__duty__standard=standard).count() == sum(
        len(task["indicators"]) for task in tasks
    )
    assert standard.attitudes.count() == len(data["attitudes"])
    assert standard.notes.count() == len(data["notes"])
    assert standard.version_records.count() == len(data["versions"])


@pytest.mark.parametrize("code", SAMPLES)
def test_export_gives_back_the_imported_document_exactly(code):
    data = expected_data(code)
    standard = standard_import(document=ParsedStandard.from_dict(data)).standard

    exported = standard_export(standard=standard)

    assert exported == data
    # Same key order too, so exported files diff cleanly against the originals.
    assert json.dumps(exported, ensure_ascii=False) == json.dumps(data, ensure_ascii=False)


def test_the_version_suffix_gives_family_and_version_number():
    assert split_code("AVA4322-001v4") == ("AVA4322-001", 4)
    assert split_code("BGM1219-002") == ("BGM1219-002", 1)


def test_the_standard_takes_its_date_from_its_own_row_of_the_version_table():
    standard = standard_import(document=expected_document("AVA4322-001v4")).standard

    assert standard.family_code == "AVA4322-001"
    assert standard.version_number == 4
    assert standard.date.isoformat() == "2023-07-24"
    assert standard.version_records.get(code="AVA4322-001v1").date.isoformat() == "2014-10-02"


def test_reimporting_the_same_document_changes_nothing():
    first = standard_import(document=expected_document("AVA4322-001v4")).standard
    pks = task_pks(first)
    knowledge_pks = list(KnowledgeItem.objects.order_by("pk").values_list("pk", flat=True))
    counts = table_counts()

    result = standard_import(document=expected_document("AVA4322-001v4"))

    assert result.outcome == "unchanged"
    assert result.standard.pk == first.pk
    assert Standard.objects.get().updated_at == first.updated_at
    assert task_pks(first) == pks
    assert list(KnowledgeItem.objects.order_by("pk").values_list("pk", flat=True)) == knowledge_pks
    assert table_counts() == counts


def test_an_edited_draft_is_updated_in_place():
    original = standard_import(document=expected_document("AVA4322-001v4"), publish=False).standard
    pks = task_pks(original)
    skill_pks = dict(SkillItem.objects.values_list("code", "pk"))
    data = expected_data("AVA4322-001v4")
    t11 = data["duties"][0]["tasks"][0]
    t12 = data["duties"][0]["tasks"][1]
    t11["level"] = 6
    t12["indicators"].append({"code": "P1.2.9", "text": "能夠記錄新增的指標。"})
    removed = data["duties"][-1]["tasks"].pop()

    result = standard_import(document=ParsedStandard.from_dict(data), publish=False)

    standard = Standard.objects.get()
    assert result.outcome == "updated"
    assert standard.pk == original.pk
    assert standard.updated_at > original.updated_at
    assert Task.objects.get(code="T1.1").level == 6
    assert (
        list(BehaviourIndicator.objects.filter(task__code="T1.2").values_list("code", flat=True))[
            -1
        ]
        == "P1.2.9"
    )
    assert not Task.objects.filter(code=removed["code"]).exists()
    del pks[removed["code"]]
    assert task_pks(standard) == pks
    assert dict(SkillItem.objects.values_list("code", "pk")) == skill_pks
    assert standard_export(standard=standard) == data


def test_an_edit_that_drops_a_duty_and_a_knowledge_item_deletes_them():
    standard_import(document=expected_document("KRM1324-002v1"), publish=False)
    data = expected_data("KRM1324-002v1")
    dropped_duty = data["duties"].pop()
    still_used = {code for task in all_tasks(data) for code in task["knowledge"]}
    data["knowledge"] = [item for item in data["knowledge"] if item["code"] in still_used]

    standard_import(document=ParsedStandard.from_dict(data), publish=False)

    standard = Standard.objects.get()
    assert not standard.duties.filter(code=dropped_duty["code"]).exists()
    assert set(standard.knowledge_items.values_list("code", flat=True)) == still_used
    assert standard_export(standard=standard) == data


def test_a_renamed_job_category_is_named_as_its_newest_version_and_each_keeps_its_own():
    standard_import(document=expected_document("BGM1219-002v2"))  # dated 2018-12-21
    data = expected_data("BHR1212-001v2")
    data["category"] = {"code": "BGM", "name": "企業經營管理 / 一般管理（新）"}
    data["versions"] = [
        {"version": "V2", "code": "BHR1212-001v2", "name": data["name"], "status": "最新版本",
         "note": "", "date": "2024-05-01"}
    ]  # fmt: skip

    standard_import(document=ParsedStandard.from_dict(data))

    assert list(JobCategory.objects.filter(code="BGM").values_list("name", flat=True)) == [
        "企業經營管理 / 一般管理（新）"
    ]
    bgm = standard_export(standard=Standard.objects.get(code="BGM1219-002v2"))
    assert bgm["category"] == {"code": "BGM", "name": "企業經營管理 / 一般管理"}


def test_parser_warnings_are_stored_with_their_lines():
    document = expected_document("KRM1324-002v1")
    document.warnings = [
        ParseWarning(20, "P2.2.1 printed under T2.1 renumbered P2.1.1"),
        ParseWarning(3, "x"),
    ]

    result = standard_import(document=document)

    assert result.warnings == document.warnings
    assert list(DocumentWarning.objects.values_list("line", "message")) == [
        (20, "P2.2.1 printed under T2.1 renumbered P2.1.1"),
        (3, "x"),
    ]


def test_a_draft_import_is_not_published_until_imported_again_with_publish():
    draft = standard_import(document=expected_document("KRM1324-002v1"), publish=False)

    published = standard_import(document=expected_document("KRM1324-002v1"))

    assert draft.standard.publication == Standard.Publication.DRAFT
    assert published.outcome == "updated"
    assert Standard.objects.get().publication == Standard.Publication.PUBLISHED


@pytest.mark.parametrize("order", [(1, 2), (2, 1)])
def test_a_newer_version_supersedes_the_older_one_which_becomes_historical(order):
    for version in order:
        standard_import(document=ParsedStandard.from_dict(family_version(version)))

    v1 = Standard.objects.get(code="XYZ9999-001")
    v2 = Standard.objects.get(code="XYZ9999-001v2")
    assert v1.family_code == v2.family_code == "XYZ9999-001"
    assert v2.supersedes == v1
    assert v1.supersedes is None
    assert v1.status == Standard.Status.HISTORICAL
    assert v2.status == Standard.Status.LATEST


def test_a_version_filling_a_gap_is_linked_between_its_neighbours():
    for version in (1, 3, 2):
        standard_import(document=ParsedStandard.from_dict(family_version(version)))

    v1, v2, v3 = Standard.objects.filter(family_code="XYZ9999-001").order_by("version_number")
    assert (v2.supersedes, v3.supersedes) == (v1, v2)
    assert [v.status for v in (v1, v2, v3)] == ["historical", "historical", "latest"]


def test_a_newer_draft_leaves_the_published_version_latest():
    standard_import(document=ParsedStandard.from_dict(family_version(1)))

    result = standard_import(document=ParsedStandard.from_dict(family_version(2)), publish=False)

    assert result.standard.supersedes.code == "XYZ9999-001"
    assert Standard.objects.get(code="XYZ9999-001").status == Standard.Status.LATEST


def test_a_task_level_out_of_range_is_refused_and_nothing_is_written():
    data = expected_data("BGM1219-002v2")
    data["category"] = {"code": "NEW", "name": "新類別"}
    data["duties"][0]["tasks"][0]["level"] = 7
    before = table_counts()

    with pytest.raises(ValidationError, match="工作任務 T1.1：級別須為 1 到 6 的整數，不是 7"):
        standard_import(document=ParsedStandard.from_dict(data))

    assert table_counts() == before


def test_a_task_listing_knowledge_missing_from_the_item_list_is_refused():
    data = expected_data("KRM1324-002v1")
    data["duties"][0]["tasks"][0]["knowledge"].append("K99")

    with translation.override("en"), pytest.raises(ValidationError) as in_english:
        standard_import(document=ParsedStandard.from_dict(data))
    with pytest.raises(ValidationError) as in_chinese:  # the default language
        standard_import(document=ParsedStandard.from_dict(data))

    assert in_english.value.messages == ["task T1.1: knowledge K99 is not in the knowledge list"]
    assert in_chinese.value.messages == ["工作任務 T1.1：知識 K99 不在知識清單中"]

    assert Standard.objects.count() == 0


def test_a_row_that_fails_validation_late_rolls_back_everything_written_before_it():
    standard_import(document=expected_document("KRM1324-002v1"), publish=False)
    before = table_counts()
    exported = standard_export(standard=Standard.objects.get())
    data = expected_data("KRM1324-002v1")
    data["industry"] = {"code": "Z0000", "name": "新行業"}
    data["duties"][0]["title"] = "改過的職責"
    data["attitudes"][-1]["name"] = "很長" * 101  # over the 200 characters of Attitude.name

    with pytest.raises(ValidationError, match="attitude A06: name:"):
        standard_import(document=ParsedStandard.from_dict(data), publish=False)

    assert table_counts() == before
    assert standard_export(standard=Standard.objects.get()) == exported


def test_two_codes_for_the_same_version_of_a_family_are_refused():
    standard_import(document=ParsedStandard.from_dict(family_version(1)))
    data = family_version(1)
    data["code"] = "XYZ9999-001v1"

    with pytest.raises(ValidationError) as raised:
        standard_import(document=ParsedStandard.from_dict(data))

    assert raised.value.messages == [
        "XYZ9999-001v1 is version 1 of XYZ9999-001, which the library already holds as XYZ9999-001"
    ]

    assert Standard.objects.count() == 1


def test_export_makes_the_same_number_of_queries_for_a_large_and_a_small_standard(
    django_assert_num_queries,
):
    large = standard_import(document=expected_document("AVA4322-001v4")).standard
    small = standard_import(document=expected_document("KRM1324-002v1")).standard

    for standard in (large, small):
        # 1 the standard with category, occupation and industry; 2 version records;
        # 3 occupation links with their occupations; 4 industry links with their
        # industries; 5 duties; 6 tasks; 7 outputs; 8 indicators; 9 task knowledge links
        # with their items; 10 task skill links with their items; 11 knowledge items;
        # 12 skill items; 13 attitudes; 14 notes.
        with django_assert_num_queries(14):
            standard_export(standard=standard)


@pytest.mark.parametrize("code", SAMPLES)
def test_importing_a_sample_makes_at_most_37_queries(code, django_assert_max_num_queries):
    document = expected_document(code)

    # The savepoint and its release; the versions of the family; one upsert per
    # classification (3); the standard and its history (2); then one INSERT and one
    # history INSERT each for duties, tasks, knowledge items, skill items, outputs,
    # indicators, K links, S links, attitudes and notes (20); the version table; for
    # the occupation and the industry links: a DELETE, an INSERT and the newest name
    # printed for each classification (6); the newest name printed for the job category.
    with django_assert_max_num_queries(37):
        standard_import(document=document)


HISTORICAL_MODELS = [
    Standard,
    Duty,
    Task,
    KnowledgeItem,
    SkillItem,
    TaskKnowledge,
    TaskSkill,
    WorkOutput,
    BehaviourIndicator,
    Attitude,
    Note,
]


def history_ids(model, kind: str) -> list[int]:
    return sorted(model.history.filter(history_type=kind).values_list("id", flat=True))


@pytest.mark.parametrize("code", SAMPLES)
def test_every_row_an_import_creates_has_a_created_history_record(code):
    standard_import(document=expected_document(code))

    for model in HISTORICAL_MODELS:
        assert history_ids(model, "+") == sorted(model.objects.values_list("pk", flat=True)), model


def test_the_history_of_an_import_names_its_user(hannah):
    standard_import(document=expected_document("KRM1324-002v1"), user=hannah.user)

    for model in HISTORICAL_MODELS:
        assert set(model.history.values_list("history_user", flat=True)) == {hannah.user.pk}


def test_an_edit_records_only_the_rows_it_changes_and_deletes():
    standard_import(document=expected_document("AVA4322-001v4"), publish=False)
    data = expected_data("AVA4322-001v4")
    data["duties"][0]["tasks"][0]["level"] = 6
    removed = data["duties"][-1]["tasks"].pop()
    removed_task = Task.objects.get(code=removed["code"])
    indicators = len(removed["indicators"])

    standard_import(document=ParsedStandard.from_dict(data), publish=False)

    changed = Task.history.filter(history_type="~")
    assert [(record.code, record.level) for record in changed] == [("T1.1", 6)]
    assert history_ids(Task, "-") == [removed_task.pk]
    assert BehaviourIndicator.history.filter(history_type="-").count() == indicators
    assert not Duty.history.filter(history_type__in=["~", "-"]).exists()
    assert not WorkOutput.history.filter(history_type="~").exists()


def test_an_import_never_changes_a_published_version():
    standard_import(document=expected_document("KRM1324-002v1"))
    stored = standard_export(standard=Standard.objects.get())
    before = table_counts()
    data = expected_data("KRM1324-002v1")
    data["duties"][0]["tasks"][0]["title"] = "改過的任務"

    with pytest.raises(ValidationError) as edited:
        standard_import(document=ParsedStandard.from_dict(data))
    with pytest.raises(ValidationError) as unpublished:
        standard_import(document=expected_document("KRM1324-002v1"), publish=False)
    same = standard_import(document=expected_document("KRM1324-002v1"))

    locked = [str(PUBLISHED_READ_ONLY % {"code": "KRM1324-002v1"})]
    assert edited.value.messages == unpublished.value.messages == locked
    assert same.outcome == "unchanged"
    assert standard_export(standard=Standard.objects.get()) == stored
    assert table_counts() == before


@pytest.mark.parametrize("code", SAMPLES)
def test_the_search_text_computed_from_the_document_is_what_refreshing_the_rows_gives(code):
    document = expected_document(code)
    standard = standard_import(document=document).standard

    refresh_search_text(Standard.objects.get(pk=standard.pk))

    standard_text, task_texts = document_search_texts(document)
    assert Standard.objects.get(pk=standard.pk).search_text == standard_text
    assert dict(Task.objects.values_list("code", "search_text")) == task_texts


def with_code(data: dict, kind: str, code: str) -> dict:
    """`data` with the first code of `kind` replaced by `code`."""
    task = data["duties"][0]["tasks"][0]
    if kind == "standard":
        data["code"] = code
    elif kind == "duty":
        data["duties"][0]["code"] = code
    elif kind == "task":
        task["code"] = code
    elif kind in ("knowledge", "skill"):
        key = "knowledge" if kind == "knowledge" else "skills"
        old = data[key][0]["code"]
        data[key][0]["code"] = code
        for each in all_tasks(data):
            each[key] = [code if c == old else c for c in each[key]]
    else:
        task[kind + "s"][0]["code"] = code
    return data


@pytest.mark.parametrize("kind", CODED_KINDS)
@pytest.mark.parametrize("bad", ["A/1", "K0\n1", " X1"])
def test_a_code_a_code_may_not_be_is_refused_and_nothing_is_written(kind, bad):
    data = with_code(expected_data("AVA4322-001v4"), kind, bad)

    with pytest.raises(ValidationError) as raised:
        standard_import(document=ParsedStandard.from_dict(data))

    assert any(code_error(bad) in message for message in raised.value.messages)
    assert set(table_counts().values()) == {0}


def test_a_task_numbered_under_another_duty_is_refused():
    data = expected_data("KRM1324-002v1")
    data["duties"][0]["tasks"][0]["code"] = "X9.9"

    with pytest.raises(ValidationError) as raised:
        standard_import(document=ParsedStandard.from_dict(data))

    assert raised.value.messages == [f"工作任務 X9.9：{task_code_error('X9.9', 'T1')}"]
    assert Standard.objects.count() == 0


def test_the_version_a_newer_one_makes_historical_records_the_change():
    standard_import(document=ParsedStandard.from_dict(family_version(1)))

    standard_import(document=ParsedStandard.from_dict(family_version(2)))

    v1 = Standard.objects.get(code="XYZ9999-001")
    latest_record = v1.history.first()
    assert (latest_record.history_type, latest_record.status) == ("~", "historical")
    assert latest_record.date == v1.date
