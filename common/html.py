"""HTML built in Python where a template loop is too slow for the size of the data.

Markup escaped here is wrapped in SafeString directly: `mark_safe` first checks its
argument for lazy strings, which costs more than building the markup for the hundreds
of fields of an assessment form."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

SELECTED = mark_safe(" selected")  # noqa: S308 - a constant attribute


def select_options(options: Iterable[tuple[object, object, bool]]) -> SafeString:
    """`<option>` elements from (value, label, selected), values and labels escaped.

    A template loop takes tens of milliseconds per thousand options: the catalogue's
    occupation filter lists every occupation, HR's employee filter everyone.
    """
    return mark_safe(  # noqa: S308 - every value and label escaped here
        "".join(
            f'<option value="{escape(str(value))}"{SELECTED if selected else ""}>'
            f"{escape(str(label))}</option>"
            for value, label, selected in options
        )
    )


class QuickSelect(forms.Select):
    """A select rendered in Python: Django's per-option templates take half a second
    for HR's list of a thousand employees."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> str:
        attrs = self.build_attrs(self.attrs, attrs)
        selected = "" if value is None else str(value)
        options = select_options(
            (option_value, label, str(option_value) == selected)
            for option_value, label in self.choices
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), options)


def attributes(attrs: dict[str, Any]) -> str:
    """What django/forms/widgets/attrs.html makes of a widget's attributes."""
    html = []
    for name, value in attrs.items():
        if value is True:
            html.append(f" {escape(name)}")
        elif value is not False:
            html.append(f' {escape(name)}="{escape(str(value))}"')
    return "".join(html)


def input_tag(widget: dict[str, Any]) -> SafeString:
    """The `<input>` Django's django/forms/widgets/input.html makes of a widget's context
    (a radio option's `BoundWidget.data`, a checkbox's `get_context()["widget"]`), the
    same markup without a template: the self-assessment form has hundreds of them."""
    value = "" if widget["value"] is None else f' value="{escape(str(widget["value"]))}"'
    return SafeString(  # every value escaped
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}'
        f"{attributes(widget['attrs'])}>"
    )


def checkbox_tag(name: str, attrs: dict[str, Any], checked: bool) -> SafeString:
    """A checkbox's `<input>` as Django's CheckboxInput renders it (`attrs` as given to
    its template: id, disabled…)."""
    return input_tag(
        {
            "type": "checkbox",
            "name": name,
            "value": None,
            "attrs": {**attrs, "checked": True} if checked else attrs,
        }
    )


class QuickCheckboxInput(forms.CheckboxInput):
    """A checkbox rendered in Python (`checkbox_tag`), the same markup as Django's template."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> str:
        return checkbox_tag(name, self.build_attrs(self.attrs, attrs), self.check_test(value))


class QuickTextarea(forms.Textarea):
    """A textarea rendered in Python, the same markup as django/forms/widgets/textarea.html."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> str:
        return textarea_tag(name, self.build_attrs(self.attrs, attrs), self.format_value(value))


def textarea_tag(name: str, attrs: dict[str, Any], text: object) -> SafeString:
    """A `<textarea>` as Django's textarea.html renders it."""
    content = escape(str(text)) if text else ""
    return SafeString(  # every value escaped
        f'<textarea name="{escape(name)}"{attributes(attrs)}>\n{content}</textarea>'
    )
