"""Writes: opening cycles, assigning standards, saving and submitting assessments."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from standards.levels import OWN_RANGE, is_own_level
from standards.models import Duty, Standard, Task

from .models import (
    Assessment,
    AssessmentReturn,
    Cycle,
    Department,
    Employee,
    JobTitleAssignment,
    TaskRating,
)
from .selectors import department_members
from .shortfalls import shortfalls_refresh

NOT_PUBLISHED = _("Only a published standard can be assigned.")
STARTED = _("%(employee)s has already started this assessment, so it can no longer be withdrawn.")
CYCLE_CLOSED = _("This cycle closed on %(date)s; nothing can be assigned in it any more.")
NO_JOB_TITLE = _("Enter the job title.")
JOB_TITLE_RULE_EXISTS = _(
    "In this cycle the job title %(title)s already takes %(code)s; nothing was changed."
)
STALE_SAVE = _(
    "This assessment was saved elsewhere (in another tab or on another device) after you "
    "opened it. Nothing was saved, so those answers were not overwritten: the page now "
    "shows the latest saved answers; please enter your changes again."
)
LOCKED = _("This assessment has been submitted and can no longer be changed.")
CLOSED = _(
    "This assessment's cycle closed on %(date)s, so it can no longer be changed. "
    "HR can extend the cycle."
)
NOT_OPEN = _(
    "This assessment's cycle opens on %(date)s. Until then you can look at the tasks, "
    "but not answer them."
)
NOT_SUBMITTED = _("Only a submitted assessment can be returned to the employee.")
NO_REASON = _("Say why the assessment goes back to the employee.")


class StaleAssessmentError(Exception):
    """The assessment changed since the form was loaded; nothing was written."""


class AssessmentLockedError(Exception):
    """The assessment is submitted; nothing was written."""


class CycleClosedError(Exception):
    """The assessment's cycle closed before the answers were given; nothing was written."""


class CycleNotOpenError(Exception):
    """The assessment's cycle has not opened yet; nothing was written."""


def closed_message(cycle: Cycle) -> str:
    return CLOSED % {"date": cycle.closes_on.isoformat()}


def not_open_message(cycle: Cycle) -> str:
    return NOT_OPEN % {"date": cycle.opens_on.isoformat()}


@dataclass(frozen=True)
class RatingInput:
    """The employee's answers for one task."""

    self_level: int | None
    comment: str = ""
    indicator_checks: dict[str, bool] = field(default_factory=dict)


def cycle_create(*, name: str, opens_on: datetime.date, closes_on: datetime.date) -> Cycle:
    """Open an assessment cycle. Raises ValidationError when it closes before it opens."""
    cycle = Cycle(name=name, opens_on=opens_on, closes_on=closes_on)
    cycle.full_clean()
    with transaction.atomic():
        cycle.save()
    return cycle


@dataclass(frozen=True)
class Assignment:
    """What assigning a standard did: the assessments it created, and the people who
    already had that standard in that cycle (left as they were)."""

    created: list[Assessment]
    already: list[Employee]


def assessments_assign(
    *, cycle: Cycle, standard: Standard, employees: Iterable[Employee]
) -> Assignment:
    """Assign a published standard version to employees in a cycle.

    Creates one pending assessment per employee who does not have this standard in this
    cycle yet (the others are left as they are, and listed as `already`), with a rating
    row per task holding a copy of the duty, the task and its required level.
    """
    if not standard.is_published:
        raise ValidationError(NOT_PUBLISHED, code="not_published")
    employees = list({employee.pk: employee for employee in employees}.values())
    with transaction.atomic():
        existing = set(
            Assessment.objects.filter(
                cycle=cycle, standard=standard, employee__in=[e.pk for e in employees]
            ).values_list("employee_id", flat=True)
        )
        created = Assessment.objects.bulk_create(
            Assessment(cycle=cycle, standard=standard, employee=employee)
            for employee in employees
            if employee.pk not in existing
        )
        if created:
            _copy_tasks(cycle=cycle, standard=standard)
    return Assignment(
        created=created, already=[employee for employee in employees if employee.pk in existing]
    )


