"""Every way e-mail is started, with a broker configured: the commands (send_invitations,
send_reminders, import_organisation --invite) queue a mail job and print its id, the
remind button hands its one e-mail to a worker, and Celery beat fires the daily
reminders at REMINDERS_AT (Asia/Taipei). A real worker against the machine's Redis
sends them to a real SMTP server on loopback. Skipped where Redis is unreachable
(never on CI)."""

import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.accounts import employee_create
from assessments.models import Cycle, Employee
from assessments.services import RatingInput, assessment_save
from jobs.models import Job
from notifications.models import Notification
from tests.assessments.helpers import assign, ratings
from tests.factories import small_standard
from tests.jobs.workers import broker_for_tests, wait_for
from tests.mail import Inbox, start_smtp_server

pytestmark = pytest.mark.django_db(transaction=True)

SECONDS = 90


@pytest.fixture
def inbox():
    inbox = Inbox()
    server = start_smtp_server(inbox)
    inbox.port = server.port
    yield inbox
    server.stop()


@pytest.fixture
def worker(media_root, tmp_path, inbox):
    with broker_for_tests(media_root, tmp_path) as broker:
        broker.worker = broker.start_worker(EMAIL_URL=f"smtp://127.0.0.1:{inbox.port}")
        yield broker


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, stderr=out)
    return out.getvalue()


def queued_job(output: str) -> Job:
    """The job a command said it queued."""
    match = re.search(r"queued as job (\d+)", output)
    assert match, output
    return Job.objects.get(pk=int(match[1]))


def recipients(inbox: Inbox) -> list[str]:
    return sorted(message["To"] for message in inbox.messages)


def settled(job: Job) -> bool:
    job.refresh_from_db()
    return job.is_finished and job.result.get("retrying") == 0


def test_send_invitations_queues_a_job_the_worker_sends(worker, inbox):
    for n in range(3):
        employee_create(employee_number=f"N{n}", name=f"新人{n}", email=f"n{n}@example.com")

    job = queued_job(run("send_invitations"))

    assert (job.kind, job.arguments["batch"]) == (Job.Kind.MAIL, "invitations")
    wait_for(lambda: settled(job), SECONDS, worker.worker)
    assert job.result["sent"] == 3
    assert recipients(inbox) == ["n0@example.com", "n1@example.com", "n2@example.com"]


def test_import_organisation_invite_queues_the_newcomers_invitations(worker, inbox, tmp_path):
    employees = tmp_path / "e.csv"
    employees.write_text(
        "employee_number,name,username,email,department,job_title,manager\n"
        "M100,陳主管,chen,chen@example.com,,課長,\n"
        "E100,王員工,wang,wang@example.com,,品管專員,M100\n",
        encoding="utf-8",
    )

    output = run("import_organisation", "--employees", str(employees), "--invite")

    assert "e.csv: 2 created" in output
    job = queued_job(output)
    wait_for(lambda: settled(job), SECONDS, worker.worker)
    assert recipients(inbox) == ["chen@example.com", "wang@example.com"]


def with_addresses(*people: Employee) -> None:
    for person in people:
        User.objects.filter(pk=person.user_id).update(email=f"{person.user.username}@example.com")


def closing_in_seven_days(on: datetime.date, alice: Employee, bob: Employee) -> None:
    """A cycle closing 7 days after `on`: alice submitted (carol has not reviewed it), bob
    has not. Due that day: a closing reminder to bob, a review reminder to carol."""
    cycle = Cycle.objects.create(
        name="年度自評", opens_on=on - datetime.timedelta(days=20),
        closes_on=on + datetime.timedelta(days=7),
    )  # fmt: skip
    standard = small_standard()
    submitted = assign(standard, alice, cycle)
    assign(standard, bob, cycle)
    assessment_save(
        assessment=submitted,
        version=submitted.version,
        ratings={r.pk: RatingInput(self_level=3) for r in ratings(submitted)},
        submit=True,
        today=on - datetime.timedelta(days=1),
    )
    Notification.objects.all().delete()  # the submission's own e-mails are not the point


def test_send_reminders_queues_the_days_reminders(worker, inbox, alice, bob, carol):
    with_addresses(alice, bob, carol)
    closing_in_seven_days(timezone.localdate(), alice, bob)

    job = queued_job(run("send_reminders"))

    wait_for(lambda: settled(job), SECONDS, worker.worker)
    assert recipients(inbox) == ["bob@example.com", "carol@example.com"]
    assert job.result["sent"] == 2


def test_the_remind_button_hands_its_email_to_the_worker(worker, inbox, client, alice, carol):
    with_addresses(alice)
    cycle = Cycle.objects.create(
        name="年度自評", opens_on=timezone.localdate() - datetime.timedelta(days=3),
        closes_on=timezone.localdate() + datetime.timedelta(days=20),
    )  # fmt: skip
    assessment = assign(small_standard(), alice, cycle)
    Notification.objects.all().delete()
    client.force_login(carol.user)

    first = client.post(reverse("reports:remind", args=[assessment.pk]), follow=True)
    # Until the worker has recorded the e-mail as sent (just after the mail server took
    # it), a second press queues it again, which the worker then finds sent and skips.
    wait_for(lambda: reminder_recorded(inbox), SECONDS, worker.worker)
    again = client.post(reverse("reports:remind", args=[assessment.pk]), follow=True)

    assert "給 王愛麗 的提醒正在寄出。" in first.content.decode()
    assert "今天已提醒過王愛麗" in again.content.decode()
    assert recipients(inbox) == ["alice@example.com"]
    assert Notification.objects.get().kind == Notification.Kind.REMINDER


def reminder_recorded(inbox: Inbox) -> bool:
    return (
        len(inbox.messages) == 1
        and Notification.objects.filter(
            kind=Notification.Kind.REMINDER, sent_at__isnull=False
        ).exists()
    )


def next_minute(seconds_ahead: int = 25) -> datetime.datetime:
    """The first whole minute (Asia/Taipei) at least `seconds_ahead` seconds from now."""
    soon = timezone.localtime() + datetime.timedelta(seconds=seconds_ahead + 60)
    return soon.replace(second=0, microsecond=0)


def test_celery_beat_sends_the_daily_reminders_at_reminders_at(worker, inbox, alice, bob, carol):
    at = next_minute()
    with_addresses(alice, bob, carol)
    closing_in_seven_days(at.date(), alice, bob)

    beat = worker.start_beat(REMINDERS_AT=at.strftime("%H:%M"))
    wait_for(lambda: len(inbox.messages) == 2, SECONDS + 60, beat)

    assert timezone.localtime() >= at
    assert recipients(inbox) == ["bob@example.com", "carol@example.com"]
    job = Job.objects.get(kind=Job.Kind.MAIL)
    assert job.arguments["batch"] == "reminders" and job.started_by is None
    assert "Scheduler: Sending due task daily-reminders" in Path(beat.log).read_text()
