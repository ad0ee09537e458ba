"""A standard version's page: the whole document in the official order.

Header and classification, duties with their tasks, levels, outputs, indicators and
K/S items, then the K/S/A lists and notes; each task is one click away. Published
versions and everything in them are read-only: corrections go into the next version.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from ..forms import CodedForm, DutyInlineFormSet, StandardForm
from ..models import (
    Attitude,
    DocumentWarning,
    Duty,
    KnowledgeItem,
    Note,
    SkillItem,
    Standard,
    Task,
    TaskKnowledge,
    TaskSkill,
    VersionRecord,
)
from ..resources import StandardResource
from ..search import fold
from .library_import_export import LibraryImportExportMixin
from .locking import (
    ONE_LINE_TEXT,
    SMALL_TEXT,
    LockedAdminMixin,
    LockedInlineMixin,
    standard_link,
)
from .versions import StandardPagesMixin
from .workbook import DocumentWorkbookMixin


class DutyInline(LockedInlineMixin, admin.TabularInline):
    model = Duty
    form = CodedForm
    formset = DutyInlineFormSet
    fields = ["code", "title", "order"]
    show_change_link = True
    verbose_name_plural = _("duties (their tasks are edited on the duty's or the task's page)")


class ItemListInline(LockedInlineMixin, admin.TabularInline):
    form = CodedForm
    # The interchange form has no description for K/S items; fewer fields keep a long
    # list's page under Django's limit of fields per request.
    fields = ["code", "name", "order"]
    formfield_overrides = ONE_LINE_TEXT
    classes = ["collapse"]


class KnowledgeItemInline(ItemListInline):
    model = KnowledgeItem


class SkillItemInline(ItemListInline):
    model = SkillItem


class AttitudeInline(LockedInlineMixin, admin.TabularInline):
    model = Attitude
    form = CodedForm
    fields = ["code", "name", "description", "order"]
    classes = ["collapse"]


class NoteInline(LockedInlineMixin, admin.TabularInline):
    model = Note
    fields = ["text", "order"]
    classes = ["collapse"]


class VersionRecordInline(LockedInlineMixin, admin.TabularInline):
    model = VersionRecord
    fields = ["order", "version", "code", "name", "status", "note", "date"]
    classes = ["collapse"]


class DocumentWarningInline(admin.TabularInline):
    """What the importer repaired or flagged, with the line of the uploaded file."""

    model = DocumentWarning
    fields = ["line", "text"]
    readonly_fields = ["line", "text"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Standard)
class StandardAdmin(
    DocumentWorkbookMixin,
    StandardPagesMixin,
    LibraryImportExportMixin,
    LockedAdminMixin,
    admin.ModelAdmin,
):
    form = StandardForm
    resource_classes = [StandardResource]
    import_export_change_list_template = "admin/standards/standard/change_list.html"
    list_display = ["code", "name", "occupation", "base_level", "status", "publication"]
    list_filter = ["publication", "status", "base_level", "category", "occupation", "industry"]
    list_select_related = ["occupation"]
    search_fields = ["code", "name", "occupation__code", "occupation__name"]
    autocomplete_fields = ["category", "occupation", "industry"]
    readonly_fields = [
        "family_code",
        "version_number",
        "publication",
        "status",
        "supersedes_link",
        "superseded_by_link",
        "document",
    ]
    inlines = [
        DutyInline,
        KnowledgeItemInline,
        SkillItemInline,
        AttitudeInline,
        NoteInline,
        VersionRecordInline,
        DocumentWarningInline,
    ]
    formfield_overrides = SMALL_TEXT

    def get_fieldsets(self, request: HttpRequest, obj: Standard | None = None) -> list:
        header = ["code", "name", "date"]
        if obj is not None:
            header += [
                "family_code",
                "version_number",
                "publication",
                "status",
                "supersedes_link",
                "superseded_by_link",
            ]
        fieldsets = [
            (_("Header"), {"fields": header}),
            (
                _("Classification"),
                {"fields": ["category", "occupation", "industry", "base_level", "description"]},
            ),
        ]
        if obj is not None:
            fieldsets.append((_("Duties and tasks"), {"fields": ["document"]}))
        return fieldsets

    def get_queryset(self, request: HttpRequest) -> QuerySet[Standard]:
        return super().get_queryset(request).select_related("category", "occupation", "industry")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Standard], search_term: str
    ) -> tuple[QuerySet[Standard], bool]:
        """Codes and names as usual, and any text of the document (task texts included)."""
        found, duplicates = super().get_search_results(request, queryset, search_term)
        words = fold(search_term).split()
        if words:
            in_text = Q()
            for word in words:
                in_text &= Q(search_text__contains=word)
            found = found | queryset.filter(in_text)
        return found, duplicates

    @admin.display(description=_("supersedes"))
    def supersedes_link(self, standard: Standard) -> str:
        return standard_link(standard.supersedes)

    @admin.display(description=_("superseded by"))
    def superseded_by_link(self, standard: Standard) -> str:
        return standard_link(getattr(standard, "superseded_by", None))

    @admin.display(description=_("document"))
    def document(self, standard: Standard) -> str:
        """The task table in the official layout; each task code opens the task's page."""
        tasks = Task.objects.order_by("order").prefetch_related(
            "outputs",
            "indicators",
            Prefetch("knowledge_links", TaskKnowledge.objects.select_related("item")),
            Prefetch("skill_links", TaskSkill.objects.select_related("item")),
        )
        duties = standard.duties.order_by("order").prefetch_related(Prefetch("tasks", tasks))
        return render_to_string(
            "admin/standards/standard/document.html",
            {"standard": standard, "duties": duties, "locked": standard.is_published},
        )

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        user = request.user
        context.update(
            can_publish=user.has_perm("standards.publish_standard"),
            can_copy=self.has_add_permission(request),
            can_export_json=self.has_export_permission(request),
        )
        return super().render_change_form(request, context, *args, **kwargs)
