from django.contrib import admin

from common.admin import RecordAdminMixin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(RecordAdminMixin, admin.ModelAdmin):
    """The record of e-mails sent and failed: read only."""

    list_display = ["created_at", "kind", "address", "subject", "sent_at", "attempts"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter)]
    list_select_related = ["recipient"]
    search_fields = ["address", "recipient__username", "event_key"]
