"""Import and export of the library's lists (django-import-export)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_noop

from common.admin import SafeImportExportMixin

# django-import-export ships no Traditional Chinese. Marking its interface strings here
# puts them in the project's translations, which Django consults before any app's.
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
