"""Admin forms: the rules HR's edits must keep, and the document upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common import spreadsheets

from .codes import code_error, split_code, task_code_error
from .models import Standard, Task
from .uploads import (
    MAX_BACKGROUND_FILES,
    MAX_BACKGROUND_UPLOAD_BYTES,
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_FILES,
    MAX_UPLOAD_TOTAL_BYTES,
    TOO_MANY_FILES,
    TOO_MUCH_AT_ONCE,
    UploadedDocument,
    documents_from_upload,
)

DUTY_CODE_STRANDS_TASKS = _(
    "Tasks %(codes)s would no longer start with this duty's code; rename them first."
)
VERSION_TAKEN = _("%(code)s is version %(number)s of %(family)s, which %(other)s already is.")
FILE_TOO_LARGE = _("%(name)s is larger than %(limit)s MB.")
BACKGROUND_UPLOAD_HELP = _(
    "Official documents (PDF, ODT, Word .docx), plain-text renderings (.txt), JSON forms, or "
    "zip archives of them: at most %(files)s documents of %(size)s MB each, %(total)s MB in all."
)
UPLOAD_HELP = _(
    "The standards' PDF as downloaded from iCAP, their ODT or Word (.docx) form, their "
    "plain-text rendering (.txt) or their JSON form; at most %(files)s files of %(size)s MB "
    "each."
)


class CodedForm(forms.ModelForm):
    """A row with a code (a duty, task, output, indicator, K/S/A item): the code rules apply."""

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        message = code_error(code)
        if message:
            raise ValidationError(message)
        return code


class StandardForm(CodedForm):
    """A standard's header. The code decides the family and the version number."""

    class Meta:
        model = Standard
        fields = [
            "code",
            "name",
            "date",
            "category",
            "occupation",
            "industry",
            "base_level",
            "description",
        ]

    def save(self, commit: bool = True) -> Standard:  # noqa: FBT001, FBT002 - Django's signature
        if "category" in self.changed_data:
            chosen = self.instance.category_id
            self.instance.category_id = self.initial.get("category")
            self.instance.choose_category(chosen)
        return super().save(commit)

    def clean_code(self) -> str:
        code = super().clean_code()
        family, number = split_code(code)
        other = (
            Standard.objects.filter(family_code=family, version_number=number)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if other is not None:
            raise ValidationError(
                VERSION_TAKEN
                % {"code": code, "number": number, "family": family, "other": other.code}
            )
        return code


class TaskForm(CodedForm):
    """A task on its own page: its code must start with its duty's code."""

    class Meta:
        model = Task
        fields = ["duty", "code", "title", "level", "order"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        duty, code = cleaned.get("duty"), cleaned.get("code")
        if duty is not None and code:
            message = task_code_error(code, duty.code)
            if message:
                self.add_error("code", message)
        return cleaned


class StandardItemField(forms.ModelChoiceField):
    """A select of one standard's K or S items, read once for all the rows of a formset.

    Only the items of `queryset` are accepted, whatever a hand-made POST names.
    """

    def __init__(self, queryset: Any, **kwargs: Any) -> None:
        super().__init__(queryset, **kwargs)
        self.widget.choices = [
            ("", self.empty_label),
            *((item.pk, str(item)) for item in queryset),
        ]

    def __deepcopy__(self, memo: dict) -> StandardItemField:
        # Django gives each copy a fresh iterator over the queryset: one query per row.
        choices = self.widget.choices
        result = super().__deepcopy__(memo)
        result.widget.choices = choices
        return result


class TaskInlineFormSet(forms.BaseInlineFormSet):
    """Tasks on their duty's page, checked against the duty's code as edited."""

    def clean(self) -> None:
        super().clean()
        duty_code = self.instance.code
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            code = form.cleaned_data.get("code") if hasattr(form, "cleaned_data") else None
            if code and not form.cleaned_data.get("DELETE"):
                message = task_code_error(code, duty_code)
                if message:
                    form.add_error("code", message)


class DutyInlineFormSet(forms.BaseInlineFormSet):
    """Duties on their standard's page: renaming a duty must not strand its tasks."""

    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            if form.instance.pk is None or "code" not in form.changed_data:
                continue
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            code = form.cleaned_data.get("code")
            stranded = [
                task.code
                for task in form.instance.tasks.all()
                if code and task_code_error(task.code, code)
            ]
            if stranded:
                form.add_error("code", DUTY_CODE_STRANDS_TASKS % {"codes": ", ".join(stranded)})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    """One or many official documents, as plain-text renderings or JSON."""

    files = MultipleFileField(label=_("Documents"))
    publish = forms.BooleanField(
        label=_("Publish the imported versions"),
        required=False,
        initial=True,
        help_text=_("Untick to import them as drafts that you can still edit."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = UPLOAD_HELP % {
            "files": MAX_UPLOAD_FILES,
            "size": MAX_UPLOAD_BYTES // 2**20,
        }

    def clean_files(self) -> list[Any]:
        files = self.cleaned_data["files"]
        if len(files) > MAX_UPLOAD_FILES:
            raise ValidationError(TOO_MANY_FILES % {"limit": MAX_UPLOAD_FILES})
        if sum(upload.size for upload in files) > MAX_UPLOAD_TOTAL_BYTES:
            raise ValidationError(TOO_MUCH_AT_ONCE % {"limit": MAX_UPLOAD_TOTAL_BYTES // 2**20})
        for upload in files:
            if upload.size > MAX_UPLOAD_BYTES:
                raise ValidationError(
                    FILE_TOO_LARGE % {"name": upload.name, "limit": MAX_UPLOAD_BYTES // 2**20}
                )
        return files

    def documents(self) -> list[UploadedDocument]:
        return [
            UploadedDocument(name=upload.name, data=upload.read())
            for upload in self.cleaned_data["files"]
        ]


class BackgroundUploadForm(forms.Form):
    """Many documents, or zip archives of them, imported by a background job."""

    files = MultipleFileField(label=_("Documents or zip archives"))
    publish = UploadForm.base_fields["publish"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = BACKGROUND_UPLOAD_HELP % {
            "files": MAX_BACKGROUND_FILES,
            "size": MAX_UPLOAD_BYTES // 2**20,
            "total": MAX_BACKGROUND_UPLOAD_BYTES // 2**20,
        }

    def clean_files(self) -> list[UploadedDocument]:
        files = self.cleaned_data["files"]
        if sum(upload.size for upload in files) > MAX_BACKGROUND_UPLOAD_BYTES:
            raise ValidationError(
                TOO_MUCH_AT_ONCE % {"limit": MAX_BACKGROUND_UPLOAD_BYTES // 2**20}
            )
        documents = [
            document
            for upload in files
            for document in documents_from_upload(upload.name, upload.read())
        ]
        if len(documents) > MAX_BACKGROUND_FILES:
            raise ValidationError(TOO_MANY_FILES % {"limit": MAX_BACKGROUND_FILES})
        return documents


class ConfirmUploadForm(forms.Form):
    """The confirmation of a previewed upload: a token that names nothing but that upload."""

    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)


WORKBOOK_HELP = _(
    "A workbook exported from the standards list (Export, format xlsx), edited or not; "
    "at most %(size)s MB."
)


class WorkbookForm(forms.Form):
    """A workbook of whole documents, as the standards' XLSX export writes it."""

    workbook = forms.FileField(label=_("Workbook (.xlsx)"))
    publish = forms.BooleanField(
        label=_("Publish the imported versions"),
        required=False,
        initial=True,
        help_text=_("Untick to import them as drafts that you can still edit."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = spreadsheets.MAX_IMPORT_BYTES // 2**20
        self.fields["workbook"].help_text = WORKBOOK_HELP % {"size": limit}

    def clean_workbook(self) -> bytes:
        upload = self.cleaned_data["workbook"]
        data = upload.read(spreadsheets.MAX_IMPORT_BYTES + 1)
        spreadsheets.check_import_size(data)
        return data
