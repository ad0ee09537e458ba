from django.contrib import admin
from django.http import HttpRequest

from common.admin import SafeImportExportMixin

from .models import Assessment, Cycle, Department, Employee, TaskRating
from .resources import DepartmentResource, EmployeeResource


@admin.register(Department)
class DepartmentAdmin(SafeImportExportMixin, admin.ModelAdmin):
    resource_classes = [DepartmentResource]
    list_display = ["code", "name", "parent"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]


@admin.register(Employee)
class EmployeeAdmin(SafeImportExportMixin, admin.ModelAdmin):
    resource_classes = [EmployeeResource]
    list_display = ["employee_number", "name", "department", "job_title", "manager"]
    list_select_related = ["department", "manager"]
    list_filter = ["department"]
    search_fields = ["employee_number", "name", "user__username"]
    autocomplete_fields = ["user", "department", "manager"]


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


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["employee", "standard", "cycle", "status", "submitted_at"]
    list_filter = ["status", "cycle"]
    list_select_related = ["employee", "standard", "cycle"]
    search_fields = ["employee__name", "employee__employee_number", "standard__code"]
    autocomplete_fields = ["employee", "standard", "cycle"]
    inlines = [TaskRatingInline]
