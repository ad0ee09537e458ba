from django.contrib import admin

from common.admin import SafeImportExportMixin

from .models import Course
from .resources import CourseResource


@admin.register(Course)
class CourseAdmin(SafeImportExportMixin, admin.ModelAdmin):
    resource_classes = [CourseResource]
    list_display = ["title", "provider", "hours", "icap_certified"]
    list_filter = ["icap_certified"]
    search_fields = ["title", "provider"]
    autocomplete_fields = ["standards", "knowledge_items", "skill_items"]
