"""The lists of K, S and A items and of the classifications."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from ..forms import CodedForm
from ..models import Attitude, Industry, JobCategory, KnowledgeItem, Occupation, SkillItem
from ..resources import AttitudeResource, KnowledgeItemResource, SkillItemResource
from .library_import_export import LibraryImportExportMixin
from .locking import SMALL_TEXT, LockedAdminMixin


@admin.register(JobCategory, Occupation, Industry)
class ClassificationAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class StandardItemAdmin(LibraryImportExportMixin, LockedAdminMixin, admin.ModelAdmin):
    """K, S and A items: listed across standards for import and export; edited on the standard."""

    form = CodedForm
    list_display = ["code", "name", "standard"]
    list_select_related = ["standard"]
    list_filter = ["standard__publication"]
    search_fields = ["code", "name", "standard__code"]
    fields = ["standard", "code", "name", "description", "order"]
    autocomplete_fields = ["standard"]
    formfield_overrides = SMALL_TEXT

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["standard"] if obj is not None else []

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("standard")


@admin.register(KnowledgeItem)
class KnowledgeItemAdmin(StandardItemAdmin):
    resource_classes = [KnowledgeItemResource]


@admin.register(SkillItem)
class SkillItemAdmin(StandardItemAdmin):
    resource_classes = [SkillItemResource]


@admin.register(Attitude)
class AttitudeAdmin(StandardItemAdmin):
    resource_classes = [AttitudeResource]
