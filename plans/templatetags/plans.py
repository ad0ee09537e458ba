"""{% planned_outcomes assessment %}: the tasks earlier development plans targeted, and
whether their gap closed in this assessment (result page and gap report)."""

from django import template

from assessments.models import Assessment

from ..selectors import planned_outcomes as outcomes_of

register = template.Library()


@register.inclusion_tag("plans/_outcomes.html")
def planned_outcomes(assessment: Assessment) -> dict:
    return {"outcomes": outcomes_of(assessment)}
