"""What each kind of job does: the apps that own the work register it here.

`standards` registers the import of documents and `reports` the report downloads (in
their AppConfig.ready), so that this app imports neither.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .models import Job


class JobError(Exception):
    """Raised by a job's work to fail it with `message`, shown on the job's page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = str(message)


JobWork = Callable[[Job], dict[str, Any] | None]
_WORK: dict[str, JobWork] = {}


def job_kind(kind: str) -> Callable[[JobWork], JobWork]:
    """Register the function that does the work of jobs of `kind`.

    It is given the job (already marked running), reports its progress with
    `jobs.services.job_progress` and returns the job's result (JSON), or None when it
    keeps its result itself as it goes (`jobs.services.job_result_change`); an exception
    fails the job. It may be run again after a worker was lost, so it must skip what
    an earlier attempt committed.
    """

    def register(work: JobWork) -> JobWork:
        _WORK[kind] = work
        return work

    return register


def job_work(kind: str) -> JobWork:
    return _WORK[kind]
