from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.admin import RecordAdminMixin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(RecordAdminMixin, admin.ModelAdmin):
    """The record of e-mails sent and failed: read only."""

    list_display = [
        "created_at",
        "kind",
        "address",
        "subject",
        "sent_at",
        "attempts",
        "state",
        "next_attempt_at",
    ]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter)]
    list_select_related = ["recipient"]

    @admin.display(description=_("state"))
    def state(self, notification: Notification) -> str:
        return notification.state

    search_fields = ["address", "recipient__username", "event_key"]
