"""Published versions are read-only in the admin: the mixins every library admin uses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from ..models import Standard, standard_of
from ..versioning import standard_refresh_after_edit

SMALL_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}}
ONE_LINE_TEXT = {models.TextField: {"widget": forms.TextInput(attrs={"size": 60})}}


def is_locked(obj: models.Model | None) -> bool:
    """Whether `obj` is part of a published version, which never changes."""
    standard = standard_of(obj)
    return standard is not None and standard.pk is not None and standard.is_locked


def standard_link(standard: Standard | None) -> str:
    """A link to the standard's admin page, or a dash."""
    if standard is None:
        return "-"
    url = reverse("admin:standards_standard_change", args=[standard.pk])
    return format_html('<a href="{}">{}</a>', url, standard)


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
            standard_refresh_after_edit(standard=standard)

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
