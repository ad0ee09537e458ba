"""The upload page: official documents previewed first, then imported all or nothing.

Wired like Django's AutocompleteJsonView: StandardAdmin.get_urls passes itself and its
site to `as_view()` and wraps the view in `admin_site.admin_view()`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from common.sessions import session_take

from ..background import documents_import_start
from ..forms import BackgroundUploadForm, ConfirmUploadForm, UploadForm
from ..levels import LEVEL_DEFINITIONS
from ..models import Standard
from ..parsing.document import ParseWarning
from ..selectors import standards_with_contents
from ..uploads import (
    UploadedDocument,
    pending_upload,
    pending_upload_documents,
    pending_upload_key,
    uploads_confirm,
    uploads_preview,
)
from ..views import document_context

UPLOAD_EXPIRED = _(
    "These files were already imported, or their preview has expired; upload them again."
)


class UploadPermissionMixin:
    """HR who may import and add standards; anyone else is refused (403)."""

    admin_site: admin.AdminSite | None = None
    model_admin: admin.ModelAdmin | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        model_admin = self.model_admin
        if not (
            model_admin.has_import_permission(request) and model_admin.has_add_permission(request)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, template: str, title: str, **context: Any) -> TemplateResponse:
        return TemplateResponse(
            self.request,
            template,
            {
                **self.admin_site.each_context(self.request),
                "opts": self.model_admin.opts,
                "title": title,
                **context,
            },
        )


class BackgroundUploadView(UploadPermissionMixin, View):
    """Many documents, or zip archives of them, imported by a background job: no preview;
    each file is imported on its own, all or nothing, and the job's page reports each."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(BackgroundUploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = BackgroundUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form)
        job = documents_import_start(
            documents=form.cleaned_data["files"],
            publish=form.cleaned_data["publish"],
            user=request.user,
        )
        return HttpResponseRedirect(job.get_absolute_url())

    def render(self, form: BackgroundUploadForm) -> TemplateResponse:
        return self.render_page(
            "admin/standards/standard/upload_background.html",
            _("Import many documents in the background"),
            form=form,
        )


class UploadView(UploadPermissionMixin, View):
    """Upload official documents: a preview of what importing does, then a confirmation.

    The previewed files wait in the session (in the database) under a random token; the
    confirmation takes them out once, so a second confirmation writes nothing.
    """

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(UploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if "token" in request.POST:
            return self.confirm()
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form)
        documents, publish = form.documents(), form.cleaned_data["publish"]
        previews = uploads_preview(
            documents=documents, publish=publish, render=self.render_document
        )
        context: dict[str, Any] = {"previews": previews}
        if all(preview.ok for preview in previews):
            token = self.keep(documents=documents, publish=publish)
            context["confirm_form"] = ConfirmUploadForm(initial={"token": token})
        return self.render(UploadForm(), **context)

    def confirm(self) -> HttpResponse:
        request = self.request
        confirm = ConfirmUploadForm(request.POST)
        stored = None
        if confirm.is_valid():
            key = pending_upload_key(confirm.cleaned_data["token"])
            stored = session_take(request.session, key)
        if stored is None:
            self.model_admin.message_user(request, UPLOAD_EXPIRED, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:standards_standard_upload"))
        previews, written = uploads_confirm(
            documents=pending_upload_documents(stored), publish=stored["publish"]
        )
        if not written:
            return self.render(UploadForm(), previews=previews, written=False)
        self.model_admin.message_user(
            request,
            _("Imported %(count)s documents.") % {"count": len(previews)},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:standards_standard_changelist"))

    def render_document(self, standard: Standard, warnings: list[ParseWarning]) -> str:
        """The imported standard as its page shows it, each warning at its place."""
        standard = standards_with_contents().get(pk=standard.pk)
        places: dict[str, list[ParseWarning]] = defaultdict(list)
        for warning in warnings:
            places[warning.place].append(warning)
        for duty in standard.duties.all():
            for task in duty.tasks.all():
                task.preview_warnings = places.pop(task.code, [])
        attitudes, notes = places.pop("attitudes", []), places.pop("notes", [])
        # A warning about a code the document no longer has shows with the header.
        header = [warning for place in places.values() for warning in place]
        context = {
            **document_context(standard),
            "anchor": f"preview-{standard.code}-",
            "levels": LEVEL_DEFINITIONS,
            "header_warnings": sorted(header, key=lambda warning: warning.line),
            "attitude_warnings": attitudes,
            "note_warnings": notes,
        }
        return render_to_string(
            "admin/standards/standard/preview_document.html", context, request=self.request
        )

    def keep(self, *, documents: list[UploadedDocument], publish: bool) -> str:
        """Put the previewed files in the session in place of any earlier preview's."""
        session = self.request.session
        for key in [key for key in session.keys() if key.startswith(pending_upload_key(""))]:
            del session[key]
        token, stored = pending_upload(documents=documents, publish=publish)
        session[pending_upload_key(token)] = stored
        return token

    def render(self, form: UploadForm, **context: Any) -> TemplateResponse:
        return self.render_page(
            "admin/standards/standard/upload.html",
            _("Upload official documents"),
            form=form,
            **context,
        )
