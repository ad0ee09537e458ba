"""Jobs in a real Celery worker against the real Redis (tests/jobs/workers.py): a
background import and a large report download run to completion; a worker killed
mid-import (SIGKILL) has the job retried, or failed with the reason, and every document
is wholly in or wholly out. Skipped where Redis is unreachable (never on CI).

The worker and the test share the test database, so the tests commit (transaction=True);
the HR group's permissions, which an earlier transactional test's flush removes, are
granted again where a test needs them.
"""

import importlib
import json
import os
import signal

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.urls import reverse

from jobs.models import Job
from jobs.services import WORKER_LOST
from standards.background import documents_import_start
from standards.models import Standard, Task
from standards.uploads import UploadedDocument
from tests.downloads import sheet_rows
from tests.jobs.workers import TEST_REDIS_URL, broker_for_tests, wait_for
from tests.reports.conftest import build_team
from tests.standards.samples import expected_data

pytestmark = pytest.mark.django_db(transaction=True)

JOB_SECONDS = 120
# AVA4322-001v4 under other codes: 20 tasks each.
TASKS = 20


@pytest.fixture
def broker(media_root, tmp_path):
    with broker_for_tests(media_root, tmp_path) as broker:
        yield broker


def documents(count: int) -> list[UploadedDocument]:
    data = expected_data("AVA4322-001v4")
    made = []
    for number in range(count):
        data["code"] = f"TST{number:04d}-001v1"
        made.append(UploadedDocument(name=f"{data['code']}.json", data=json.dumps(data).encode()))
    return made


def finished(job: Job) -> bool:
    job.refresh_from_db()
    return job.is_finished


def assert_every_document_wholly_in_or_out(job: Job) -> None:
    """Each file's result was committed with its document: written ones are complete."""
    imported = {e.result["code"] for e in job.inputs.all() if e.result and not e.result["error"]}
    assert set(Standard.objects.values_list("code", flat=True)) == imported
    for standard in Standard.objects.all():
        assert Task.objects.filter(duty__standard=standard).count() == TASKS, standard.code


def test_a_worker_runs_a_background_import_to_completion(broker, hannah, client):
    broker.start_worker()

    job = documents_import_start(documents=documents(3), publish=True, user=hannah.user)

    wait_for(lambda: finished(job), JOB_SECONDS, broker.workers[0])
    assert (job.state, job.done, job.total, job.attempts) == (Job.State.SUCCEEDED, 3, 3, 1)
    assert job.result == {"imported": 3, "failed": 0}
    assert_every_document_wholly_in_or_out(job)
    client.force_login(hannah.user)
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["percent"] == 100


def test_a_worker_writes_a_large_download_offered_on_the_jobs_page(broker, client, settings):
    # Whatever transactional test ran before, HR's group has its permissions.
    importlib.import_module("assessments.migrations.0003_hr_permissions").grant_hr_permissions(
        apps, None
    )
    build_team()
    client.force_login(User.objects.get(username="hannah"))
    at_once = client.get(reverse("reports:heatmap"), {"format": "xlsx"}).content
    settings.EXPORT_BACKGROUND_ASSESSMENTS = 1
    broker.start_worker()

    response = client.get(reverse("reports:heatmap"), {"format": "xlsx"})

    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    wait_for(lambda: finished(job), JOB_SECONDS, broker.workers[0])
    assert job.state == Job.State.SUCCEEDED, job.error
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert sheet_rows(b"".join(download.streaming_content)) == sheet_rows(at_once)


def test_a_job_whose_pool_process_is_killed_is_retried_and_completes(broker, hannah):
    worker = broker.start_worker()
    job = documents_import_start(documents=documents(150), publish=True, user=hannah.user)
    wait_for(lambda: Job.objects.get(pk=job.pk).done >= 3, JOB_SECONDS, worker)

    (pool,) = worker.pool_pids()
    os.kill(pool, signal.SIGKILL)

    wait_for(lambda: finished(job), JOB_SECONDS, worker)
    assert (job.state, job.attempts) == (Job.State.SUCCEEDED, 2)
    assert (job.done, job.total, job.result) == (150, 150, {"imported": 150, "failed": 0})
    assert_every_document_wholly_in_or_out(job)


def test_a_job_whose_whole_worker_is_killed_is_failed_by_the_next_with_the_reason(broker, hannah):
    first = broker.start_worker()
    job = documents_import_start(documents=documents(150), publish=True, user=hannah.user)
    wait_for(lambda: Job.objects.get(pk=job.pk).done >= 3, JOB_SECONDS, first)

    first.kill()
    # The message was never acknowledged: Redis gives it to the next worker once the
    # visibility timeout has passed; one attempt only, so that worker fails the job.
    second = broker.start_worker(JOB_VISIBILITY_SECONDS="10", JOB_MAX_ATTEMPTS="1")

    wait_for(lambda: finished(job), JOB_SECONDS, second)
    assert job.state == Job.State.FAILED
    assert job.error == str(WORKER_LOST % {"count": 1})
    assert 3 <= job.inputs.filter(result__isnull=False).count() < 150
    assert_every_document_wholly_in_or_out(job)


def test_healthz_counts_workers_by_their_heartbeat_without_waiting_for_a_ping(
    client, settings, broker
):
    settings.REDIS_KEY_PREFIX = broker.prefix
    settings.WORKER_HEARTBEAT_SECONDS = 4
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": broker.prefix,
        }
    }
    assert client.get("/healthz").json()["workers"] == 0
    first = broker.start_worker()
    second = broker.start_worker()

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "broker": "ok", "workers": 2}
    second.stop()  # a warm shutdown takes its heartbeat away at once
    assert client.get("/healthz").json()["workers"] == 1
    first.kill()  # SIGKILL: no shutdown; its last heartbeat grows old
    wait_for(lambda: client.get("/healthz").json()["workers"] == 0, 10)
