from django.contrib import admin

from .models import Department, Employee


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["employee_number", "name", "department", "job_title", "manager"]
    list_select_related = ["department", "manager"]
    list_filter = ["department"]
    search_fields = ["employee_number", "name", "user__username"]
    autocomplete_fields = ["user", "department", "manager"]
