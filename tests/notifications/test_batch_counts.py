"""A mail job's counts stay true after it finished: a message handed to the retrying
task is "retrying" until that task settles it, once, as sent, failed or skipped. Here
without a broker (the task runs in the same call); tests/notifications/test_queue.py
checks the same through a real worker."""

import pytest

from assessments.accounts import employee_create, invitations_queue
from assessments.models import Employee
from jobs.models import Job
from notifications.queue import mail_batch_settle

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomers(db) -> list[Employee]:
    return [
        employee_create(employee_number=f"N{n}", name=f"新人{n}", email=f"n{n}@example.com")
        for n in range(3)
    ]


def counts(job: Job) -> dict[str, int]:
    job.refresh_from_db()
    return {key: job.result[key] for key in ("sent", "failed", "retrying", "skipped")}


def test_every_message_is_counted_once_as_it_is_sent(smtp_server, newcomers, hannah):
    job = invitations_queue(employees=Employee.objects.all(), user=hannah.user)

    assert job.state == Job.State.SUCCEEDED
    assert (job.done, job.total) == (3, 3)
    assert counts(job) == {"sent": 3, "failed": 0, "retrying": 0, "skipped": 0}
    assert len(smtp_server.messages) == 3


def test_a_message_the_server_defers_is_settled_by_its_retry(smtp_server, newcomers, hannah):
    smtp_server.refuse, smtp_server.refuse_reply = True, "451 4.7.1 try again later"

    job = invitations_queue(employees=Employee.objects.all(), user=hannah.user)

    # Inline, the retry is the one further attempt, made at once; it fails too.
    assert counts(job) == {"sent": 0, "failed": 3, "retrying": 0, "skipped": 0}
    assert [f["to"] for f in job.result["failures"]] == ["新人0", "新人1", "新人2"]
    assert all("451" in f["error"] for f in job.result["failures"])
    assert job.result["pending"] == {}


def test_a_settled_message_is_counted_once_and_a_stale_one_not_at_all(smtp_server, newcomers):
    job = Job.objects.create(
        kind=Job.Kind.MAIL,
        arguments={"batch": "invitations", "messages": []},
        result={
            "sent": 1, "failed": 0, "skipped": 0, "retrying": 2,
            "failures": [{"position": 1, "to": "新人1", "error": "421 busy"}],
            "pending": {"1": "新人1", "2": "新人2"},
        },
    )  # fmt: skip

    mail_batch_settle(job.pk, 1, "sent")
    mail_batch_settle(job.pk, 1, "sent")  # the same retry delivered twice
    mail_batch_settle(job.pk, 7, "failed", "550")  # not waiting: an earlier run's retry
    mail_batch_settle(job.pk, 2, "failed", "550 no such user")

    assert counts(job) == {"sent": 2, "failed": 1, "retrying": 0, "skipped": 0}
    assert job.result["failures"] == [{"position": 2, "to": "新人2", "error": "550 no such user"}]
    assert job.result["pending"] == {}