def _copy_tasks(*, cycle: Cycle, standard: Standard) -> None:
    """Give every assessment of `standard` in `cycle` that has no rating rows yet (the
    ones just created) a row per task, in document order, with a copy of the duty, the
    task and its required level: one INSERT … SELECT in the database, however many
    people and tasks, where building the rows in Python took seconds for a thousand
    people (Django has no INSERT … SELECT)."""
    q = connection.ops.quote_name
    rating, assessment = TaskRating._meta, Assessment._meta
    task, duty = Task._meta, Duty._meta
    columns = [
        "assessment_id",
        "task_id",
        "order",
        "duty_code",
        "duty_title",
        "task_code",
        "task_title",
        "required_level",
        "indicator_checks",
        "comment",
    ]
    sql = f"""
        INSERT INTO {q(rating.db_table)} ({", ".join(q(c) for c in columns)})
        SELECT a.{q("id")}, t.{q("id")},
               ROW_NUMBER() OVER (
                   PARTITION BY a.{q("id")}
                   ORDER BY d.{q("order")}, d.{q("id")}, t.{q("order")}, t.{q("id")}
               ) - 1,
               d.{q("code")}, d.{q("title")}, t.{q("code")}, t.{q("title")}, t.{q("level")},
               %s, %s
        FROM {q(assessment.db_table)} a
        JOIN {q(duty.db_table)} d ON d.{q("standard_id")} = a.{q("standard_id")}
        JOIN {q(task.db_table)} t ON t.{q("duty_id")} = d.{q("id")}
        WHERE a.{q("cycle_id")} = %s AND a.{q("standard_id")} = %s
          AND NOT EXISTS (
              SELECT 1 FROM {q(rating.db_table)} r WHERE r.{q("assessment_id")} = a.{q("id")}
          )
    """  # noqa: S608 - table and column names from the models, values as parameters
    empty_checks = TaskRating._meta.get_field("indicator_checks").get_db_prep_save({}, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [empty_checks, "", cycle.pk, standard.pk])


def assessments_assign_department(
    *, cycle: Cycle, standard: Standard, department: Department
) -> Assignment:
    """Assign a standard to everyone in a department and its sub-departments."""
    return assessments_assign(
        cycle=cycle, standard=standard, employees=department_members(department)
    )


def assessment_save(
    *,
    assessment: Assessment,
    version: int,
    ratings: Mapping[int, RatingInput],
    submit: bool = False,
    today: datetime.date | None = None,
) -> list[TaskRating]:
    """Save the employee's answers (`ratings`, by rating id) and, if asked, submit them.

    `version` is the assessment's version the answers were entered on: when the
    assessment has been saved since, nothing is written and StaleAssessmentError is
    raised; a submitted assessment raises AssessmentLockedError, one whose cycle
    closed before `today` (the local date unless given) CycleClosedError, and one whose
    cycle opens after `today` CycleNotOpenError. Otherwise the answers
    are saved as a draft, partial or not. With `submit`, an assessment with every task
    rated is then submitted, which locks it. Returns the ratings still without a level
    (empty once submitted); `assessment` is refreshed.
    """
    now = timezone.now()
    today = today or timezone.localdate()
    with transaction.atomic():
        # One conditional UPDATE: two saves racing on the same version cannot both win,
        # and HR moving the cycle's dates meanwhile is seen too.
        saved = (
            Assessment.objects.filter(
                pk=assessment.pk,
                version=version,
                cycle__opens_on__lte=today,
                cycle__closes_on__gte=today,
            )
            .exclude(stage=Assessment.Stage.SUBMITTED)
            .update(version=F("version") + 1, stage=Assessment.Stage.DRAFT, updated_at=now)
        )
        if not saved:
            current = Assessment.objects.select_related("cycle").get(pk=assessment.pk)
            if current.is_submitted:
                raise AssessmentLockedError(LOCKED)
            if current.cycle.is_closed(today):
                raise CycleClosedError(closed_message(current.cycle))
            if not current.cycle.is_open_yet(today):
                raise CycleNotOpenError(not_open_message(current.cycle))
            raise StaleAssessmentError(STALE_SAVE)
        stored = list(assessment.ratings.order_by("order"))
        for rating in stored:
            answer = ratings.get(rating.pk)
            if answer is None:
                continue
            if answer.self_level is not None and not is_own_level(answer.self_level):
                raise ValueError(f"level {answer.self_level} is outside {OWN_RANGE}")
            rating.self_level = answer.self_level
            rating.comment = answer.comment
            rating.indicator_checks = answer.indicator_checks
        TaskRating.objects.bulk_update(stored, ["self_level", "comment", "indicator_checks"])
        missing = [rating for rating in stored if rating.self_level is None]
        if submit and not missing:
            Assessment.objects.filter(pk=assessment.pk).update(
                stage=Assessment.Stage.SUBMITTED, submitted_at=now
            )
            shortfalls_refresh([assessment.pk])
    assessment.refresh_from_db()
    return missing


