"""The standards library in the admin, where HR keeps it.

A standard version's page shows the whole document in the official order (header and
classification, duties with their tasks, levels, outputs, indicators and K/S items,
then the K/S/A catalogues and notes); each task is one click away. Published versions
and everything in them are read-only: corrections go into the next version.
"""

from __future__ import annotations

import json
import uuid
from base64 import b64decode, b64encode
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import Resolver404, path, resolve, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from common.admin import SafeImportExportMixin

from .audit import standard_changes
from .forms import (
    ConfirmUploadForm,
    DutyInlineFormSet,
    StandardForm,
    TaskForm,
    TaskInlineFormSet,
    UploadForm,
)
from .levels import LEVELS
from .models import (
    Attitude,
    BehaviourIndicator,
    DocumentWarning,
    Duty,
    Industry,
    JobCategory,
    KnowledgeItem,
    Note,
    Occupation,
    SkillItem,
    Standard,
    Task,
    TaskKnowledge,
    TaskSkill,
    VersionRecord,
    WorkOutput,
)
from .resources import (
    AttitudeResource,
    KnowledgeItemResource,
    SkillItemResource,
    StandardResource,
    TaskResource,
)
from .search import fold
from .services import export_standard
from .uploads import UploadedDocument, confirm_uploads, preview_uploads
from .versioning import create_next_version, publish_version, refresh_after_edit

# django-import-export ships no Traditional Chinese. Marking its interface strings here
# puts them in the project's catalogue, which Django consults before any app's.
IMPORT_EXPORT_STRINGS = [
    gettext_noop("Import"),
    gettext_noop("Export"),
    gettext_noop("Import finished: {} new, {} updated, {} deleted and {} skipped {}."),
    gettext_noop(
        "%(exc_name)s encountered while trying to read file. "
        "Ensure you have chosen the correct format for the file."
    ),
    gettext_noop(
        "No valid data to import. Ensure your file has the correct headers or data for import."
    ),
    gettext_noop("Resource"),
    gettext_noop("Format"),
    gettext_noop("File to import"),
    gettext_noop('Select at least 1 field for "%(resource_name)s" to export'),
    gettext_noop("This exporter will export the following fields: "),
    gettext_noop("This importer will import the following fields: "),
    gettext_noop("Select all"),
    gettext_noop("Submit"),
    gettext_noop(
        "Below is a preview of data to be imported. If you are satisfied with the results, "
        "click 'Confirm import'"
    ),
    gettext_noop("Confirm import"),
    gettext_noop("Errors"),
    gettext_noop("Line number"),
    gettext_noop("Some rows failed to validate"),
    gettext_noop(
        "Please correct these errors in your data where possible, then reupload it using the "
        "form above."
    ),
    gettext_noop("Row"),
    gettext_noop("Non field specific"),
    gettext_noop("Preview"),
    gettext_noop("New"),
    gettext_noop("Skipped"),
    gettext_noop("Delete"),
    gettext_noop("Update"),
]
UPLOAD_SESSION_KEY = "standards_upload"
LEVEL_CHOICES = [(level, str(level)) for level in LEVELS]
ITEM_OF_OTHER_STANDARD = _("%(code)s belongs to another standard; pick one of this standard's.")
SMALL_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}}
ONE_LINE_TEXT = {models.TextField: {"widget": forms.TextInput(attrs={"size": 60})}}


def standard_of(obj: models.Model | None) -> Standard | None:
    """The standard version a row belongs to."""
    if obj is None or isinstance(obj, Standard):
        return obj
    if isinstance(obj, Task):
        return obj.duty.standard if obj.duty_id else None
    if isinstance(obj, WorkOutput | BehaviourIndicator | TaskKnowledge | TaskSkill):
        return obj.task.duty.standard if obj.task_id else None
    return obj.standard if getattr(obj, "standard_id", None) else None


def is_locked(obj: models.Model | None) -> bool:
    """Whether `obj` is part of a published version, which never changes."""
    standard = standard_of(obj)
    return standard is not None and standard.pk is not None and standard.is_published


