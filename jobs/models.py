"""A job: long work (an import of many documents, a large report download) that runs in a
Celery worker, or inline when no broker is configured, with a record people can follow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Kind(models.TextChoices):
        STANDARDS_IMPORT = "standards_import", _("Import of standard documents")
        REPORT_EXPORT = "report_export", _("Report download")
        MAIL = "mail", _("E-mails")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    FINISHED = (State.SUCCEEDED, State.FAILED)

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("steps done"), default=0)
    total = models.PositiveIntegerField(_("steps"), default=0)
    # What the job works on (JSON: a report's name and query, whether to publish…).
    arguments = models.JSONField(_("arguments"), default=dict, blank=True)
    # What came of it, as the job's page shows it (JSON: counts, the rows written…).
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # A generated file (a report download), in the default storage every server shares.
    output = models.FileField(_("file"), upload_to="jobs/output/%Y/%m/", blank=True)
    output_name = models.CharField(_("file name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["started_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.state in self.FINISHED

    @property
    def percent(self) -> int:
        """How far the job is, 0–100 (100 once it has finished, whatever its steps)."""
        if self.is_finished:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)


class JobInput(models.Model):
    """One file a job works on (an uploaded document), kept in the shared storage until
    the job finishes, and what came of it: `result` is written in the same transaction
    as the file's own work, so a job run again after a lost worker skips it."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="inputs")
    position = models.PositiveIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=255)
    file = models.FileField(_("file"), upload_to="jobs/input/%Y/%m/", blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)

    class Meta:
        verbose_name = _("job file")
        verbose_name_plural = _("job files")
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="job_input_position_unique")
        ]

    def __str__(self) -> str:
        return self.name