def assessment_return(*, assessment: Assessment, by: AbstractBaseUser, reason: str) -> None:
    """Send a submitted assessment back to its employee as a draft, recording who, when
    and why (an AssessmentReturn). The answers are kept for the employee to change.

    Raises ValidationError when the reason is empty or the assessment is not submitted
    (also when someone else returned it meanwhile); nothing is written then.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError(NO_REASON, code="no_reason")
    with transaction.atomic():
        returned = Assessment.objects.filter(
            pk=assessment.pk, stage=Assessment.Stage.SUBMITTED
        ).update(
            stage=Assessment.Stage.DRAFT,
            submitted_at=None,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        if not returned:
            raise ValidationError(NOT_SUBMITTED, code="not_submitted")
        AssessmentReturn.objects.create(assessment=assessment, returned_by=by, reason=reason)
        shortfalls_refresh([assessment.pk])
    assessment.refresh_from_db()


def assessment_withdraw(*, assessment: Assessment) -> None:
    """Withdraw an assignment the employee has not started (never saved): the assessment
    and its rating rows are deleted.

    Raises ValidationError, deleting nothing, when the employee has started it (also
    when they saved it meanwhile: the delete is conditional).
    """
    with transaction.atomic():
        # Locked while it is checked and deleted: a save racing with it waits, then
        # finds nothing to save.
        unstarted = (
            Assessment.objects.select_for_update()
            .filter(pk=assessment.pk, stage=Assessment.Stage.PENDING, version=0)
            .first()
        )
        if unstarted is not None:
            unstarted.delete()
        else:
            raise ValidationError(STARTED % {"employee": assessment.employee.name}, code="started")


def assessment_mark_opened(*, assessment: Assessment) -> None:
    """Record that the employee opened their assessment: it is no longer new."""
    if assessment.opened_at is not None:
        return
    now = timezone.now()
    # One conditional UPDATE, atomic by itself: no transaction (and savepoint) around it.
    Assessment.objects.filter(pk=assessment.pk, opened_at__isnull=True).update(opened_at=now)
    assessment.opened_at = now


def job_title_assignment_create(
    *,
    cycle: Cycle,
    job_title: str,
    standard: Standard,
    by: AbstractBaseUser | None = None,
    today: datetime.date | None = None,
) -> tuple[JobTitleAssignment, Assignment]:
    """Say that everyone with `job_title` takes `standard` in `cycle`: the people holding
    the title now are assigned at once, the ones who get it later when they do
    (`assign_by_job_title`).

    Raises ValidationError, writing nothing, for an empty title, a standard that is not
    published, a cycle closed before `today` or a rule that exists already.
    """
    today = today or timezone.localdate()
    job_title = job_title.strip()
    if not job_title:
        raise ValidationError(NO_JOB_TITLE, code="no_job_title")
    if not standard.is_published:
        raise ValidationError(NOT_PUBLISHED, code="not_published")
    if cycle.is_closed(today):
        raise ValidationError(
            CYCLE_CLOSED % {"date": cycle.closes_on.isoformat()}, code="cycle_closed"
        )
    with transaction.atomic():
        rule, created = JobTitleAssignment.objects.get_or_create(
            cycle=cycle, job_title=job_title, standard=standard, defaults={"created_by": by}
        )
        if not created:
            raise ValidationError(
                JOB_TITLE_RULE_EXISTS % {"title": job_title, "code": standard.code},
                code="exists",
            )
        assignment = assessments_assign(
            cycle=cycle, standard=standard, employees=Employee.objects.filter(job_title=job_title)
        )
    return rule, assignment


def job_title_assignment_delete(*, rule: JobTitleAssignment) -> None:
    """Stop assigning by this job title; the assessments it created stay."""
    with transaction.atomic():
        rule.delete()


def assign_by_job_title(
    *, employee: Employee, today: datetime.date | None = None
) -> list[Assessment]:
    """Give `employee` every standard their job title takes in a cycle not closed before
    `today` (see JobTitleAssignment). Called whenever an employee is saved with a new
    job title, by whatever path: the admin, an import, a script. Returns the new
    assessments.
    """
    today = today or timezone.localdate()
    title = employee.job_title.strip()
    if not title:
        return []
    rules = JobTitleAssignment.objects.filter(
        job_title=title, cycle__closes_on__gte=today
    ).select_related("cycle", "standard")
    created: list[Assessment] = []
    for rule in rules:
        created += assessments_assign(
            cycle=rule.cycle, standard=rule.standard, employees=[employee]
        ).created
    return created
