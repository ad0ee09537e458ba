from django.contrib import admin

from .models import Standard


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "status", "publication"]
    list_filter = ["status", "publication"]
    search_fields = ["code", "name"]
