"""People's logins: creating a person with their login, leavers, and invitations.

A new login has no usable password; the invitation e-mail carries a one-time link
(Django's password-reset token) to choose one. HR never creates or changes a staff or
superuser account here: those are the superuser's, in the user admin.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification
from notifications.queue import mail_batch_start, mailer
from notifications.services import notification_send

from .models import Department, Employee

# Someone invited is not invited again by `send_invitations` for this long.
INVITATION_INTERVAL = datetime.timedelta(days=7)

USERNAME_TAKEN = _("The username %(username)s is already taken.")


def is_privileged(user: AbstractBaseUser) -> bool:
    return user.is_staff or user.is_superuser


@dataclass(frozen=True)
class InvitationCount:
    """What a round of invitations did."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0


def employee_create(
    *,
    employee_number: str,
    name: str,
    email: str,
    username: str = "",
    department: Department | None = None,
    job_title: str = "",
    manager: Employee | None = None,
    language: str | None = None,
) -> Employee:
    """Create a person and their login in one step: the username defaults to the
    employee number (as in an import), the login is an ordinary one without a usable
    password until the person accepts an invitation. Raises ValidationError (nothing
    written) when the username is taken or a field is invalid."""
    username = username.strip() or employee_number.strip()
    User = get_user_model()
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(
                {"username": USERNAME_TAKEN % {"username": username}}, code="username_taken"
            )
        user = User(username=username, email=email.strip())
        user.set_unusable_password()
        user.full_clean()
        user.save()
        employee = Employee(
            user=user,
            employee_number=employee_number.strip(),
            name=name.strip(),
            department=department,
            job_title=job_title.strip(),
            manager=manager,
        )
        if language:
            employee.language = language
        employee.full_clean()
        employee.save()
    return employee


def employees_set_active(*, employees: Iterable[Employee], active: bool) -> int:
    """Disable (a leaver) or enable again the logins of ordinary employees; their data
    stays. Staff and superuser accounts are left alone. Returns how many changed."""
    ids = [employee.user_id for employee in employees]
    with transaction.atomic():
        return (
            get_user_model()
            .objects.filter(pk__in=ids, is_staff=False, is_superuser=False)
            .exclude(is_active=active)
            .update(is_active=active)
        )


def never_set_a_password(employees: QuerySet[Employee]) -> QuerySet[Employee]:
    """Those of `employees` with an active, ordinary login that has no usable password."""
    return employees.filter(
        user__is_active=True,
        user__is_staff=False,
        user__is_superuser=False,
        user__password__startswith=UNUSABLE_PASSWORD_PREFIX,
    )


def invitations_due(*, now: datetime.datetime | None = None) -> QuerySet[Employee]:
    """Everyone to invite: an active person who never set a password and was not
    invited (successfully) in the last INVITATION_INTERVAL."""
    since = (now or timezone.now()) - INVITATION_INTERVAL
    recent = Notification.objects.filter(
        kind=Notification.Kind.INVITATION, sent_at__gte=since
    ).values("recipient")
    return never_set_a_password(Employee.objects.all()).exclude(user__in=recent)


def invitation_link(user: AbstractBaseUser, *, language: str) -> str:
    """The one-time link with which `user` chooses a password, in `language`'s URLs."""
    with translation.override(language):
        path = reverse(
            "invitation",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    return settings.PORTAL_URL + path


def invitation_send(
    *, employee: Employee, today: datetime.date | None = None, defer_transient: bool = False
) -> Notification:
    """E-mail `employee` the link to choose their password (at most once a day)."""
    today = today or timezone.localdate()
    user = employee.user
    return notification_send(
        recipient=user,
        kind=Notification.Kind.INVITATION,
        event_key=f"invitation:{user.pk}:{today.isoformat()}",
        language=employee.mail_language,
        context={
            "employee": employee,
            "username": user.get_username(),
            "link": invitation_link(user, language=employee.mail_language),
        },
        defer_transient=defer_transient,
    )


@mailer("invitation")
def invitation_mail(
    *, employee: int, day: str, defer_transient: bool = False
) -> Notification | None:
    """The queued invitation of employee `employee` on `day` (ISO): sent once, and not at
    all if they have set a password or lost their login since it was queued."""
    found = never_set_a_password(Employee.objects.filter(pk=employee)).select_related("user")
    invited = found.first()
    if invited is None:
        return None
    return invitation_send(
        employee=invited, today=datetime.date.fromisoformat(day), defer_transient=defer_transient
    )


def invitations_send(*, employees: QuerySet[Employee]) -> InvitationCount:
    """Invite those of `employees` who never set a password (the others are skipped)."""
    invitable = list(never_set_a_password(employees).select_related("user"))
    started = timezone.now()
    sent = failed = already = 0
    for employee in invitable:
        notification = invitation_send(employee=employee)
        if not notification.is_sent:
            failed += 1
        elif notification.sent_at < started:  # invited earlier today
            already += 1
        else:
            sent += 1
    skipped = employees.count() - len(invitable) + already
    return InvitationCount(sent=sent, failed=failed, skipped=skipped)


def invitations_queue(*, employees: QuerySet[Employee], user: AbstractBaseUser | None):  # noqa: ANN201
    """With a broker: a job invites those of `employees` who never set a password, in a
    worker, with its progress and counts on its page (jobs.models.Job)."""
    day = timezone.localdate().isoformat()
    invitable = never_set_a_password(employees).order_by("pk").values_list("pk", "name")
    return mail_batch_start(
        batch="invitations",
        user=user,
        messages=[(name, "invitation", {"employee": pk, "day": day}) for pk, name in invitable],
    )
