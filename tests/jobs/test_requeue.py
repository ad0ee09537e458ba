"""A failed job can be started again by its starter or HR, after a confirmation: it goes
on from where it stopped (an import's remaining files, kept in the storage while the job
is failed). A job that has not failed is left alone."""

import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from jobs.models import Job, JobInput
from jobs.services import WORKER_LOST
from standards.models import Standard
from tests.standards.samples import expected_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def lost_import(hannah, media_root):
    """An import of two documents whose worker kept dying after the first one."""
    job = Job.objects.create(
        kind=Job.Kind.STANDARDS_IMPORT,
        started_by=hannah.user,
        state=Job.State.FAILED,
        attempts=3,
        error=str(WORKER_LOST % {"count": 3}),
        arguments={"publish": True, "files": 2},
    )
    data = expected_data("AVA4322-001v4")
    for position in range(2):
        data["code"] = f"TST{position:04d}-001v1"
        entry = JobInput(job=job, position=position, name=f"{data['code']}.json")
        entry.file.save(f"{job.pk}-{position}", ContentFile(json.dumps(data).encode()), save=False)
        entry.save()
    yield job
    # The storage is the test run's: leave no file behind for a later test to find.
    for entry in JobInput.objects.filter(job=job.pk).exclude(file=""):
        entry.file.delete(save=False)


def test_the_confirmation_page_asks_before_anything_changes(client, hannah, lost_import):
    client.force_login(hannah.user)

    page = client.get(reverse("jobs:requeue", args=[lost_import.pk]))

    assert page.status_code == 200
    assert b'method="post"' in page.content
    lost_import.refresh_from_db()
    assert lost_import.state == Job.State.FAILED


def test_a_failed_import_started_again_imports_its_remaining_files(client, hannah, lost_import):
    client.force_login(hannah.user)

    response = client.post(reverse("jobs:requeue", args=[lost_import.pk]))

    assert response["Location"] == lost_import.get_absolute_url()
    lost_import.refresh_from_db()
    assert (lost_import.state, lost_import.attempts, lost_import.error) == (
        Job.State.SUCCEEDED,
        1,
        "",
    )
    assert lost_import.result == {"imported": 2, "failed": 0}
    assert set(Standard.objects.values_list("code", flat=True)) == {
        "TST0000-001v1",
        "TST0001-001v1",
    }


def test_a_job_that_has_not_failed_is_not_started_again(client, hannah, lost_import):
    Job.objects.filter(pk=lost_import.pk).update(state=Job.State.SUCCEEDED)
    client.force_login(hannah.user)

    response = client.post(reverse("jobs:requeue", args=[lost_import.pk]), follow=True)

    assert "只有失敗的工作可以重新開始" in response.content.decode()
    assert Job.objects.get(pk=lost_import.pk).attempts == 3
    assert not Standard.objects.exists()


def test_a_failed_job_page_offers_to_start_it_again(client, hannah, lost_import):
    client.force_login(hannah.user)

    page = client.get(lost_import.get_absolute_url()).content.decode()

    assert reverse("jobs:requeue", args=[lost_import.pk]) in page
