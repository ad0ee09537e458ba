"""Template helpers of the public catalogue."""

from typing import Any

from django import template
from django.urls import translate_url
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from common.html import select_options
from standards.levels import level_definition as definition
from standards.parsing.document import ParseWarning
from standards.selectors import FacetChoice
from standards.uploads import error_in_language as stored_error

register = template.Library()


@register.filter
def level_definition(level: int | str | None) -> Promise | str:
    """The official definition of a competency level (1–6), for a tooltip or a legend."""
    try:
        return definition(int(level))
    except (TypeError, ValueError):
        return ""


@register.simple_tag(takes_context=True)
def translated_path(context: template.Context, language: str) -> str:
    """This page's path in another language, for the language switch's `next`.

    Django's set_language runs under the default language, in which an /en/ path does not
    resolve, so it cannot translate such a path back itself; the page that is showing can.
    """
    request = context.get("request")
    if request is None:  # rendered outside a request, e.g. into an e-mail
        return "/"
    return translate_url(request.get_full_path(), language)


@register.filter
def facet_options(choices: list[FacetChoice]) -> SafeString:
    """A facet's choices as `<option>`s, each with how many standards it would show."""
    return select_options(
        (choice.value, f"{choice.label} ({choice.count})", choice.selected) for choice in choices
    )


@register.filter
def in_language(message: Any) -> str:
    """A parser warning (ParseWarning, DocumentWarning, or one kept as JSON in a job's
    result) in the active language."""
    if isinstance(message, dict):
        message = ParseWarning(**message)
    return message.translated(gettext)


@register.filter
def error_in_language(result: dict[str, Any]) -> str:
    """A background import's stored file result: its error in the active language."""
    return stored_error(result)
