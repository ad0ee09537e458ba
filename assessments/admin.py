from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin import RecordAdminMixin, SafeImportExportMixin
from jobs.services import runs_inline

from .accounts import (
    USERNAME_TAKEN,
    employee_create,
    employees_set_active,
    invitations_queue,
    invitations_send,
)
from .models import (
    Assessment,
    AssessmentReturn,
    Cycle,
    Department,
    EmailChange,
    Employee,
    TaskRating,
)
from .resources import DepartmentResource, EmployeeResource
from .selectors import attachable_logins
from .services import assessment_return, assessment_withdraw


@admin.register(Department)
class DepartmentAdmin(SafeImportExportMixin, admin.ModelAdmin):
    resource_classes = [DepartmentResource]
    list_display = ["code", "name", "parent"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]


class EmployeeCreationForm(forms.ModelForm):
    """A person and their login in one step; the login gets no password (they choose
    one from the invitation)."""

    username = forms.CharField(
        label=_("username"),
        max_length=150,
        required=False,
        help_text=_("Leave it empty to use the employee number."),
    )
    email = forms.EmailField(
        label=_("e-mail address"),
        required=False,
        help_text=_("The invitation and reminders go to this address."),
    )

    class Meta:
        model = Employee
        fields = [
            "employee_number",
            "name",
            "user",
            "department",
            "job_title",
            "manager",
            "language",
        ]
        help_texts = {"user": _("Or link a login that exists already instead of a new one.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("user"):
            return data
        username = (data.get("username") or "").strip() or (data.get("employee_number") or "")
        if username and get_user_model().objects.filter(username__iexact=username).exists():
            self.add_error("username", USERNAME_TAKEN % {"username": username})
        return data


@admin.register(Employee)
class EmployeeAdmin(SafeImportExportMixin, admin.ModelAdmin):
    resource_classes = [EmployeeResource]
    list_display = ["employee_number", "name", "department", "job_title", "manager", "login"]
    list_select_related = ["department", "manager", "user"]
    list_filter = ["department", "user__is_active"]
    search_fields = ["employee_number", "name", "user__username", "user__email"]
    # No autocomplete for the login: that would need HR to read every account.
    autocomplete_fields = ["department", "manager"]
    add_fieldsets = [
        (None, {"fields": ["employee_number", "name", "username", "email", "user"]}),
        (_("Organisation"), {"fields": ["department", "job_title", "manager", "language"]}),
    ]
    actions = ["invite", "deactivate", "reactivate"]

    @admin.display(description=_("login"))
    def login(self, employee: Employee) -> str:
        user = employee.user
        if not user.is_active:
            return _("disabled")
        if user.password.startswith(UNUSABLE_PASSWORD_PREFIX):
            return _("no password yet")
        return user.get_username()

    def get_fieldsets(self, request: HttpRequest, obj: Employee | None = None) -> Any:
        if obj is None:
            return self.add_fieldsets
        return super().get_fieldsets(request, obj)

    def get_form(self, request: HttpRequest, obj: Employee | None = None, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = EmployeeCreationForm
        form = super().get_form(request, obj, **kwargs)
        if "user" in form.base_fields and not request.user.is_superuser:
            # Only a superuser may link a staff or superuser account to an employee.
            form.base_fields["user"].queryset = attachable_logins(obj)
        return form

    def save_model(self, request: HttpRequest, obj: Employee, form: Any, change: bool) -> None:
        if change or obj.user_id:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        created = employee_create(
            employee_number=data["employee_number"],
            name=data["name"],
            email=data.get("email") or "",
            username=data.get("username") or "",
            department=data.get("department"),
            job_title=data.get("job_title") or "",
            manager=data.get("manager"),
            language=data.get("language"),
        )
        obj.pk, obj.user = created.pk, created.user
        obj._state.adding = False

    @admin.action(description=_("Send the invitation e-mail"), permissions=["change"])
    def invite(self, request: HttpRequest, queryset: QuerySet[Employee]) -> HttpResponse | None:
        if not runs_inline():
            # A worker sends them; HR follows the progress and the counts on the job's page.
            job = invitations_queue(employees=queryset, user=request.user)
            return redirect(job)
        count = invitations_send(employees=queryset)
        self.message_user(
            request,
            ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", count.sent)
            % {"count": count.sent},
            messages.SUCCESS if count.sent else messages.INFO,
        )
        if count.skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d person skipped: they have a password already, were invited "
                    "today or their login is disabled or a staff account.",
                    "%(count)d people skipped: they have a password already, were invited "
                    "today or their login is disabled or a staff account.",
                    count.skipped,
                )
                % {"count": count.skipped},
                messages.INFO,
            )
        if count.failed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d invitation could not be sent (no e-mail address or the mail "
                    "server refused it); see the e-mails sent.",
                    "%(count)d invitations could not be sent (no e-mail address or the mail "
                    "server refused them); see the e-mails sent.",
                    count.failed,
                )
                % {"count": count.failed},
                messages.ERROR,
            )

    @admin.action(
        description=_("Disable the login (a leaver; the data is kept)"), permissions=["change"]
    )
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Employee]) -> None:
        changed = employees_set_active(employees=queryset, active=False)
        self.message_user(
            request,
            ngettext("%(count)d login disabled.", "%(count)d logins disabled.", changed)
            % {"count": changed},
            messages.SUCCESS,
        )

    @admin.action(description=_("Enable the login again"), permissions=["change"])
    def reactivate(self, request: HttpRequest, queryset: QuerySet[Employee]) -> None:
        changed = employees_set_active(employees=queryset, active=True)
        self.message_user(
            request,
            ngettext("%(count)d login enabled.", "%(count)d logins enabled.", changed)
            % {"count": changed},
            messages.SUCCESS,
        )


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["name", "opens_on", "closes_on"]
    search_fields = ["name"]
    date_hierarchy = "opens_on"


