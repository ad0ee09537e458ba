from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = _("Self-assessments")

    def ready(self) -> None:
        from . import accounts, reminders, signals  # noqa: F401 - receivers and mailers
