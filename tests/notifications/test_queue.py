"""Invitations and reminders through a real Celery worker against the machine's Redis
(tests/jobs/workers.py) and a real SMTP server on loopback (aiosmtpd): each message
arrives once, however often it is queued; a mail server down or answering "try later"
is retried with backoff until it recovers, at most MAIL_MAX_RETRIES times, and the
Notification records each failure and the final state. Skipped where Redis is
unreachable (never on CI)."""

import importlib
import time

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation

from assessments.accounts import employee_create, invitations_queue
from assessments.models import Employee
from jobs.models import Job
from notifications.models import Notification
from notifications.tasks import deliver
from tests.jobs.workers import broker_for_tests, wait_for
from tests.mail import Inbox, free_port, start_smtp_server

pytestmark = pytest.mark.django_db(transaction=True)

SECONDS = 90


@pytest.fixture
def broker(media_root, tmp_path):
    with broker_for_tests(media_root, tmp_path) as broker:
        yield broker


@pytest.fixture
def newcomers(db) -> list[Employee]:
    return [
        employee_create(employee_number=f"N{n}", name=f"新人{n}", email=f"n{n}@example.com")
        for n in range(4)
    ]


def start_worker(broker, port: int, **env: str):
    return broker.start_worker(
        EMAIL_URL=f"smtp://127.0.0.1:{port}",
        MAIL_RETRY_SECONDS="1",
        MAIL_RETRY_MAX_SECONDS="2",
        **env,
    )


def finished(job: Job) -> bool:
    job.refresh_from_db()
    return job.is_finished


def recipients(inbox: Inbox) -> list[str]:
    return sorted(message["To"] for message in inbox.messages)


def counts(job: Job) -> dict[str, int]:
    return {key: job.result[key] for key in ("sent", "failed", "retrying", "skipped")}


def invitation(employee: Employee) -> dict:
    return {"employee": employee.pk, "day": timezone.localdate().isoformat()}


def test_queued_invitations_are_sent_by_the_worker_once_each(broker, newcomers, hannah):
    inbox = Inbox()
    server = start_smtp_server(inbox)
    try:
        worker = start_worker(broker, server.port)
        job = invitations_queue(employees=Employee.objects.all(), user=hannah.user)
        # The same invitation queued twice more, as a retried or doubled message would be.
        deliver.delay("invitation", invitation(newcomers[0]))
        deliver.delay("invitation", invitation(newcomers[0]))

        wait_for(lambda: finished(job), SECONDS, worker)
        wait_for(lambda: Notification.objects.filter(sent_at__isnull=False).count() == 4, SECONDS)
        time.sleep(1)  # time for a duplicate to arrive, if one were sent
    finally:
        server.stop()

    assert recipients(inbox) == [f"n{n}@example.com" for n in range(4)]
    assert job.state == Job.State.SUCCEEDED
    assert (job.done, job.total) == (4, 4)
    assert counts(job) == {"sent": 4, "failed": 0, "retrying": 0, "skipped": 0}
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}


def test_a_mail_server_down_at_first_is_retried_until_it_answers_and_sends_once(
    broker, newcomers, hannah
):
    port = free_port()
    worker = start_worker(broker, port)
    job = invitations_queue(employees=Employee.objects.all(), user=hannah.user)

    wait_for(lambda: finished(job), SECONDS, worker)
    assert job.result["retrying"] == 4
    assert len(job.result["failures"]) == 4  # each with the mail server's error, for now
    failed = Notification.objects.filter(sent_at__isnull=True)
    assert failed.count() == 4
    assert all(n.last_error and n.next_attempt_at for n in failed)

    inbox = Inbox()
    server = start_smtp_server(inbox, port=port)
    try:
        wait_for(lambda: Notification.objects.filter(sent_at__isnull=True).count() == 0, SECONDS)
        time.sleep(1)
    finally:
        server.stop()

    assert recipients(inbox) == [f"n{n}@example.com" for n in range(4)]
    for notification in Notification.objects.all():
        assert notification.attempts >= 2
        assert (notification.last_error, notification.next_attempt_at) == ("", None)
    # The finished job's counts follow the retries: all sent, none waiting or failed.
    wait_for(lambda: finished(job) and job.result["retrying"] == 0, SECONDS)
    assert counts(job) == {"sent": 4, "failed": 0, "retrying": 0, "skipped": 0}
    assert job.result["failures"] == []


def test_a_server_answering_try_later_is_retried_and_the_message_goes_once(broker, newcomers):
    inbox = Inbox()
    inbox.refuse, inbox.refuse_reply = True, "451 4.7.1 try again later"
    server = start_smtp_server(inbox)
    try:
        start_worker(broker, server.port)
        deliver.delay("invitation", invitation(newcomers[0]))
        wait_for(lambda: Notification.objects.filter(attempts__gte=2).exists(), SECONDS)
        inbox.refuse = False
        wait_for(lambda: Notification.objects.filter(sent_at__isnull=False).exists(), SECONDS)
        time.sleep(1)
    finally:
        server.stop()

    assert recipients(inbox) == ["n0@example.com"]
    assert Notification.objects.get().last_error == ""


def test_retries_are_bounded_and_the_record_keeps_the_final_failure(broker, newcomers):
    start_worker(broker, free_port(), MAIL_MAX_RETRIES="2")
    deliver.delay("invitation", invitation(newcomers[0]))

    def gave_up() -> bool:
        notification = Notification.objects.first()
        return (
            notification is not None
            and notification.attempts == 3
            and not (notification.next_attempt_at)
        )

    wait_for(gave_up, SECONDS)
    time.sleep(4)  # longer than the next backoff: no fourth attempt comes

    notification = Notification.objects.get()
    assert (notification.attempts, notification.sent_at, notification.next_attempt_at) == (
        3,
        None,
        None,
    )
    assert notification.last_error
    with translation.override("en"):
        assert notification.state == "failed"


def test_a_permanent_refusal_is_not_retried(broker, newcomers):
    inbox = Inbox()
    inbox.refuse = True  # 550
    server = start_smtp_server(inbox)
    try:
        start_worker(broker, server.port)
        deliver.delay("invitation", invitation(newcomers[0]))
        wait_for(lambda: Notification.objects.filter(attempts=1).exists(), SECONDS)
        time.sleep(3)
    finally:
        server.stop()

    notification = Notification.objects.get()
    assert (notification.attempts, notification.sent_at, notification.next_attempt_at) == (
        1,
        None,
        None,
    )
    assert "550" in notification.last_error


def test_the_admins_invite_action_queues_a_job_whose_page_counts_what_was_sent(
    broker, newcomers, client, hannah
):
    # Whatever transactional test ran before, HR's group has its permissions.
    importlib.import_module("assessments.migrations.0003_hr_permissions").grant_hr_permissions(
        apps, None
    )
    inbox = Inbox()
    server = start_smtp_server(inbox)
    try:
        worker = start_worker(broker, server.port)
        client.force_login(hannah.user)
        response = client.post(
            reverse("admin:assessments_employee_changelist"),
            {"action": "invite", "_selected_action": [e.pk for e in newcomers[:3]]},
        )
        job = Job.objects.get()
        assert response["Location"] == job.get_absolute_url()
        wait_for(lambda: finished(job), SECONDS, worker)
    finally:
        server.stop()

    page = client.get(job.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert recipients(inbox) == [f"n{n}@example.com" for n in range(3)]
    assert job.started_by == hannah.user
    assert "已寄出：3" in page.content.decode()
