"""Bulk import and export of the library's lists with django-import-export.

Rows are matched by natural keys (standard code + task code, standard code + item
code), never by database id, so a re-import updates rows instead of duplicating them
and an export from one database imports into another. Published versions are
read-only: a row that would change one is invalid, and the admin rolls the whole
import back on any invalid row.

Files are read and written through `common.spreadsheets`: formulas neutralised on
export and restored on import, size and zip-bomb limits on upload.
"""

from __future__ import annotations

import re
from typing import Any

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field

from common.spreadsheets import IMPORT_EXPORT_FORMATS

from .models import (
    PUBLISHED_READ_ONLY,
    Attitude,
    Duty,
    Industry,
    JobCategory,
    KnowledgeItem,
    Occupation,
    SkillItem,
    Standard,
    Task,
    TaskKnowledge,
    TaskSkill,
    standard_of,
)
from .services.history import HistoryWriter, default_history_user
from .versioning import standard_refresh_after_edit

UNKNOWN_STANDARD = _("There is no standard %(code)s.")
UNKNOWN_DUTY = _("%(standard)s has no duty %(duty)s; give its title in duty_title to add it.")
UNKNOWN_ITEMS = _("%(standard)s has no %(kind)s item %(codes)s.")


FORMATS = IMPORT_EXPORT_FORMATS


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _codes(value: Any) -> list[str]:
    """`K01, K02` (commas, semicolons or spaces) as a list of codes, duplicates dropped."""
    return list(dict.fromkeys(code for code in re.split(r"[,;\s]+", _text(value)) if code))


