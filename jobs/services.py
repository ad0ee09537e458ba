"""Starting and running jobs. Every job goes through `job_start` and `job_run`, whether a
Celery worker runs it or, without a broker, the request or command that started it."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from typing import Any

from celery import current_app
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .kinds import JobError, job_work
from .models import Job, JobInput

logger = logging.getLogger(__name__)

WORKER_LOST = gettext_lazy(
    "The worker running this job stopped %(count)s times before it finished; "
    "it was not tried again."
)
NOT_FAILED = gettext_lazy("Only a failed job can be started again.")
UNEXPECTED_ERROR = gettext_lazy(
    "The job stopped on an unexpected error (job %(pk)s in the server log)."
)


def runs_inline() -> bool:
    """True when no broker is configured: jobs run in the request or command itself."""
    return bool(current_app.conf.task_always_eager)


def job_start(
    *,
    kind: str,
    user: AbstractBaseUser | None,
    arguments: dict[str, Any],
    files: Iterable[tuple[str, bytes]] = (),
) -> Job:
    """Record a job, keep its files in the shared storage and hand it to a worker.

    The task is sent once the job's row is committed, so a worker always finds it.
    Without a broker the job runs here and now, and is finished when this returns.
    """
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            started_by=user if user and user.is_authenticated else None,
            arguments=arguments,
        )
        for position, (name, data) in enumerate(files):
            entry = JobInput(job=job, position=position, name=name[:255])
            entry.file.save(f"{job.pk}-{position}", ContentFile(data), save=False)
            entry.save()
    _hand_over(job)
    return job


def _hand_over(job: Job) -> None:
    """Run `job` now without a broker, else send it to a worker once committed."""
    if runs_inline():
        job_run(job_id=job.pk)
        job.refresh_from_db()
    else:
        from .tasks import run_job

        transaction.on_commit(lambda: run_job.delay(job.pk))


def job_requeue(*, job: Job) -> Job:
    """Start a failed job again, as a new first attempt: its work skips what an earlier
    run committed (an import's files already done; e-mails already sent). Raises
    ValidationError (nothing changed) unless the job has failed."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.state != Job.State.FAILED:
            raise ValidationError(NOT_FAILED, code="not_failed")
        locked.state, locked.attempts, locked.error = Job.State.QUEUED, 0, ""
        locked.started_at = locked.finished_at = None
        locked.save(update_fields=["state", "attempts", "error", "started_at", "finished_at"])
    _hand_over(locked)
    return locked


def job_run(*, job_id: int) -> None:
    """Run a job: claim it (one attempt more), do its kind's work, record the outcome.

    A job already finished is left alone (a message delivered twice). A job whose
    worker was lost is run again, up to JOB_MAX_ATTEMPTS attempts, then failed with
    that reason; its work skips what an earlier attempt committed.
    """
    job = _claim(job_id)
    if job is None:
        return
    try:
        result = job_work(job.kind)(job)
    except JobError as exc:
        _finish(job, state=Job.State.FAILED, error=exc.message)
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, state=Job.State.FAILED, error=str(UNEXPECTED_ERROR % {"pk": job.pk}))
    else:
        _finish(job, state=Job.State.SUCCEEDED, result=result)


def _claim(job_id: int) -> Job | None:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        if job.attempts >= settings.JOB_MAX_ATTEMPTS:
            job.state, job.finished_at = Job.State.FAILED, timezone.now()
            job.error = str(WORKER_LOST % {"count": job.attempts})
            job.save(update_fields=["state", "finished_at", "error"])
            return None
        job.attempts += 1
        job.state = Job.State.RUNNING
        job.started_at = job.started_at or timezone.now()
        job.save(update_fields=["attempts", "state", "started_at"])
    return job


def _finish(job: Job, *, state: str, result: dict | None = None, error: str = "") -> None:
    fields = {"state": state, "finished_at": timezone.now(), "error": error}
    if result is not None:
        fields["result"] = result
    Job.objects.filter(pk=job.pk).update(**fields)
    if state == Job.State.SUCCEEDED:
        _forget_inputs(job)  # a failed job keeps them, to be started again


def _forget_inputs(job: Job) -> None:
    """The uploaded files are not needed once a job has finished: free the storage."""
    for entry in job.inputs.exclude(file=""):
        entry.file.delete(save=False)
    job.inputs.update(file="")


def job_progress(job: Job, *, done: int | None = None, total: int | None = None) -> None:
    """Record how far `job` is (`done` of `total` steps); inside a transaction, the page
    sees it when that transaction commits."""
    fields = {}
    if done is not None:
        fields["done"] = done
    if total is not None:
        fields["total"] = total
    Job.objects.filter(pk=job.pk).update(**fields)


def job_step_done(job: Job) -> None:
    """One more step of `job` done."""
    Job.objects.filter(pk=job.pk).update(done=F("done") + 1)


def job_result_change(
    job_id: int, change: Callable[[dict[str, Any]], None], *, step_done: bool = False
) -> None:
    """Change a job's result in place with `change`, the row locked, for work whose
    result keeps changing after the job finished (a retried e-mail settling its
    batch's counts): two changes at once never lose one. `step_done` also counts one
    more step done, in the same update."""
    with transaction.atomic():
        job = Job.objects.select_for_update().only("result").filter(pk=job_id).first()
        if job is None:
            return  # deleted meanwhile (jobs_clear)
        result = job.result or {}
        change(result)
        fields: dict[str, Any] = {"result": result}
        if step_done:
            fields["done"] = F("done") + 1
        Job.objects.filter(pk=job_id).update(**fields)


def job_save_output(job: Job, *, name: str, data: bytes) -> None:
    """Keep the file `job` made in the shared storage, offered for download as `name`."""
    job.output.save(f"{job.pk}-{name}", ContentFile(data), save=False)
    job.output_name = name
    Job.objects.filter(pk=job.pk).update(output=job.output.name, output_name=name)


def job_message(job: Job) -> str:
    """One line saying where the job is, for the command line and messages."""
    return _("%(job)s: %(state)s") % {"job": job, "state": job.get_state_display()}


def jobs_clear(*, days: int) -> int:
    """Delete the jobs that finished more than `days` days ago, with their files (the
    download a job made, any file it kept); running and waiting jobs stay. Returns how
    many jobs were deleted."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    old = Job.objects.filter(state__in=Job.FINISHED, finished_at__lt=cutoff)
    deleted = 0
    for job in old.iterator(chunk_size=500):
        if job.output:
            job.output.delete(save=False)
        _forget_inputs(job)
        job.delete()
        deleted += 1
    return deleted
