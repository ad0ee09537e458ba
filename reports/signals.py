"""Receivers of the reports app, connected by `ReportsConfig.ready()`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from .selectors import viewer_for

# The session remembers at login whether the account manages someone or is HR, so that
# the navigation can show the reports link without a query on every page.
NAV_FLAG = "reports_nav"


@receiver(user_logged_in, dispatch_uid="reports_nav_flag")
def remember_report_access(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[NAV_FLAG] = viewer_for(user) is not None