class TaskRatingInline(admin.TabularInline):
    model = TaskRating
    fields = ["task_code", "task_title", "required_level", "self_level", "comment"]
    readonly_fields = ["task_code", "task_title", "required_level"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Assessment | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Assessment | None = None) -> bool:
        # A submitted self-assessment is the employee's word: nobody rewrites it.
        if obj is not None and obj.is_submitted:
            return False
        return super().has_change_permission(request, obj)


class AssessmentReturnInline(admin.TabularInline):
    model = AssessmentReturn
    fields = ["returned_at", "returned_by", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Assessment | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Assessment | None = None) -> bool:
        return False


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does it go back to the employee?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["employee", "standard", "cycle", "stage", "submitted_at"]
    list_filter = ["stage", "cycle"]
    list_select_related = ["employee", "standard", "cycle"]
    search_fields = ["employee__name", "employee__employee_number", "standard__code"]
    autocomplete_fields = ["employee", "standard", "cycle"]
    # The stage moves only through the employee's saves and the return action.
    readonly_fields = ["stage", "submitted_at"]
    inlines = [TaskRatingInline, AssessmentReturnInline]
    actions = ["return_to_employee"]

    def get_readonly_fields(self, request: HttpRequest, obj: Assessment | None = None) -> Any:
        if obj is not None and obj.is_submitted:
            return ["employee", "standard", "cycle", *self.readonly_fields]
        return self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: Assessment | None = None) -> bool:
        # Deleting is withdrawing: only what the employee has not started.
        if obj is not None and obj.is_started:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: Assessment) -> None:
        assessment_withdraw(assessment=obj)

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        # The bulk delete would take submitted assessments along.
        actions.pop("delete_selected", None)
        return actions

    @admin.action(
        description=_("Return to the employee (reopen submitted assessments)"),
        permissions=["change"],
    )
    def return_to_employee(
        self, request: HttpRequest, queryset: QuerySet[Assessment]
    ) -> HttpResponse | None:
        """Ask for a reason on a confirmation page, then return each submitted one."""
        submitted = list(queryset.filter(stage=Assessment.Stage.SUBMITTED))
        form = ReturnForm(request.POST if "confirm" in request.POST else None)
        if submitted and form.is_valid():
            returned = 0
            for assessment in submitted:
                try:
                    assessment_return(
                        assessment=assessment, by=request.user, reason=form.cleaned_data["reason"]
                    )
                except ValidationError as exc:
                    self.message_user(request, f"{assessment}: {exc.messages[0]}", messages.ERROR)
                else:
                    returned += 1
            self.message_user(
                request,
                ngettext(
                    "%(count)d assessment returned to the employee as a draft.",
                    "%(count)d assessments returned to their employees as drafts.",
                    returned,
                )
                % {"count": returned},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "assessments/admin_return.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Return to the employee"),
                "opts": self.model._meta,
                "form": form,
                "assessments": submitted,
                "skipped": len(queryset) - len(submitted),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            },
        )


@admin.register(EmailChange)
class EmailChangeAdmin(RecordAdminMixin, admin.ModelAdmin):
    """The record of e-mail address changes: read only."""

    list_display = ["changed_at", "user", "old_email", "new_email", "changed_by"]
    list_select_related = ["user", "changed_by"]
    search_fields = ["user__username", "old_email", "new_email"]
