"""The rules every django-import-export admin follows, whatever its app.

django-import-export's import and export views check no model permission unless told
to: without this mixin any staff account could import or export the model. Import
needs the model's add and change permissions, export its view permission; an app may
ask for more by overriding the two checks. Uploads are size- and zip-bomb-checked,
downloads formula-safe, and one invalid row rolls the whole file back.

Between the preview and the confirmation the uploaded file waits in the user's session
(in the database, so any app server can confirm), never in a server's /tmp: the
confirmation form carries only a random token, which names nothing but that session's
pending file, and confirming takes the file out of the session once.
"""

from __future__ import annotations

import secrets
from base64 import b64decode, b64encode
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm
from import_export.tmp_storages import BaseStorage

from .sessions import session_take
from .spreadsheets import (
    IMPORT_EXPORT_FORMATS,
    MAX_IMPORT_BYTES,
    check_import_size,
    check_xlsx_archive,
)

IMPORT_EXPIRED = _(
    "This import was already confirmed, or its preview has expired; upload the file again."
)
PENDING_IMPORT_KEY = "import_export:%(model)s:%(token)s"


class PreviewOnlyStorage(BaseStorage):
    """Holds the uploaded file for the preview request only: nothing is written anywhere.

    django-import-export writes the file to /tmp and reads it back; the file that waits
    for the confirmation is kept in the session instead (see `SafeImportExportMixin`).
    """

    data = b""

    def save(self, data: bytes) -> None:
        self.data = data

    def read(self) -> bytes:
        return self.data

    def remove(self) -> None:
        self.data = b""


class SafeImportForm(ImportForm):
    """The import form, refusing oversized files and zip bombs before they are read."""

    def clean_import_file(self) -> Any:
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_IMPORT_BYTES:
            check_import_size(b"x" * (MAX_IMPORT_BYTES + 1))
        data = upload.read()
        upload.seek(0)
        if data.startswith(b"PK"):
            check_xlsx_archive(data)
        return upload


class SafeImportExportMixin(ImportExportMixin):
    """Import and export behind the model's permissions, formula-safe, all or nothing."""

    import_formats = IMPORT_EXPORT_FORMATS
    export_formats = IMPORT_EXPORT_FORMATS
    import_form_class = SafeImportForm
    tmp_storage_class = PreviewOnlyStorage

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def get_import_data_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        kwargs = super().get_import_data_kwargs(**kwargs)
        # One invalid row and nothing of the file is written.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def add_data_read_fail_error_to_form(self, form: Any, e: Exception) -> None:
        if isinstance(e, ValidationError):
            form.add_error("import_file", e.messages)
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def get_confirm_form_initial(self, request: HttpRequest, import_form: Any) -> dict[str, Any]:
        """Put the previewed file in the session; the form carries a token, not a file name."""
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is None:
            return initial
        upload = import_form.cleaned_data["import_file"]
        upload.seek(0)
        token = secrets.token_hex(16)
        request.session[self._pending_key(token)] = {
            "data": b64encode(upload.read()).decode(),
            "format": int(import_form.cleaned_data["format"]),
            "name": upload.name,
        }
        return {**initial, "import_file_name": token}

    @method_decorator(require_POST)
    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """Import the file the preview put in the session, once; a stale token gets a message."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        pending = None
        if confirm_form.is_valid():
            token = confirm_form.cleaned_data["import_file_name"]
            pending = session_take(request.session, self._pending_key(token))
        if pending is None:
            self.message_user(request, IMPORT_EXPIRED, messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))
        input_format = self.get_import_formats()[pending["format"]](encoding=self.from_encoding)
        dataset = input_format.create_dataset(b64decode(pending["data"]))
        result = self.process_dataset(
            dataset, confirm_form, request, file_name=pending["name"], **kwargs
        )
        return self.process_result(result, request)

    def _pending_key(self, token: str) -> str:
        return PENDING_IMPORT_KEY % {"model": self.model._meta.label_lower, "token": token}


class RecordAdminMixin:
    """An admin for a record the portal keeps (e-mail changes, e-mails sent): anyone
    with the view permission reads it; nobody adds, changes or deletes a row."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
