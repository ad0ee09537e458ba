"""A standard's own pages besides its change page: history, next version, publish, JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, register_converter, reverse
from django.utils.translation import gettext_lazy as _

from ..audit import standard_changes
from ..models import Standard
from ..services import standard_export
from ..versioning import standard_create_next_version, standard_publish
from .upload import BackgroundUploadView, UploadView


class ObjectIdConverter:
    """Any id, even an empty one, so that `standard//publish/` reaches the view and gets a 404.

    With Django's `<path:…>` an empty id falls through to the admin's own patterns,
    which redirect to the change page and from there to the admin's index.
    """

    regex = "[^/]*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: Any) -> str:
        return str(value)


register_converter(ObjectIdConverter, "object_id")


class StandardPagesMixin:
    """The StandardAdmin's custom URLs and their views.

    An id that is not one of a standard's (`abc`, an unknown number) answers 404.
    """

    def get_urls(self) -> list:
        view = self.admin_site.admin_view
        upload = UploadView.as_view(admin_site=self.admin_site, model_admin=self)
        background = BackgroundUploadView.as_view(admin_site=self.admin_site, model_admin=self)
        return [
            path("upload/", view(upload), name="standards_standard_upload"),
            path(
                "upload/background/",
                view(background),
                name="standards_standard_upload_background",
            ),
            path(
                "<object_id:object_id>/next-version/",
                view(self.next_version_view),
                name="standards_standard_next_version",
            ),
            path(
                "<object_id:object_id>/publish/",
                view(self.publish_view),
                name="standards_standard_publish",
            ),
            path(
                "<object_id:object_id>/document.json",
                view(self.json_view),
                name="standards_standard_json",
            ),
            path(
                "<object_id:object_id>/history/",
                view(self.history_view),
                name="standards_standard_history",
            ),
            *super().get_urls(),
        ]

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        """Every recorded change to the standard and its contents: who, when, what."""
        standard = self.viewable(request, object_id)
        return self.render_page(
            request,
            "admin/standards/standard/changes.html",
            standard,
            title=_("History of %(code)s") % {"code": standard.code},
            changes=standard_changes(standard),
        )

    def next_version_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        standard = self.viewable(request, object_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        return self.confirm_then(
            request,
            standard,
            lambda: standard_create_next_version(standard=standard, user=request.user),
            done=_("%(code)s was created as a draft; edit it, then publish it."),
            title=_("Create the next version of %(code)s"),
            question=_(
                "Copy %(code)s into a new draft version? The published version stays as it is "
                "until you publish the draft."
            ),
            button=_("Create next version"),
        )

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        standard = self.viewable(request, object_id)
        if not request.user.has_perm("standards.publish_standard"):
            raise PermissionDenied
        return self.confirm_then(
            request,
            standard,
            lambda: standard_publish(standard=standard, user=request.user),
            done=_("%(code)s is published; it can no longer be changed."),
            title=_("Publish %(code)s"),
            question=_(
                "Publish %(code)s? It becomes the latest version, the versions before it "
                "become historical, and it can no longer be changed."
            ),
            button=_("Publish"),
        )

    def confirm_then(
        self,
        request: HttpRequest,
        standard: Standard,
        action: Callable[[], Standard],
        *,
        done: str,
        title: str,
        question: str,
        button: str,
    ) -> HttpResponse:
        """Ask first (GET); on POST run `action` and go to the page of the version it
        returns, saying `done`, or back to `standard`'s page with the reason it could not.
        The texts take the standard's code as %(code)s."""
        code = {"code": standard.code}
        if request.method != "POST":
            return self.render_page(
                request,
                "admin/standards/standard/confirm_action.html",
                standard,
                title=title % code,
                question=question % code,
                button=button,
            )
        try:
            result = action()
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(change_url(standard))
        self.message_user(request, done % {"code": result.code}, messages.SUCCESS)
        return HttpResponseRedirect(change_url(result))

    def json_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The whole standard in the interchange form, which the upload page reads back."""
        standard = self.viewable(request, object_id)
        if not self.has_export_permission(request):
            raise PermissionDenied
        content = json.dumps(standard_export(standard=standard), ensure_ascii=False, indent=2)
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{standard.code}.json"'
        return response

    def viewable(self, request: HttpRequest, object_id: str) -> Standard:
        """The standard `object_id` names, 404 for an odd or unknown id, 403 if not viewable."""
        # ModelAdmin.get_object turns an id that is no number into None, not a 500.
        standard = self.get_object(request, object_id)
        if standard is None:
            raise Http404
        if not self.has_view_permission(request, standard):
            raise PermissionDenied
        return standard

    def render_page(
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


def change_url(standard: Standard) -> str:
    return reverse("admin:standards_standard_change", args=[standard.pk])
