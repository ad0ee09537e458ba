"""URL × persona access matrix of the job pages, the background upload and /healthz.

A job is seen by the one who started it and by HR (and a superuser); anyone else gets
404, as if it did not exist; anonymous visitors are sent to log in. stan is staff
without permissions: he sees no one's job, and may not upload in the background.
"""

import pytest
from django.urls import reverse

from jobs.models import Job
from jobs.services import job_save_output

pytestmark = pytest.mark.django_db

PERSONAS = ["alice", "bob", "carol", "dave", "hannah", "stan", "sophie"]
JOB_PAGES = ["detail", "status", "download"]
# carol started the job: she, HR and the superuser see it.
SEES_CAROLS_JOB = {"carol", "hannah", "sophie"}
# The admin's background upload: HR; staff without permissions 403; others to log in.
BACKGROUND_UPLOAD = {
    "alice": 302,
    "bob": 302,
    "carol": 302,
    "dave": 302,
    "hannah": 200,
    "stan": 403,
    "sophie": 200,
}


@pytest.fixture
def carols_job(carol) -> Job:
    job = Job.objects.create(
        kind=Job.Kind.REPORT_EXPORT, started_by=carol.user, state=Job.State.SUCCEEDED
    )
    job_save_output(job, name="team.csv", data="\ufeff工號,姓名\r\n".encode())
    return job


@pytest.mark.parametrize("page", JOB_PAGES + ["list"])
def test_anonymous_visitors_are_sent_to_log_in(client, carols_job, page):
    args = [] if page == "list" else [carols_job.pk]
    response = client.get(reverse(f"jobs:{page}", args=args))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("page", JOB_PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(client, request, carols_job, persona, page):
    client.force_login(request.getfixturevalue(persona).user)

    response = client.get(reverse(f"jobs:{page}", args=[carols_job.pk]))

    assert response.status_code == (200 if persona in SEES_CAROLS_JOB else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_job_list_shows_only_what_the_persona_may_see(client, request, carols_job, persona):
    client.force_login(request.getfixturevalue(persona).user)

    response = client.get(reverse("jobs:list"))

    assert response.status_code == 200
    assert list(response.context["jobs"]) == ([carols_job] if persona in SEES_CAROLS_JOB else [])


@pytest.mark.parametrize("persona", PERSONAS)
def test_background_upload_matrix(client, request, persona):
    client.force_login(request.getfixturevalue(persona).user)

    response = client.get(reverse("admin:standards_standard_upload_background"))

    assert response.status_code == BACKGROUND_UPLOAD[persona]


def test_another_persons_job_that_does_not_exist_either_is_404(client, carol):
    client.force_login(carol.user)
    assert client.get(reverse("jobs:detail", args=[999999])).status_code == 404


def test_job_pages_are_never_cached(client, carols_job, carol):
    client.force_login(carol.user)
    for page in JOB_PAGES:
        response = client.get(reverse(f"jobs:{page}", args=[carols_job.pk]))
        assert "no-store" in response["Cache-Control"], page


@pytest.mark.parametrize("persona", [None, *PERSONAS])
def test_healthz_answers_everyone_without_logging_in(client, request, persona):
    if persona:
        client.force_login(request.getfixturevalue(persona).user)
    assert client.get("/healthz").status_code == 200


@pytest.fixture
def carols_failed_job(carol) -> Job:
    return Job.objects.create(
        kind=Job.Kind.REPORT_EXPORT, started_by=carol.user, state=Job.State.FAILED, error="x"
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_requeue_confirmation_matrix(client, request, carols_failed_job, persona):
    client.force_login(request.getfixturevalue(persona).user)

    response = client.get(reverse("jobs:requeue", args=[carols_failed_job.pk]))

    assert response.status_code == (200 if persona in SEES_CAROLS_JOB else 404)


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - SEES_CAROLS_JOB))
def test_others_cannot_requeue_carols_job(client, request, carols_failed_job, persona):
    client.force_login(request.getfixturevalue(persona).user)

    response = client.post(reverse("jobs:requeue", args=[carols_failed_job.pk]))

    assert response.status_code == 404
    carols_failed_job.refresh_from_db()
    assert carols_failed_job.state == Job.State.FAILED


def test_anonymous_visitors_cannot_requeue(client, carols_failed_job):
    response = client.post(reverse("jobs:requeue", args=[carols_failed_job.pk]))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    carols_failed_job.refresh_from_db()
    assert carols_failed_job.state == Job.State.FAILED
