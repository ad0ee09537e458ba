"""The gap of a task, written the same way on every page."""

from django import template

from assessments import scoring

register = template.Library()


@register.filter
def signed_gap(value: int | None) -> str:
    """`{{ task.gap|signed_gap }}`: "+2" short, "−1" above, "0" met, "" not rated."""
    return scoring.signed_gap(value)


@register.inclusion_tag("assessments/_measures.html")
def measures() -> dict[str, str]:
    """`{% measures %}`: the one-line definition of the gap measures a page shows."""
    return {"measures": scoring.MEASURES}
