"""send_reminders: the cycle's opening day, 7 days and 1 day before it closes, and the
managers whose team members wait for a review; once per event, whatever the runs."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import Cycle, Employee
from assessments.reminders import reminders_send
from assessments.services import RatingInput, assessment_save
from notifications.models import Notification
from tests.assessments.helpers import assign, ratings

pytestmark = pytest.mark.django_db

OPENS = datetime.date(2026, 3, 2)
CLOSES = datetime.date(2026, 3, 31)


@pytest.fixture
def cycle(db) -> Cycle:
    return Cycle.objects.create(name="2026 春季自評", opens_on=OPENS, closes_on=CLOSES)


@pytest.fixture
def addressed(alice, bob, carol) -> list[Employee]:
    for person in (alice, bob, carol):
        User.objects.filter(pk=person.user_id).update(email=f"{person.user.username}@example.com")
    return [alice, bob, carol]


@pytest.fixture
def assigned(small_standard, cycle, alice, bob, addressed):
    return {person.user.username: assign(small_standard, person, cycle) for person in (alice, bob)}


def submit(assessment, on: datetime.date = OPENS) -> None:
    assessment_save(
        assessment=assessment,
        version=assessment.version,
        ratings={r.pk: RatingInput(self_level=3) for r in ratings(assessment)},
        submit=True,
        today=on,
    )


def recipients(mails) -> list[str]:
    return sorted(mail.to[0] for mail in mails)


def test_on_the_opening_day_each_assigned_person_is_told(assigned, mailoutbox):
    counts = reminders_send(today=OPENS)

    assert recipients(mailoutbox) == ["alice@example.com", "bob@example.com"]
    assert counts == {"cycle_opened sent": 2}
    assert mailoutbox[0].subject == "您的自評已開放：2026 春季自評"
    assert "TST0001-001v1" in mailoutbox[0].body
    assert "http://127.0.0.1:8000/assessments/" in mailoutbox[0].body


def test_running_again_the_same_day_or_the_next_sends_nothing_new(assigned, mailoutbox):
    reminders_send(today=OPENS)
    again = reminders_send(today=OPENS)
    next_day = reminders_send(today=OPENS + datetime.timedelta(days=1))

    assert len(mailoutbox) == 2
    assert again == next_day == {}


def test_nothing_is_sent_before_the_cycle_opens(assigned, mailoutbox):
    assert reminders_send(today=OPENS - datetime.timedelta(days=1)) == {}
    assert mailoutbox == []


@pytest.mark.parametrize("days", [7, 1])
def test_days_before_it_closes_those_not_finished_are_reminded(assigned, mailoutbox, days):
    reminders_send(today=OPENS)
    submit(assigned["bob"])
    mailoutbox.clear()

    reminders_send(today=CLOSES - datetime.timedelta(days=days))
    reminders_send(today=CLOSES - datetime.timedelta(days=days))

    reminded = [mail for mail in mailoutbox if mail.subject.startswith("提醒")]
    assert recipients(reminded) == ["alice@example.com"]
    assert reminded[0].subject == "提醒：2026 春季自評 將於 2026-03-31 截止"


def test_the_week_and_the_day_before_are_two_reminders(assigned, mailoutbox):
    reminders_send(today=CLOSES - datetime.timedelta(days=7))
    reminders_send(today=CLOSES - datetime.timedelta(days=3))
    reminders_send(today=CLOSES - datetime.timedelta(days=1))
    reminders_send(today=CLOSES)

    assert recipients(mailoutbox) == ["alice@example.com"] * 2 + ["bob@example.com"] * 2


def test_a_reminder_is_in_the_recipients_language(assigned, alice, mailoutbox):
    Employee.objects.filter(pk=alice.pk).update(language="en")

    reminders_send(today=CLOSES - datetime.timedelta(days=1))

    english = next(mail for mail in mailoutbox if mail.to == ["alice@example.com"])
    assert english.subject == "Reminder: 2026 春季自評 closes on 2026-03-31"
    assert "/en/assessments/" in english.body


def test_a_leaver_is_not_reminded(assigned, alice, mailoutbox):
    User.objects.filter(pk=alice.user_id).update(is_active=False)

    reminders_send(today=OPENS)

    assert recipients(mailoutbox) == ["bob@example.com"]


def test_the_manager_is_told_once_of_a_submission_waiting_for_review(assigned, mailoutbox):
    submit(assigned["alice"])

    reminders_send(today=OPENS)
    reminders_send(today=OPENS)

    to_carol = [mail for mail in mailoutbox if mail.to == ["carol@example.com"]]
    assert len(to_carol) == 1
    assert to_carol[0].subject == "王愛麗 已送出 TST0001-001v1：等待您審閱"
    assert f"/reports/assessments/{assigned['alice'].pk}/" in to_carol[0].body


def test_a_failed_reminder_is_sent_by_the_next_run(assigned, smtp_server):
    smtp_server.refuse = True
    failed = reminders_send(today=OPENS)
    smtp_server.refuse = False
    retried = reminders_send(today=OPENS + datetime.timedelta(days=1))

    assert failed == {"cycle_opened failed": 2}
    assert retried == {"cycle_opened sent": 2}
    assert len(smtp_server.messages) == 2
    assert Notification.objects.filter(sent_at__isnull=False).count() == 2


def test_the_command_prints_what_it_sent_and_fails_on_what_it_could_not(
    small_standard, alice, smtp_server
):
    # alice has no address: her reminder is recorded as failed.
    from tests.assessments.helpers import open_cycle

    assign(small_standard, alice, open_cycle())
    out = StringIO()

    with pytest.raises(CommandError, match="1 e-mails could not be sent"):
        call_command("send_reminders", stdout=out)

    assert "cycle_opened failed: 1" in out.getvalue()


def test_the_command_run_twice_says_the_second_time_that_nothing_is_due(
    small_standard, alice, addressed
):
    from tests.assessments.helpers import open_cycle

    assign(small_standard, alice, open_cycle())
    first, second = StringIO(), StringIO()
    call_command("send_reminders", stdout=first)
    call_command("send_reminders", stdout=second)

    assert first.getvalue().strip() == "cycle_opened sent: 1"
    assert second.getvalue().strip() == "No reminders due today."


def test_the_command_says_when_nothing_is_due(db):
    out = StringIO()
    call_command("send_reminders", stdout=out)

    assert out.getvalue().strip() == "No reminders due today."
