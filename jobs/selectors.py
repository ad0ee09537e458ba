"""Who may follow which job: its starter, and HR (who hold the permission to view jobs)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from .models import Job


def jobs_visible_to(user: AbstractBaseUser) -> QuerySet[Job]:
    """The jobs `user` may see: every job for HR, otherwise the ones they started."""
    if not user.is_authenticated:
        return Job.objects.none()
    if user.has_perm("jobs.view_job"):
        return Job.objects.all()
    return Job.objects.filter(started_by=user)
