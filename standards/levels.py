"""The six competency levels (職能級別表, from 職能基準發展指引).

The msgids are the working English; the zh_Hant .po file gives the official Chinese
text, so the portal shows the official wording by default.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LOWEST, HIGHEST = 1, 6
# How messages name the scale, e.g. "outside 1–6".
REQUIRED_RANGE = f"{LOWEST}–{HIGHEST}"
OWN_RANGE = f"0–{HIGHEST}"
# A task requires one of the six levels; a person's own level may also be 0, "not yet able".
LEVELS = range(LOWEST, HIGHEST + 1)
OWN_LEVELS = range(0, HIGHEST + 1)
NOT_YET_ABLE = _("Not yet able")
NOT_YET_ABLE_DEFINITION = _("Not yet able to carry out this task.")

LEVEL_VALIDATORS = [MinValueValidator(LOWEST), MaxValueValidator(HIGHEST)]
OWN_LEVEL_VALIDATORS = [MinValueValidator(0), MaxValueValidator(HIGHEST)]

LEVEL_DEFINITIONS: dict[int, Promise] = {
    1: _(
        "Routine, repetitive work in predictable situations under close supervision "
        "and clear instructions. Usually needs no special training, education or "
        "professional knowledge and skills."
    ),
    2: _(
        "Work needing some judgement and understanding, done as guided in mostly "
        "predictable situations under regular supervision. Needs basic knowledge and skills."
    ),
    3: _(
        "Completes work independently in partly changing, non-routine situations under "
        "general supervision. Needs some professional knowledge and skills and a little "
        "judgement."
    ),
    4: _(
        "Independently carries out skilled work involving planning and design in often "
        "changing situations with little supervision. Needs considerable professional "
        "knowledge and skills and the ability to judge and decide."
    ),
    5: _(
        "Completes work autonomously in complex, changing situations with minimal "
        "supervision. Needs applied, integrated and systematic professional knowledge and "
        "skills, strategic thinking and judgement."
    ),
    6: _(
        "Completes professional and innovative work independently in highly complex, "
        "changing situations, applying integrated professional knowledge and skills. "
        "Needs strategic thinking, decision-making and originality."
    ),
}

# The official Chinese text of each definition, which the zh_Hant .po file holds as the
# translation of the English above (tests compare the two).
OFFICIAL_DEFINITIONS: dict[int, str] = {
    1: "能夠在可預計及有規律的情況中，在密切監督及清楚指示下，執行常規性及重複性的工作。"
    "且通常不需要特殊訓練、教育及專業知識與技術。",
    2: "能夠在大部分可預計及有規律的情況中，在經常性監督下，按指導進行需要某些判斷及理解性的"
    "工作。需具備基本知識、技能。",
    3: "能夠在部分變動及非常規性的情況中，在一般監督下，獨立完成工作。需要一定程度的專業知識"
    "與技術及少許的判斷能力。",
    4: "能夠在經常變動的情況中，在少許監督下，獨立執行涉及規劃設計且需要熟練技巧的工作。"
    "需要具備相當的專業知識與技術，及作判斷及決定的能力。",
    5: "能夠在複雜變動的情況中，在最少監督下，自主完成工作。需要具備應用、整合、系統化的"
    "專業知識與技術及策略思考與判斷能力。",
    6: "能夠在高度複雜變動的情況中，應用整合的專業知識與技術，獨立完成專業與創新的工作。"
    "需要具備策略思考、決策及原創能力。",
}


def level_definition(level: int) -> Promise | str:
    """The (translated) definition of a level, or an empty string for anything but 1–6."""
    return LEVEL_DEFINITIONS.get(level, "")


def own_level_definition(level: int) -> Promise:
    """What a person's own level means: 0 is not yet able, 1–6 the official definitions."""
    return NOT_YET_ABLE_DEFINITION if level == 0 else LEVEL_DEFINITIONS[level]


def own_level_name(level: int) -> Promise | str:
    return NOT_YET_ABLE if level == 0 else str(level)


def is_level(value: object) -> bool:
    """A required level: a whole number 1–6 (not a bool, not a float)."""
    return isinstance(value, int) and not isinstance(value, bool) and value in LEVELS


def is_own_level(value: object) -> bool:
    """A person's own level: a whole number 0–6."""
    return isinstance(value, int) and not isinstance(value, bool) and value in OWN_LEVELS


def level_constraint(field: str, name: str) -> models.CheckConstraint:
    """The database's own check that `field` holds a required level (1–6)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": LOWEST, f"{field}__lte": HIGHEST}), name=name
    )


def own_level_constraint(field: str, name: str) -> models.CheckConstraint:
    """The database's own check that `field` is empty or holds an own level (0–6)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True})
        | models.Q(**{f"{field}__gte": 0, f"{field}__lte": HIGHEST}),
        name=name,
    )
