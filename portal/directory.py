"""Company sign-in: how a directory account becomes the portal's login.

django-python3-ldap binds as the person and reads their entry; these two hooks (named
in settings) say which DN to bind as and which local login the entry is.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django_python3_ldap.utils import clean_ldap_name, format_username_active_directory


def bind_name(model_fields: dict[str, Any]) -> str:
    """The name to bind as: a DN given whole (the search account), DOMAIN\\username for
    Active Directory, otherwise `<username attribute>=<username>,<search base>`."""
    username = str(model_fields["username"])
    if "=" in username:
        return username
    if settings.LDAP_AUTH_ACTIVE_DIRECTORY_DOMAIN:
        return format_username_active_directory(model_fields)
    attribute = settings.LDAP_AUTH_USER_FIELDS["username"]
    return f"{attribute}={clean_ldap_name(username)},{settings.LDAP_AUTH_SEARCH_BASE}"


def matched_user_data(fields: dict[str, Any]) -> dict[str, Any]:
    """The directory entry's fields, its username replaced by that of the employee
    whose login has the same e-mail address when no login has the directory username.

    Only an ordinary login is matched by address: a directory entry can never become a
    staff or superuser account that way.
    """
    users = get_user_model().objects
    email = fields.get("email") or ""
    if email and not users.filter(username=fields["username"]).exists():
        match = (
            users.filter(
                email__iexact=email,
                is_staff=False,
                is_superuser=False,
                employee__isnull=False,
            )
            .values_list("username", flat=True)
            .first()
        )
        if match:
            fields = {**fields, "username": match}
    return fields
