"""The development plan as CSV or XLSX, through the one formula-safe writer."""

from __future__ import annotations

import tablib
from django.utils.translation import gettext as _

from common.spreadsheets import dataset

from .models import DevelopmentPlan, PlanItem


def plan_dataset(items: list[PlanItem]) -> tablib.Dataset:
    return dataset(
        _("Development plan"),
        [
            _("Task code"),
            _("Task"),
            _("Knowledge"),
            _("Skill"),
            _("Action"),
            _("Course"),
            _("What will be done"),
            _("Owner"),
            _("Due on"),
            _("Status"),
        ],
        (
            [
                item.rating.task_code if item.rating else "",
                item.rating.task_title if item.rating else "",
                f"{item.knowledge_item.code} {item.knowledge_item.name}"
                if item.knowledge_item
                else "",
                f"{item.skill_item.code} {item.skill_item.name}" if item.skill_item else "",
                item.get_action_display(),
                str(item.course) if item.course else "",
                item.description,
                item.owner.name,
                item.due_on.isoformat() if item.due_on else "",
                item.get_status_display(),
            ]
            for item in items
        ),
    )


def plan_about(plan: DevelopmentPlan | None) -> list[tuple[str, str]]:
    """Whether and when the plan was approved, for the download's about block."""
    if plan is None or plan.approved_at is None:
        return [(_("Approval"), _("Not approved yet."))]
    return [
        (
            _("Approval"),
            _("Approved by %(name)s on %(date)s.")
            % {
                "name": plan.approved_by.name if plan.approved_by else "—",
                "date": f"{plan.approved_at:%Y-%m-%d}",
            },
        )
    ]
