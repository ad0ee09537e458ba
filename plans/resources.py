"""Importing and exporting the course catalogue with django-import-export.

The file has one course a row, with Chinese headers as the export writes them. HR can
also upload iCAP's listing of certified courses (職能導向課程) as downloaded: its usual
column names (課程名稱, 訓練單位 or 開課單位, 訓練時數, 課程網址, 職能基準代碼) are read as
the same fields; a column 「iCAP 認證」 (是/yes) marks certified courses. A course serves the
standard versions whose codes its 職能基準 cell lists (separated by commas, 、 or
spaces); its 知識 and 技能 cells list K and S codes of the one standard it names. Any
unknown code fails the row, and one failing row leaves the catalogue as it was.
"""

from __future__ import annotations

import re
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.results import Result

from standards.models import KnowledgeItem, SkillItem, Standard

from .models import Course

# iCAP's listing names, and other spellings seen in HR's own sheets, for our columns.
ALIASES = {
    "開課單位": "訓練單位",
    "辦訓單位": "訓練單位",
    "時數": "訓練時數",
    "網址": "課程網址",
    "對應職能基準": "職能基準代碼",
    "職能基準": "職能基準代碼",
}
SEPARATORS = re.compile(r"[,，、;；\s]+")

UNKNOWN_STANDARD = _("No standard version has the code %(code)s.")
UNKNOWN_ITEM = _("The standard %(standard)s has no item %(code)s.")
ITEMS_NEED_ONE_STANDARD = _(
    "Knowledge and skill codes are local to one standard: name exactly one standard "
    "version for them."
)


def codes(cell: Any) -> list[str]:
    return [code for code in SEPARATORS.split(str(cell or "").strip()) if code]


class CourseResource(resources.ModelResource):
    title = fields.Field(attribute="title", column_name="課程名稱")
    provider = fields.Field(attribute="provider", column_name="訓練單位")
    hours = fields.Field(attribute="hours", column_name="訓練時數")
    url = fields.Field(attribute="url", column_name="課程網址")
    icap_certified = fields.Field(attribute="icap_certified", column_name="iCAP 認證")
    standard_codes = fields.Field(column_name="職能基準代碼")
    knowledge_codes = fields.Field(column_name="知識")
    skill_codes = fields.Field(column_name="技能")

    class Meta:
        model = Course
        fields = (
            "title",
            "provider",
            "hours",
            "url",
            "icap_certified",
            "standard_codes",
            "knowledge_codes",
            "skill_codes",
        )
        import_id_fields = ("title", "provider")
        clean_model_instances = True
        skip_unchanged = False
        use_transactions = True

    def import_data(self, dataset: tablib.Dataset, **kwargs: Any) -> Result:
        kwargs.update(use_transactions=True, rollback_on_validation_errors=True)
        return super().import_data(dataset, **kwargs)

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        headers = [ALIASES.get(str(h).strip(), str(h).strip()) for h in dataset.headers]
        dataset.headers = headers
        for column in ("訓練單位", "訓練時數", "課程網址", "iCAP 認證", "知識", "技能"):
            if column not in dataset.headers:
                dataset.append_col([""] * dataset.height, header=column)

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        certified = str(row.get("iCAP 認證") or "").strip().lower()
        row["iCAP 認證"] = certified in {"是", "yes", "true", "1", "y", "v", "✓"}
        row["訓練單位"] = row.get("訓練單位") or ""
        row["課程網址"] = row.get("課程網址") or ""
        if row.get("訓練時數") in ("", None):
            row["訓練時數"] = None

    def _targets(self, row: Any) -> tuple[list[Standard], list[KnowledgeItem], list[SkillItem]]:
        standards = []
        for code in codes(row.get("職能基準代碼")):
            standard = Standard.objects.filter(code=code).first()
            if standard is None:
                raise ValidationError(UNKNOWN_STANDARD % {"code": code})
            standards.append(standard)
        wanted = {KnowledgeItem: codes(row.get("知識")), SkillItem: codes(row.get("技能"))}
        if any(wanted.values()) and len(standards) != 1:
            raise ValidationError(ITEMS_NEED_ONE_STANDARD)
        items: dict[type, list[Any]] = {KnowledgeItem: [], SkillItem: []}
        for model, item_codes in wanted.items():
            for code in item_codes:
                item = model.objects.filter(standard=standards[0], code=code).first()
                if item is None:
                    raise ValidationError(
                        UNKNOWN_ITEM % {"standard": standards[0].code, "code": code}
                    )
                items[model].append(item)
        return standards, items[KnowledgeItem], items[SkillItem]

    def import_instance(self, instance: Course, row: Any, **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        instance._targets = self._targets(row)

    def after_save_instance(self, instance: Course, row: Any, **kwargs: Any) -> None:
        standards, knowledge, skills = instance._targets
        instance.standards.set(standards)
        instance.knowledge_items.set(knowledge)
        instance.skill_items.set(skills)

    def dehydrate_standard_codes(self, course: Course) -> str:
        return "、".join(s.code for s in course.standards.all())

    def dehydrate_knowledge_codes(self, course: Course) -> str:
        return "、".join(i.code for i in course.knowledge_items.all())

    def dehydrate_skill_codes(self, course: Course) -> str:
        return "、".join(i.code for i in course.skill_items.all())

    def dehydrate_icap_certified(self, course: Course) -> str:
        return "是" if course.icap_certified else ""
