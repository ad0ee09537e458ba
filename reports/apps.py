from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Connects the login receiver that remembers whether to show the reports link.
        from . import background, signals  # noqa: F401  (background registers the export job)
