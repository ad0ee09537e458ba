"""Duties and tasks: a duty's page lists its tasks; a task's page holds all it contains."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ..forms import CodedForm, StandardItemField, TaskForm, TaskInlineFormSet
from ..levels import LEVELS
from ..models import (
    BehaviourIndicator,
    Duty,
    Standard,
    Task,
    TaskKnowledge,
    TaskSkill,
    WorkOutput,
    standard_of,
)
from ..resources import TaskResource
from .library_import_export import LibraryImportExportMixin
from .locking import LockedAdminMixin, LockedInlineMixin, standard_link

LEVEL_CHOICES = [(level, str(level)) for level in LEVELS]


class LevelSelectMixin:
    """A task's level is picked from the scale, not typed."""

    def formfield_for_dbfield(self, db_field: models.Field, request: HttpRequest, **kwargs: Any):
        if db_field.name == "level":
            kwargs["widget"] = forms.Select(choices=LEVEL_CHOICES)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class TaskInline(LevelSelectMixin, LockedInlineMixin, admin.TabularInline):
    model = Task
    form = CodedForm
    formset = TaskInlineFormSet
    fields = ["code", "title", "level", "order"]
    show_change_link = True


@admin.register(Duty)
class DutyAdmin(LockedAdminMixin, admin.ModelAdmin):
    form = CodedForm
    list_display = ["code", "title", "standard"]
    list_select_related = ["standard"]
    list_filter = ["standard__publication"]
    search_fields = ["code", "title", "standard__code"]
    fields = ["standard", "code", "title", "order"]
    autocomplete_fields = ["standard"]
    inlines = [TaskInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Duty | None = None) -> list[str]:
        return ["standard"] if obj is not None else []

    def get_queryset(self, request: HttpRequest) -> QuerySet[Duty]:
        return super().get_queryset(request).select_related("standard")


class TaskTextInline(LockedInlineMixin, admin.TabularInline):
    form = CodedForm
    fields = ["code", "text", "order"]


class WorkOutputInline(TaskTextInline):
    model = WorkOutput


class BehaviourIndicatorInline(TaskTextInline):
    model = BehaviourIndicator


class TaskLinkInline(LockedInlineMixin, admin.TabularInline):
    """A task's K or S items: a plain select of its own standard's list.

    The choices are read once per page; an item of another standard posted by hand is
    refused as an invalid choice.
    """

    fields = ["item", "order"]
    item_list: str  # the related name of the standard's items: knowledge_items, skill_items

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Each row shows its link as "task code item code".
        return super().get_queryset(request).select_related("task", "item")

    def get_formset(self, request: HttpRequest, obj: Task | None = None, **kwargs: Any):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["item"]
        standard = standard_of(obj)
        items = (
            getattr(standard, self.item_list).order_by("order", "code")
            if standard is not None
            else field.queryset.none()
        )
        formset.form.base_fields["item"] = StandardItemField(
            items, label=field.label, help_text=field.help_text
        )
        return formset


class TaskKnowledgeInline(TaskLinkInline):
    model = TaskKnowledge
    item_list = "knowledge_items"


class TaskSkillInline(TaskLinkInline):
    model = TaskSkill
    item_list = "skill_items"


@admin.register(Task)
class TaskAdmin(LevelSelectMixin, LibraryImportExportMixin, LockedAdminMixin, admin.ModelAdmin):
    form = TaskForm
    resource_classes = [TaskResource]
    list_display = ["code", "title", "level", "duty_code", "standard_code"]
    list_select_related = ["duty__standard"]
    list_filter = ["level", "duty__standard__publication", "duty__standard__category"]
    search_fields = ["code", "title", "duty__code", "duty__title", "duty__standard__code"]
    fields = ["standard_link", "duty", "code", "title", "level", "order"]
    readonly_fields = ["standard_link"]
    inlines = [BehaviourIndicatorInline, WorkOutputInline, TaskKnowledgeInline, TaskSkillInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Task]:
        return super().get_queryset(request).select_related("duty__standard")

    def get_form(self, request: HttpRequest, obj: Task | None = None, **kwargs: Any):
        form = super().get_form(request, obj, **kwargs)
        if "duty" in form.base_fields:
            duties = Duty.objects.filter(standard__publication=Standard.Publication.DRAFT)
            if obj is not None:
                duties = Duty.objects.filter(standard_id=obj.duty.standard_id)
            form.base_fields["duty"].queryset = duties.select_related("standard")
        return form

    @admin.display(description=_("duty"), ordering="duty__code")
    def duty_code(self, task: Task) -> str:
        return task.duty.code

    @admin.display(description=_("standard"), ordering="duty__standard__code")
    def standard_code(self, task: Task) -> str:
        return task.duty.standard.code

    @admin.display(description=_("standard"))
    def standard_link(self, task: Task) -> str:
        return standard_link(standard_of(task))