class LockedAdminMixin:
    """A row of a published version can be viewed, not changed or deleted."""

    def formfield_for_foreignkey(self, db_field: models.Field, request: HttpRequest, **kwargs):
        # New rows go into drafts only.
        if db_field.name == "standard" and db_field.related_model is Standard:
            kwargs["queryset"] = Standard.objects.filter(publication=Standard.Publication.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not is_locked(obj) and super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # "Delete selected" checks no row's version: it could delete published rows.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def after_edit(self, obj: models.Model) -> None:
        """Keep the standard's search text and digest in step with what HR changed."""
        standard = standard_of(obj)
        if standard is not None and Standard.objects.filter(pk=standard.pk).exists():
            refresh_after_edit(standard)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        self.after_edit(form.instance)

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        standard = standard_of(obj)
        super().delete_model(request, obj)
        if not isinstance(obj, Standard):
            self.after_edit(standard)


class LockedInlineMixin:
    """The rows of a published version's page are shown, never added, changed or deleted."""

    extra = 0
    formfield_overrides = SMALL_TEXT

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not is_locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not is_locked(obj) and super().has_delete_permission(request, obj)


class LibraryImportExportMixin(SafeImportExportMixin):
    """The library's lists also need the library's own import and export permissions."""

    def has_import_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(
            "standards.import_standards"
        ) and super().has_import_permission(request)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(
            "standards.export_standards"
        ) and super().has_export_permission(request)


@admin.register(JobCategory, Occupation, Industry)
class ClassificationAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class DutyInline(LockedInlineMixin, admin.TabularInline):
    model = Duty
    formset = DutyInlineFormSet
    fields = ["code", "title", "order"]
    show_change_link = True
    verbose_name_plural = _("duties (their tasks are edited on the duty's or the task's page)")


class KnowledgeItemInline(LockedInlineMixin, admin.TabularInline):
    model = KnowledgeItem
    # The interchange form has no description for K/S items; fewer fields keep a long
    # catalogue's page under Django's limit of fields per request.
    fields = ["code", "name", "order"]
    formfield_overrides = ONE_LINE_TEXT
    classes = ["collapse"]


class SkillItemInline(LockedInlineMixin, admin.TabularInline):
    model = SkillItem
    # The interchange form has no description for K/S items; fewer fields keep a long
    # catalogue's page under Django's limit of fields per request.
    fields = ["code", "name", "order"]
    formfield_overrides = ONE_LINE_TEXT
    classes = ["collapse"]


class AttitudeInline(LockedInlineMixin, admin.TabularInline):
    model = Attitude
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
    fields = ["line", "message"]
    readonly_fields = ["line", "message"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Standard)
class StandardAdmin(LibraryImportExportMixin, LockedAdminMixin, admin.ModelAdmin):
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
        return _standard_link(standard.supersedes)

    @admin.display(description=_("superseded by"))
    def superseded_by_link(self, standard: Standard) -> str:
        return _standard_link(getattr(standard, "superseded_by", None))

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

    def get_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="standards_standard_upload"),
            path(
                "<path:object_id>/next-version/",
                view(self.next_version_view),
                name="standards_standard_next_version",
            ),
            path(
                "<path:object_id>/publish/",
                view(self.publish_view),
                name="standards_standard_publish",
            ),
            path(
                "<path:object_id>/document.json",
                view(self.json_view),
                name="standards_standard_json",
            ),
            *super().get_urls(),
        ]

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

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        """Every recorded change to the standard and its contents: who, when, what."""
        standard = self._viewable(request, object_id)
        return self._render(
            request,
            "admin/standards/standard/changes.html",
            standard,
            title=_("History of %(code)s") % {"code": standard.code},
            changes=standard_changes(standard),
        )

    def next_version_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        standard = self._viewable(request, object_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            try:
                draft = create_next_version(standard=standard, user=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                return HttpResponseRedirect(self._change_url(standard))
            self.message_user(
                request,
                _("%(code)s was created as a draft; edit it, then publish it.")
                % {"code": draft.code},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(self._change_url(draft))
        return self._render(
            request,
            "admin/standards/standard/confirm_action.html",
            standard,
            title=_("Create the next version of %(code)s") % {"code": standard.code},
            question=_(
                "Copy %(code)s into a new draft version? The published version stays as it is "
                "until you publish the draft."
            )
            % {"code": standard.code},
            button=_("Create next version"),
        )

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        standard = self._viewable(request, object_id)
        if not request.user.has_perm("standards.publish_standard"):
            raise PermissionDenied
        if request.method == "POST":
            try:
                standard = publish_version(standard=standard, user=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(code)s is published; it can no longer be changed.")
                    % {"code": standard.code},
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(self._change_url(standard))
        return self._render(
            request,
            "admin/standards/standard/confirm_action.html",
            standard,
            title=_("Publish %(code)s") % {"code": standard.code},
            question=_(
                "Publish %(code)s? It becomes the latest version, the versions before it "
                "become historical, and it can no longer be changed."
            )
            % {"code": standard.code},
            button=_("Publish"),
        )

    def json_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The whole standard in the interchange form, which the upload page reads back."""
        standard = self._viewable(request, object_id)
        if not self.has_export_permission(request):
            raise PermissionDenied
        content = json.dumps(export_standard(standard), ensure_ascii=False, indent=2)
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{standard.code}.json"'
        return response

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """Upload official documents: a preview of what importing does, then a confirmation."""
        if not (self.has_import_permission(request) and self.has_add_permission(request)):
            raise PermissionDenied
        form = UploadForm()
        context: dict[str, Any] = {}
        if request.method == "POST" and "token" in request.POST:
            stored = request.session.get(UPLOAD_SESSION_KEY) or {}
            confirm = ConfirmUploadForm(request.POST)
            if not confirm.is_valid() or stored.get("token") != confirm.cleaned_data["token"]:
                self.message_user(
                    request, _("The preview has expired; upload again."), messages.ERROR
                )
                return HttpResponseRedirect(reverse("admin:standards_standard_upload"))
            documents = [
                UploadedDocument(name=f["name"], data=b64decode(f["data"])) for f in stored["files"]
            ]
            previews, written = confirm_uploads(documents=documents, publish=stored["publish"])
            if written:
                del request.session[UPLOAD_SESSION_KEY]
                self.message_user(
                    request,
                    _("Imported %(count)s documents.") % {"count": len(previews)},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:standards_standard_changelist"))
            context.update(previews=previews, written=False)
        elif request.method == "POST":
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                documents = form.documents()
                publish = form.cleaned_data["publish"]
                previews = preview_uploads(documents=documents, publish=publish)
                context["previews"] = previews
                if all(preview.ok for preview in previews):
                    token = uuid.uuid4().hex
                    request.session[UPLOAD_SESSION_KEY] = {
                        "token": token,
                        "publish": publish,
                        "files": [
                            {"name": d.name, "data": b64encode(d.data).decode()} for d in documents
                        ],
                    }
                    context["confirm_form"] = ConfirmUploadForm(initial={"token": token})
        return self._render(
            request,
            "admin/standards/standard/upload.html",
            None,
            title=_("Upload official documents"),
            form=form,
            **context,
        )

    def _viewable(self, request: HttpRequest, object_id: str) -> Standard:
        standard = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, standard):
            raise PermissionDenied
        return standard

    def _change_url(self, standard: Standard) -> str:
        return reverse("admin:standards_standard_change", args=[standard.pk])

    def _render(
        self, request: HttpRequest, template: str, standard: Standard | None, **context: Any
    ) -> TemplateResponse:
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": standard,
                "standard": standard,
                **context,
            },
        )


def _standard_link(standard: Standard | None) -> str:
    if standard is None:
        return "-"
    url = reverse("admin:standards_standard_change", args=[standard.pk])
    return format_html('<a href="{}">{}</a>', url, standard)


class TaskInline(LockedInlineMixin, admin.TabularInline):
    model = Task
    formset = TaskInlineFormSet
    fields = ["code", "title", "level", "order"]
    show_change_link = True

    def formfield_for_dbfield(self, db_field: models.Field, request: HttpRequest, **kwargs: Any):
        if db_field.name == "level":
            kwargs["widget"] = forms.Select(choices=LEVEL_CHOICES)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Duty)
class DutyAdmin(LockedAdminMixin, admin.ModelAdmin):
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
    fields = ["code", "text", "order"]


class WorkOutputInline(TaskTextInline):
    model = WorkOutput


class BehaviourIndicatorInline(TaskTextInline):
    model = BehaviourIndicator


class TaskLinkFormSet(forms.BaseInlineFormSet):
    """A task links only to the K/S items of its own standard."""

    def clean(self) -> None:
        super().clean()
        standard_id = self.instance.duty.standard_id if self.instance.duty_id else None
        for form in self.forms:
            item = form.cleaned_data.get("item") if hasattr(form, "cleaned_data") else None
            if item is not None and standard_id and item.standard_id != standard_id:
                form.add_error("item", ITEM_OF_OTHER_STANDARD % {"code": item.code})


class TaskLinkInline(LockedInlineMixin, admin.TabularInline):
    fields = ["item", "order"]
    autocomplete_fields = ["item"]
    formset = TaskLinkFormSet

    def get_formset(self, request: HttpRequest, obj: Task | None = None, **kwargs: Any):
        request.standard_of_task = standard_of(obj)
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field: models.Field, request: HttpRequest, **kwargs):
        standard = getattr(request, "standard_of_task", None)
        if db_field.name == "item" and standard is not None:
            kwargs["queryset"] = db_field.related_model.objects.filter(standard=standard)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TaskKnowledgeInline(TaskLinkInline):
    model = TaskKnowledge


class TaskSkillInline(TaskLinkInline):
    model = TaskSkill


@admin.register(Task)
class TaskAdmin(LibraryImportExportMixin, LockedAdminMixin, admin.ModelAdmin):
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

    def formfield_for_dbfield(self, db_field: models.Field, request: HttpRequest, **kwargs: Any):
        if db_field.name == "level":
            kwargs["widget"] = forms.Select(choices=LEVEL_CHOICES)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("duty"), ordering="duty__code")
    def duty_code(self, task: Task) -> str:
        return task.duty.code

    @admin.display(description=_("standard"), ordering="duty__standard__code")
    def standard_code(self, task: Task) -> str:
        return task.duty.standard.code

    @admin.display(description=_("standard"))
    def standard_link(self, task: Task) -> str:
        return _standard_link(standard_of(task))


class CatalogueAdmin(LibraryImportExportMixin, LockedAdminMixin, admin.ModelAdmin):
    """K, S and A items: listed across standards for import and export; edited on the standard."""

    list_display = ["code", "name", "standard"]
    list_select_related = ["standard"]
    list_filter = ["standard__publication"]
    search_fields = ["code", "name", "standard__code"]
    fields = ["standard", "code", "name", "description", "order"]
    autocomplete_fields = ["standard"]
    formfield_overrides = SMALL_TEXT

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["standard"] if obj is not None else []

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        """On a task's page, the autocomplete offers only that standard's own items."""
        found, duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("model_name") in ("taskknowledge", "taskskill"):
            task = _task_of_referer(request)
            if task is not None:
                found = found.filter(standard_id=task.duty.standard_id)
        return found, duplicates


def _task_of_referer(request: HttpRequest) -> Task | None:
    """The task whose admin page made this (autocomplete) request, if any."""
    referer = request.headers.get("referer", "")
    host_path = referer.split("://", 1)[-1]
    page = "/" + host_path.split("/", 1)[-1] if "/" in host_path else ""
    try:
        match = resolve(page.split("?", 1)[0])
    except Resolver404:
        return None
    if match.url_name != "standards_task_change":
        return None
    return Task.objects.select_related("duty").filter(pk=match.kwargs.get("object_id")).first()


@admin.register(KnowledgeItem)
class KnowledgeItemAdmin(CatalogueAdmin):
    resource_classes = [KnowledgeItemResource]


@admin.register(SkillItem)
class SkillItemAdmin(CatalogueAdmin):
    resource_classes = [SkillItemResource]


@admin.register(Attitude)
class AttitudeAdmin(CatalogueAdmin):
    resource_classes = [AttitudeResource]
