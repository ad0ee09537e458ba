"""The one Celery task: run a job by its id. The job's row says what to do."""

from celery import shared_task

from .services import job_run, jobs_clear


# Acknowledged late and requeued when its worker process dies (the settings say so for
# every task; repeated here because this task relies on it): the job's claim counts
# the attempts, so a job that keeps killing its worker is failed, not run forever.
@shared_task(name="jobs.run_job", acks_late=True, reject_on_worker_lost=True, ignore_result=False)
def run_job(job_id: int) -> int:
    job_run(job_id=job_id)
    return job_id


@shared_task(name="jobs.clear_jobs", ignore_result=True)
def clear_jobs(days: int) -> int:
    """Celery beat's daily cleanup of old finished jobs (as `manage.py clear_jobs`)."""
    return jobs_clear(days=days)
