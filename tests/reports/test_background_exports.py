"""Report downloads that read more than EXPORT_BACKGROUND_ASSESSMENTS assessments are
written by a job and offered on its page; smaller ones are downloaded at once. Without
a broker the job runs inline; tests/jobs/test_worker.py runs one in a real worker."""

import pytest
from django.urls import reverse

from jobs.models import Job
from tests.downloads import sheet_rows
from tests.reports.conftest import team_once_per_module

pytestmark = pytest.mark.django_db

module_team, team, carol, alice, bob, dave, erin, hannah, production, sales = team_once_per_module()

REPORTS = ["dashboard", "heatmap", "training_needs"]


@pytest.mark.parametrize("name", REPORTS)
def test_a_small_download_is_written_at_once(client, team, hannah, name):
    client.force_login(hannah.user)

    response = client.get(reverse(f"reports:{name}"), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert not Job.objects.exists()


@pytest.mark.parametrize("name", REPORTS)
def test_a_large_download_becomes_a_job_offering_the_same_file(
    client, team, hannah, settings, name
):
    client.force_login(hannah.user)
    at_once = client.get(reverse(f"reports:{name}"), {"format": "xlsx"}).content
    settings.EXPORT_BACKGROUND_ASSESSMENTS = 1

    response = client.get(reverse(f"reports:{name}"), {"format": "xlsx"})

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.kind, job.state, job.started_by) == (
        Job.Kind.REPORT_EXPORT,
        Job.State.SUCCEEDED,
        hannah.user,
    )
    page = client.get(job.get_absolute_url()).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in page
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert sheet_rows(b"".join(download.streaming_content)) == sheet_rows(at_once)


def test_the_job_file_is_formula_safe(client, team, hannah, settings):
    settings.EXPORT_BACKGROUND_ASSESSMENTS = 1
    client.force_login(hannah.user)

    client.get(reverse("reports:training_needs"), {"format": "csv"})

    job = Job.objects.get()
    content = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    assert "'=HYPERLINK" in content.decode("utf-8-sig")


def test_a_managers_large_download_holds_only_their_team(client, team, carol, settings):
    settings.EXPORT_BACKGROUND_ASSESSMENTS = 1
    client.force_login(carol.user)

    client.get(reverse("reports:dashboard"), {"format": "csv"})

    job = Job.objects.get()
    content = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    text = content.decode("utf-8-sig")
    assert "王愛麗" in text and "李艾琳" not in text
    assert job.started_by == carol.user


def test_asking_again_while_the_job_runs_leads_to_the_same_job(client, team, hannah, settings):
    settings.EXPORT_BACKGROUND_ASSESSMENTS = 1
    client.force_login(hannah.user)
    client.get(reverse("reports:heatmap"), {"format": "csv"})
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING)

    response = client.get(reverse("reports:heatmap"), {"format": "csv"})

    assert response["Location"] == job.get_absolute_url()
    assert Job.objects.count() == 1
