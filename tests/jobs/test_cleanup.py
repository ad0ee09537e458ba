"""Old finished jobs and their files are deleted (`clear_jobs --days N`, and the task
Celery beat runs nightly); running and waiting jobs stay. The jobs link in the
navigation is there for HR and for whoever started a job."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job, JobInput
from jobs.services import job_save_output
from jobs.tasks import clear_jobs

pytestmark = pytest.mark.django_db


def job_finished(days_ago: int, *, state: str = Job.State.SUCCEEDED, user=None) -> Job:
    job = Job.objects.create(kind=Job.Kind.REPORT_EXPORT, state=state, started_by=user)
    job_save_output(job, name="team.csv", data=b"\xef\xbb\xbfa,b\r\n")
    Job.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    job.refresh_from_db()
    return job


def test_clear_jobs_deletes_old_finished_jobs_and_their_files(media_root, capsys):
    old, failed, recent = (
        job_finished(40),
        job_finished(31, state=Job.State.FAILED),
        job_finished(5),
    )
    running = Job.objects.create(kind=Job.Kind.MAIL, state=Job.State.RUNNING)
    old_file = media_root / old.output.name

    call_command("clear_jobs", "--days", "30")

    assert set(Job.objects.all()) == {recent, running}
    assert not old_file.exists()
    assert (media_root / recent.output.name).exists()
    assert "2 jobs deleted" in capsys.readouterr().out
    assert failed.pk not in Job.objects.values_list("pk", flat=True)


def test_a_job_input_kept_for_a_requeue_goes_with_its_job(media_root):
    job = job_finished(100, state=Job.State.FAILED)
    JobInput.objects.create(job=job, position=0, name="a.json")

    assert clear_jobs(days=30) == 1

    assert not JobInput.objects.exists()


def test_clear_jobs_refuses_zero_days():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("clear_jobs", "--days", "0")


def test_the_jobs_link_is_in_the_navigation_for_hr_and_for_a_starter(client, hannah, alice, bob):
    job_finished(1, user=bob.user)
    for persona, shown in ((hannah, True), (bob, True), (alice, False)):
        client.logout()
        client.force_login(persona.user)
        page = client.get(reverse("assessments:mine")).content.decode()
        assert (f'href="{reverse("jobs:list")}"' in page) is shown, persona


def test_a_first_job_started_after_logging_in_brings_the_link(client, alice):
    client.force_login(alice.user)
    job = job_finished(0, user=alice.user)

    client.get(job.get_absolute_url())

    assert (
        f'href="{reverse("jobs:list")}"' in client.get(reverse("assessments:mine")).content.decode()
    )
