"""Whole documents in one XLSX workbook: the standards list's XLSX export, and the page
that imports such a workbook back (previewed first, then all or nothing).

The export replaces django-import-export's one-sheet table of header fields: for XLSX
the StandardAdmin writes every selected standard whole (standards/workbook.py). CSV and
JSON keep the header rows of StandardResource.
"""

from __future__ import annotations

import secrets
from base64 import b64decode, b64encode
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from common.sessions import session_take
from common.spreadsheets import SafeXLSX, workbook_bytes

from ..forms import ConfirmUploadForm, WorkbookForm
from ..services import standards_export
from ..services.workbook import workbook_import
from ..workbook import documents_workbook

PENDING_WORKBOOK_KEY = "standards:workbook:"
WORKBOOK_EXPIRED = _(
    "This workbook was already imported, or its preview has expired; upload it again."
)


class DocumentWorkbookMixin:
    """StandardAdmin's XLSX export of whole documents and the workbook import page."""

    def get_export_data(
        self, file_format: Any, request: HttpRequest, queryset: QuerySet, **kwargs: Any
    ) -> Any:
        if not isinstance(file_format, SafeXLSX):
            return super().get_export_data(file_format, request, queryset, **kwargs)
        if not self.has_export_permission(request):
            raise PermissionDenied
        return workbook_bytes(documents_workbook(standards_export(standards=queryset)))

    def get_urls(self) -> list:
        return [
            path(
                "workbook-import/",
                self.admin_site.admin_view(self.workbook_import_view),
                name="standards_standard_workbook_import",
            ),
            *super().get_urls(),
        ]

    def workbook_import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a workbook: what importing it does, then a confirmation."""
        if not (self.has_import_permission(request) and self.has_add_permission(request)):
            raise PermissionDenied
        if request.method == "POST" and "token" in request.POST:
            return self._workbook_confirm(request)
        form = WorkbookForm(request.POST or None, request.FILES or None)
        context: dict[str, Any] = {}
        if request.method == "POST" and form.is_valid():
            data, publish = form.cleaned_data["workbook"], form.cleaned_data["publish"]
            try:
                context["results"] = workbook_import(
                    data=data, publish=publish, dry_run=True, user=request.user
                )
            except ValidationError as exc:
                context["error"] = "; ".join(exc.messages)
            else:
                token = secrets.token_hex(16)
                for key in [
                    k for k in request.session.keys() if k.startswith(PENDING_WORKBOOK_KEY)
                ]:
                    del request.session[key]
                request.session[PENDING_WORKBOOK_KEY + token] = {
                    "publish": publish,
                    "data": b64encode(data).decode(),
                }
                context["confirm_form"] = ConfirmUploadForm(initial={"token": token})
                form = WorkbookForm()
        return self._workbook_page(request, form, **context)

    def _workbook_confirm(self, request: HttpRequest) -> HttpResponse:
        confirm = ConfirmUploadForm(request.POST)
        stored = None
        if confirm.is_valid():
            stored = session_take(
                request.session, PENDING_WORKBOOK_KEY + confirm.cleaned_data["token"]
            )
        if stored is None:
            self.message_user(request, WORKBOOK_EXPIRED, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:standards_standard_workbook_import"))
        try:
            results = workbook_import(
                data=b64decode(stored["data"]), publish=stored["publish"], user=request.user
            )
        except ValidationError as exc:
            return self._workbook_page(request, WorkbookForm(), error="; ".join(exc.messages))
        self.message_user(
            request,
            _("Imported %(count)s documents from the workbook.") % {"count": len(results)},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:standards_standard_changelist"))

    def _workbook_page(
        self, request: HttpRequest, form: WorkbookForm, **context: Any
    ) -> HttpResponse:
        return TemplateResponse(
            request,
            "admin/standards/standard/workbook_import.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Import whole documents from a workbook"),
                "form": form,
                **context,
            },
        )
