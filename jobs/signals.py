"""Receivers of the jobs app, connected by `JobsConfig.ready()`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from .selectors import jobs_visible_to

# The session remembers whether the account has jobs to follow (HR, or someone who
# started one), so that the navigation shows the jobs link without a query on every
# page; a job's page sets it too, for a first job started after logging in.
NAV_FLAG = "jobs_nav"


@receiver(user_logged_in, dispatch_uid="jobs_nav_flag")
def remember_jobs_access(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[NAV_FLAG] = user.has_perm("jobs.view_job") or jobs_visible_to(user).exists()
