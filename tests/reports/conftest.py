"""Fixtures of the report tests: a small standard whose tasks need knowledge and skill
items, two cycles, and submitted assessments with chosen levels."""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields

import pytest
from django.db.models import Model, QuerySet

from assessments.models import Assessment, Cycle, Department, Employee
from assessments.services import RatingInput, assessment_save, assessments_assign
from standards.models import Standard
from tests.conftest import (
    DEPARTMENTS,
    built_for_module,
    make_department,
    make_employee,
    make_persona,
)
from tests.factories import small_standard

# Required levels of the three tasks T1.1, T1.2, T2.1.
REQUIRED = [3, 4, 2]


def make_report_standard(code: str = "RPT0001-001v1", *, publish: bool = True) -> Standard:
    """The report scenario's standard: T1.1 (level 3) and T1.2 (4) under duty T1, T2.1 (2)
    under T2.

    K01 is needed by T1.1 and T1.2, K02 by T2.1; S01 by T1.1 and T2.1, S02 by nothing.
    S01's name is a spreadsheet formula, which exports must neutralise.
    """
    return small_standard(
        code,
        publish=publish,
        name="報表測試職能基準",
        levels=[REQUIRED[:2], REQUIRED[2:]],
        knowledge={"K01": "生產排程知識", "K02": "品質管理知識"},
        skills={"S01": '=HYPERLINK("x")', "S02": "簡報技巧"},
        needs={"T1.1": ["K01", "S01"], "T1.2": ["K01"], "T2.1": ["K02", "S01"]},
    )


@pytest.fixture
def report_standard(db) -> Standard:
    return make_report_standard()


def make_cycle(name: str, year: int) -> Cycle:
    return Cycle.objects.create(
        name=name, opens_on=datetime.date(year, 1, 1), closes_on=datetime.date(year, 12, 31)
    )


CYCLE = ("2026 年度自評", 2026)
EARLIER_CYCLE = ("2025 年度自評", 2025)


@pytest.fixture
def cycle(db) -> Cycle:
    return make_cycle(*CYCLE)


@pytest.fixture
def earlier_cycle(db) -> Cycle:
    return make_cycle(*EARLIER_CYCLE)


def submitted(
    employee: Employee, standard: Standard, cycle: Cycle, levels: list[int] | None
) -> Assessment:
    """Assign `standard` to `employee` in `cycle`; with `levels`, rate and submit it."""
    assessments_assign(cycle=cycle, standard=standard, employees=[employee])
    assessment = Assessment.objects.get(cycle=cycle, standard=standard, employee=employee)
    if levels is not None:
        ratings = assessment.ratings.order_by("order")
        assessment_save(
            assessment=assessment,
            version=assessment.version,
            ratings={
                r.pk: RatingInput(self_level=level)
                for r, level in zip(ratings, levels, strict=True)
            },
            submit=True,
            today=cycle.opens_on,  # answered while the cycle was open, past or not
        )
    return assessment


@dataclass
class Team:
    """The standard, the two cycles and the assessments of the report scenario."""

    standard: Standard
    cycle: Cycle
    earlier_cycle: Cycle
    alice: Assessment
    bob: Assessment
    erin: Assessment
    alice_earlier: Assessment


# The people of the scenario (stan and sophie are not part of it).
TEAM_PEOPLE = ["carol", "alice", "bob", "dave", "erin", "hannah"]

# Own levels for T1.1 (required 3), T1.2 (4), T2.1 (2) in the current cycle:
ALICE = [3, 2, 3]  # gaps 0, +2, -1
BOB = [1, 4, 0]  # gaps +2, 0, +2
ERIN = [0, 0, 0]  # gaps +3, +4, +2
ALICE_EARLIER = [1, 1, 1]  # gaps +2, +3, +1


@pytest.fixture
def team(report_standard, cycle, earlier_cycle, alice, bob, erin, carol, dave, hannah) -> Team:
    """alice and bob (carol's team) and erin (dave's) have submitted in the current cycle;
    alice also in the earlier one."""
    return team_of(report_standard, cycle, earlier_cycle, alice, bob, erin)


def team_of(
    standard: Standard,
    cycle: Cycle,
    earlier_cycle: Cycle,
    alice: Employee,
    bob: Employee,
    erin: Employee,
) -> Team:
    return Team(
        standard=standard,
        cycle=cycle,
        earlier_cycle=earlier_cycle,
        alice=submitted(alice, standard, cycle, ALICE),
        bob=submitted(bob, standard, cycle, BOB),
        erin=submitted(erin, standard, cycle, ERIN),
        alice_earlier=submitted(alice, standard, earlier_cycle, ALICE_EARLIER),
    )


def build_team() -> Team:
    """What the `team` fixture builds, in one go, for `team_once_per_module`."""
    for department in DEPARTMENTS:
        make_department(department)
    people = {name: make_persona(name) for name in TEAM_PEOPLE}
    return team_of(
        make_report_standard(),
        make_cycle(*CYCLE),
        make_cycle(*EARLIER_CYCLE),
        people["alice"],
        people["bob"],
        people["erin"],
    )


def team_once_per_module(build: Callable[[], Team] = build_team) -> tuple:
    """Fixtures for a module whose every test uses the report scenario and only reads it:
    the scenario is built once for the module (by `build`, see `built_for_module`) and each
    test gets fresh instances of `team` and of its people and departments. Unpack them
    into the module: `module_team, team, alice, … = team_once_per_module()`; stan and
    sophie, not part of the scenario, stay per test."""

    @pytest.fixture(scope="module")
    def module_team(django_db_setup, django_db_blocker) -> Iterator[Team]:
        with built_for_module(django_db_blocker, build) as built:
            yield built

    @pytest.fixture(name="team")
    def fresh_team(module_team: Team, db) -> Team:
        return Team(
            **{
                field.name: type(value).objects.get(pk=value.pk)
                for field in fields(Team)
                for value in [getattr(module_team, field.name)]
            }
        )

    def existing(name: str, rows: QuerySet, **lookup: str):
        @pytest.fixture(name=name)
        def fixture(module_team: Team, db) -> Model:
            return rows.get(**lookup)

        return fixture

    employees = Employee.objects.select_related("user")  # as the persona fixtures give them
    people = [existing(name, employees, user__username=name) for name in TEAM_PEOPLE]
    departments = [
        existing(name, Department.objects.all(), code=DEPARTMENTS[name][0]) for name in DEPARTMENTS
    ]
    return module_team, fresh_team, *people, *departments


@pytest.fixture
def unfinished(team, carol, production):
    """carol's team: frank has not started, gina has a draft, alice and bob submitted."""
    frank = make_employee("frank", "E010", "范克", production, carol)
    gina = make_employee("gina", "E011", "吉娜", production, carol)
    submitted(frank, team.standard, team.cycle, None)
    draft = submitted(gina, team.standard, team.cycle, None)
    draft.stage = draft.Stage.DRAFT
    draft.save()
    return team
