"""Receivers of the assessments app, connected by `AssessmentsConfig.ready()`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

from .models import Employee
from .selectors import is_hr
from .services import assign_by_job_title

# The session remembers at login whether the account is HR, so that the navigation can
# show the link to assigning without a permission query on every page.
NAV_FLAG = "assign_nav"


@receiver(post_save, sender=Employee, dispatch_uid="assign_by_job_title")
def employee_saved(sender: type, instance: Employee, raw: bool = False, **kwargs: Any) -> None:
    """Whoever saves an employee with a new job title (the admin, the import, a script),
    the standards that title takes in the open cycles are assigned."""
    if raw or not instance.job_title_changed:
        return
    assign_by_job_title(employee=instance)
    instance._loaded_job_title = instance.job_title


@receiver(user_logged_in, dispatch_uid="assign_nav_flag")
def remember_assign_access(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[NAV_FLAG] = is_hr(user) and user.has_perm("assessments.add_assessment")
