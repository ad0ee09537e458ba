"""Jobs without a broker (as `make run` has it): they run inline, in the request or
command that starts them, and their page, progress JSON and file work the same."""

import pytest
from django.urls import reverse

from jobs.kinds import JobError, job_kind
from jobs.models import Job
from jobs.services import (
    UNEXPECTED_ERROR,
    WORKER_LOST,
    job_progress,
    job_run,
    job_start,
    runs_inline,
)

pytestmark = pytest.mark.django_db


def test_without_a_broker_jobs_run_inline():
    assert runs_inline()


@pytest.fixture
def failing_kind():
    """Jobs of the import kind fail with a message, then the real work is put back."""
    from jobs import kinds

    real = kinds._WORK[Job.Kind.STANDARDS_IMPORT]

    @job_kind(Job.Kind.STANDARDS_IMPORT)
    def fail(job: Job) -> dict:
        job_progress(job, done=1, total=4)
        raise JobError("第 2 個檔案無法讀取")

    yield
    kinds._WORK[Job.Kind.STANDARDS_IMPORT] = real


def test_a_job_that_raises_job_error_fails_with_its_message(failing_kind, hannah):
    job = job_start(kind=Job.Kind.STANDARDS_IMPORT, user=hannah.user, arguments={})

    assert (job.state, job.error, job.attempts) == (Job.State.FAILED, "第 2 個檔案無法讀取", 1)
    assert job.finished_at is not None and job.percent == 100


def test_an_unexpected_error_fails_the_job_without_showing_the_exception(hannah):
    from jobs import kinds

    real = kinds._WORK[Job.Kind.STANDARDS_IMPORT]
    kinds._WORK[Job.Kind.STANDARDS_IMPORT] = lambda job: 1 / 0
    try:
        job = job_start(kind=Job.Kind.STANDARDS_IMPORT, user=hannah.user, arguments={})
    finally:
        kinds._WORK[Job.Kind.STANDARDS_IMPORT] = real

    assert job.state == Job.State.FAILED
    assert job.error == str(UNEXPECTED_ERROR % {"pk": job.pk})
    assert "ZeroDivision" not in job.error


def test_a_job_whose_worker_was_lost_too_often_fails_with_that_reason(settings, hannah):
    settings.JOB_MAX_ATTEMPTS = 2
    job = Job.objects.create(
        kind=Job.Kind.STANDARDS_IMPORT, started_by=hannah.user, state=Job.State.RUNNING, attempts=2
    )

    job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == str(WORKER_LOST % {"count": 2})


def test_a_finished_job_delivered_again_is_left_alone(hannah):
    job = Job.objects.create(
        kind=Job.Kind.STANDARDS_IMPORT, started_by=hannah.user, state=Job.State.SUCCEEDED
    )
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.SUCCEEDED, 0)


def test_the_status_json_says_how_far_the_job_is(client, hannah):
    job = Job.objects.create(
        kind=Job.Kind.STANDARDS_IMPORT,
        started_by=hannah.user,
        state=Job.State.RUNNING,
        done=3,
        total=12,
    )
    client.force_login(hannah.user)

    response = client.get(reverse("jobs:status", args=[job.pk]))

    assert response.json() == {
        "state": "running",
        "state_label": "執行中",
        "done": 3,
        "total": 12,
        "percent": 25,
        "finished": False,
    }


def test_a_running_jobs_page_has_a_progress_bar_that_polls_the_status(client, hannah):
    job = Job.objects.create(
        kind=Job.Kind.STANDARDS_IMPORT, started_by=hannah.user, state=Job.State.RUNNING, total=4
    )
    client.force_login(hannah.user)

    page = client.get(job.get_absolute_url()).content.decode()

    assert '<progress max="100" value="0"' in page
    assert f'data-job-status="{reverse("jobs:status", args=[job.pk])}"' in page
    assert "/static/js/job_progress.js" in page


def test_a_finished_jobs_page_stops_polling(client, hannah):
    job = Job.objects.create(
        kind=Job.Kind.STANDARDS_IMPORT, started_by=hannah.user, state=Job.State.SUCCEEDED
    )
    client.force_login(hannah.user)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "data-job-status" not in page
    assert '<progress max="100" value="100"' in page


def test_a_job_without_a_file_has_no_download(client, hannah):
    job = Job.objects.create(
        kind=Job.Kind.REPORT_EXPORT, started_by=hannah.user, state=Job.State.RUNNING
    )
    client.force_login(hannah.user)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_the_job_list_is_empty_with_a_message(client, alice):
    client.force_login(alice.user)
    response = client.get(reverse("jobs:list"))
    assert "尚無背景工作" in response.content.decode()
