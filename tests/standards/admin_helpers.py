"""Helpers for the admin tests: the POST an admin change page would send, and personas."""

from typing import Any

from django.contrib.auth.models import Permission, User
from django.forms import BaseForm

from tests.conftest import make_employee


def _add_form(data: dict[str, Any], form: BaseForm) -> None:
    for name in form.fields:
        value = form[name].value()
        key = form.add_prefix(name)
        if value is None or value is False:
            continue
        if value is True:
            data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        else:
            data[key] = str(value)


def admin_form_data(response: Any) -> dict[str, Any]:
    """What submitting an admin change (or add) page unchanged would POST."""
    data: dict[str, Any] = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _add_form(data, formset.management_form)
        for form in formset.forms:
            _add_form(data, form)
    return data


def inline_prefix(response: Any, model_name: str) -> str:
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model._meta.model_name == model_name:
            return inline.formset.prefix
    raise KeyError(model_name)


def staff_outside_hr() -> User:
    """A staff user who may look at the library but is not in the HR group."""
    user = make_employee("oscar", "S001", "吳奧斯卡", is_staff=True).user
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="standards", codename__startswith="view_"
        )
    )
    return User.objects.get(pk=user.pk)