class LibraryResource(resources.ModelResource):
    """The rules every list follows: natural keys, escaped cells, published rows kept."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.edited_standards: set[int] = set()

    def standard_of(self, instance: Model) -> Standard | None:
        """The standard a row belongs to (None for a new row not yet given it)."""
        return standard_of(instance)

    def validate_instance(
        self,
        instance: Model,
        import_validation_errors: dict[str, Any] | None = None,
        validate_unique: bool = True,
    ) -> None:
        errors = dict(import_validation_errors or {})
        standard = self.standard_of(instance)
        if standard is not None and standard.is_locked:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                str(PUBLISHED_READ_ONLY % {"code": standard.code})
            )
        super().validate_instance(instance, errors, validate_unique)

    def after_save_instance(self, instance: Model, row: dict[str, Any], **kwargs: Any) -> None:
        super().after_save_instance(instance, row, **kwargs)
        standard = self.standard_of(instance)
        if standard is not None:
            self.edited_standards.add(standard.pk)

    def after_import(self, dataset: tablib.Dataset, result: Any, **kwargs: Any) -> None:
        """Bring the search text and digest of every standard the import changed up to date."""
        super().after_import(dataset, result, **kwargs)
        if self._is_dry_run(kwargs) or result.has_errors() or result.has_validation_errors():
            return
        for standard in Standard.objects.filter(pk__in=self.edited_standards):
            standard_refresh_after_edit(standard=standard)

    def _standard(self, row: dict[str, Any]) -> Standard:
        code = _text(row.get("standard"))
        standard = Standard.objects.filter(code=code).first()
        if standard is None:
            raise ValidationError({"standard": str(UNKNOWN_STANDARD % {"code": code})})
        return standard


class StandardResource(LibraryResource):
    """The standards list: one row per version, with its classification."""

    category_code = Field(column_name="category_code")
    category_name = Field(column_name="category_name")
    occupation_code = Field(column_name="occupation_code")
    occupation_name = Field(column_name="occupation_name")
    industry_code = Field(column_name="industry_code")
    industry_name = Field(column_name="industry_name")
    CLASSIFICATIONS = {"category": JobCategory, "occupation": Occupation, "industry": Industry}

    class Meta:
        model = Standard
        fields = export_order = [
            "code",
            "name",
            "status",
            "publication",
            "date",
            "category_code",
            "category_name",
            "occupation_code",
            "occupation_name",
            "industry_code",
            "industry_name",
            "description",
            "base_level",
        ]
        import_id_fields = ["code"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Status and publication change only through versioning (publish, next version).
        self.fields["status"].readonly = True
        self.fields["publication"].readonly = True

    def standard_of(self, instance: Standard) -> Standard | None:
        return instance if instance.pk else None

    def filter_export(self, queryset: QuerySet, **kwargs: Any) -> QuerySet:
        return queryset.select_related("category", "occupation", "industry")

    def import_instance(self, instance: Standard, row: dict[str, Any], **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        errors = {}
        for name, model in self.CLASSIFICATIONS.items():
            code = _text(row.get(f"{name}_code"))
            label = _text(row.get(f"{name}_name"))
            if not code:
                errors[f"{name}_code"] = [str(_("This field is required."))]
                continue
            entry = model.objects.filter(code=code).first()
            if entry is None:
                entry = model(code=code, name=label or code)
                try:
                    entry.full_clean()
                except ValidationError as exc:
                    errors[f"{name}_code"] = exc.messages
                    continue
                entry.save()
            if name == "category":
                instance.choose_category(entry.pk)
            else:
                setattr(instance, f"{name}_id", entry.pk)
        if errors:
            raise ValidationError(errors)

    def skip_row(
        self,
        instance: Standard,
        original: Standard,
        row: dict[str, Any],
        import_validation_errors: dict[str, Any] | None = None,
    ) -> bool:
        return super().skip_row(instance, original, row, import_validation_errors) and all(
            getattr(instance, f"{name}_id") == getattr(original, f"{name}_id")
            for name in self.CLASSIFICATIONS
        )

    def dehydrate_category_code(self, standard: Standard) -> str:
        return standard.category.code

    def dehydrate_category_name(self, standard: Standard) -> str:
        return standard.printed_category.name

    def dehydrate_occupation_code(self, standard: Standard) -> str:
        return standard.occupation.code

    def dehydrate_occupation_name(self, standard: Standard) -> str:
        return standard.occupation.name

    def dehydrate_industry_code(self, standard: Standard) -> str:
        return standard.industry.code

    def dehydrate_industry_name(self, standard: Standard) -> str:
        return standard.industry.name


class TaskResource(LibraryResource):
    """Tasks with their duty, level and linked K/S codes, keyed by standard + task code."""

    standard = Field(column_name="standard")
    duty = Field(column_name="duty")
    duty_title = Field(column_name="duty_title")
    knowledge = Field(column_name="knowledge")
    skills = Field(column_name="skills")

    class Meta:
        model = Task
        fields = export_order = [
            "standard",
            "duty",
            "duty_title",
            "code",
            "title",
            "level",
            "order",
            "knowledge",
            "skills",
        ]
        import_id_fields = ["standard", "code"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def get_instance(self, instance_loader: Any, row: dict[str, Any]) -> Task | None:
        return (
            Task.objects.filter(
                duty__standard__code=_text(row.get("standard")), code=_text(row.get("code"))
            )
            .select_related("duty__standard")
            .first()
        )

    def filter_export(self, queryset: QuerySet, **kwargs: Any) -> QuerySet:
        return queryset.select_related("duty__standard").prefetch_related(
            "knowledge_links__item", "skill_links__item"
        )

    def import_instance(self, instance: Task, row: dict[str, Any], **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        standard = self._standard(row)
        duty_code = _text(row.get("duty"))
        duty = standard.duties.filter(code=duty_code).first()
        if duty is None:
            title = _text(row.get("duty_title"))
            if not title or standard.is_locked:
                raise ValidationError(
                    {"duty": str(UNKNOWN_DUTY % {"standard": standard.code, "duty": duty_code})}
                )
            order = standard.duties.count() + 1
            duty = Duty(standard=standard, code=duty_code, title=title, order=order)
            try:
                duty.full_clean()
            except ValidationError as exc:
                raise ValidationError({"duty": exc.messages}) from exc
            duty.save()
        # Task.clean() checks that the task's code starts with its duty's.
        instance.duty = duty
        errors = {}
        for field, model, kind in [
            ("knowledge", KnowledgeItem, "K"),
            ("skills", SkillItem, "S"),
        ]:
            codes = _codes(row.get(field))
            items = {
                item.code: item for item in model.objects.filter(standard=standard, code__in=codes)
            }
            missing = [code for code in codes if code not in items]
            if missing:
                errors[field] = [
                    str(
                        UNKNOWN_ITEMS
                        % {"standard": standard.code, "kind": kind, "codes": ", ".join(missing)}
                    )
                ]
            setattr(instance, f"_imported_{field}", [items[c] for c in codes if c in items])
        if errors:
            raise ValidationError(errors)

    def skip_row(
        self,
        instance: Task,
        original: Task,
        row: dict[str, Any],
        import_validation_errors: dict[str, Any] | None = None,
    ) -> bool:
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        if original.pk is None or instance.duty_id != original.duty_id:
            return False
        return self.dehydrate_knowledge(original) == ", ".join(
            item.code for item in instance._imported_knowledge
        ) and self.dehydrate_skills(original) == ", ".join(
            item.code for item in instance._imported_skills
        )

    def after_save_instance(self, instance: Task, row: dict[str, Any], **kwargs: Any) -> None:
        super().after_save_instance(instance, row, **kwargs)
        history = HistoryWriter(user=default_history_user(instance))
        for link_model, field in [(TaskKnowledge, "knowledge"), (TaskSkill, "skills")]:
            history.delete(link_model, list(link_model.objects.filter(task=instance)))
            history.create(
                link_model,
                [
                    link_model(task=instance, item=item, order=order)
                    for order, item in enumerate(getattr(instance, f"_imported_{field}"), start=1)
                ],
            )

    def dehydrate_standard(self, task: Task) -> str:
        return task.duty.standard.code

    def dehydrate_duty(self, task: Task) -> str:
        return task.duty.code

    def dehydrate_duty_title(self, task: Task) -> str:
        return task.duty.title

    def dehydrate_knowledge(self, task: Task) -> str:
        return ", ".join(link.item.code for link in task.knowledge_links.all())

    def dehydrate_skills(self, task: Task) -> str:
        return ", ".join(link.item.code for link in task.skill_links.all())


class StandardItemResource(LibraryResource):
    """A row that belongs to one standard, keyed by standard code + `key_field`."""

    standard = Field(column_name="standard")
    key_field = "code"

    def get_instance(self, instance_loader: Any, row: dict[str, Any]) -> Model | None:
        key = _text(row.get(self.key_field))
        return (
            self._meta.model.objects.filter(
                standard__code=_text(row.get("standard")), **{self.key_field: key}
            )
            .select_related("standard")
            .first()
        )

    def filter_export(self, queryset: QuerySet, **kwargs: Any) -> QuerySet:
        return queryset.select_related("standard")

    def import_instance(self, instance: Model, row: dict[str, Any], **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        instance.standard = self._standard(row)

    def dehydrate_standard(self, instance: Model) -> str:
        return instance.standard.code


class ItemResourceMeta:
    """Options shared by the knowledge and the skill list."""

    fields = export_order = ["standard", "code", "name", "description", "order"]
    import_id_fields = ["standard", "code"]
    skip_unchanged = True
    report_skipped = True
    clean_model_instances = True
    use_transactions = True


class KnowledgeItemResource(StandardItemResource):
    class Meta(ItemResourceMeta):
        model = KnowledgeItem


class SkillItemResource(StandardItemResource):
    class Meta(ItemResourceMeta):
        model = SkillItem


class AttitudeResource(StandardItemResource):
    """Attitude codes may repeat within a document, so the key is its order."""

    key_field = "order"

    class Meta:
        model = Attitude
        fields = export_order = ["standard", "order", "code", "name", "description"]
        import_id_fields = ["standard", "order"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def import_instance(self, instance: Attitude, row: dict[str, Any], **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        # An empty cell is an attitude printed without a description (null in JSON).
        instance.description = instance.description or None
