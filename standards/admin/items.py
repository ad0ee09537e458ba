"""The lists of K, S and A items and of the classifications."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..forms import CodedForm
from ..matching import item_names_merge
from ..models import (
    Attitude,
    Industry,
    ItemNameMatch,
    JobCategory,
    KnowledgeItem,
    Occupation,
    SkillItem,
)
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


class MatchedItemAdmin(StandardItemAdmin):
    """Knowledge and skill items also show the name they are matched by across standards,
    and HR can say that the selected items' names are the same competence."""

    list_display = ["code", "name", "match_key", "standard"]
    search_fields = ["code", "name", "match_key", "standard__code"]
    actions = ["merge_names"]
    kind = ""

    @admin.action(
        description=_("Count the selected items' names as one, for role fit"),
        permissions=["change"],
    )
    def merge_names(self, request: HttpRequest, queryset: QuerySet) -> None:
        keys = set(queryset.values_list("match_key", flat=True))
        # The name most items of the library share is the one the others count as.
        into = (
            self.model.objects.filter(match_key__in=keys)
            .values("match_key")
            .annotate(items=Count("pk"))
            .order_by("-items", "match_key")[0]["match_key"]
        )
        merged = item_names_merge(kind=self.kind, keys=sorted(keys), into=into)
        self.message_user(
            request,
            ngettext(
                "%(count)d name now counts as %(name)s.",
                "%(count)d names now count as %(name)s.",
                merged,
            )
            % {"count": merged, "name": into},
            messages.SUCCESS,
        )


@admin.register(KnowledgeItem)
class KnowledgeItemAdmin(MatchedItemAdmin):
    resource_classes = [KnowledgeItemResource]
    kind = ItemNameMatch.Kind.KNOWLEDGE


@admin.register(SkillItem)
class SkillItemAdmin(MatchedItemAdmin):
    resource_classes = [SkillItemResource]
    kind = ItemNameMatch.Kind.SKILL


@admin.register(ItemNameMatch)
class ItemNameMatchAdmin(admin.ModelAdmin):
    """HR's merges of knowledge and skill names; deleting one splits the names again."""

    list_display = ["kind", "key", "same_as", "created_at"]
    list_filter = ["kind"]
    search_fields = ["key", "same_as"]
    readonly_fields = ["created_at"]


@admin.register(Attitude)
class AttitudeAdmin(StandardItemAdmin):
    resource_classes = [AttitudeResource]
