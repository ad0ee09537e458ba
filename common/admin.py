"""The rules every django-import-export admin follows, whatever its app.

django-import-export's import and export views check no model permission unless told
to: without this mixin any staff account could import or export the model. Import
needs the model's add and change permissions, export its view permission; an app may
ask for more by overriding the two checks. Uploads are size- and zip-bomb-checked,
downloads formula-safe, and one invalid row rolls the whole file back.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm

from .spreadsheets import (
    IMPORT_EXPORT_FORMATS,
    MAX_IMPORT_BYTES,
    check_import_size,
    check_xlsx_archive,
)


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
