"""The migration step that gives the HR group permissions of an app's models.

Each app's migration that lets HR work with new models calls `hr_permissions_step`
instead of repeating the same grant and revoke functions.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.management import create_permissions
from django.db import migrations

HR_GROUP = "HR"


def hr_permissions_step(app_label: str, codenames: Sequence[str]) -> migrations.RunPython:
    """A reversible RunPython that adds `codenames` of `app_label` to the HR group."""

    def permissions(apps):
        Permission = apps.get_model("auth", "Permission")
        return Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)

    def grant(apps, schema_editor) -> None:
        # Permissions are normally created after the whole migrate run; create them now.
        app_config = apps.get_app_config(app_label)
        previous = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = previous
        group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=HR_GROUP)
        group.permissions.add(*permissions(apps))

    def revoke(apps, schema_editor) -> None:
        group = apps.get_model("auth", "Group").objects.filter(name=HR_GROUP).first()
        if group is not None:
            group.permissions.remove(*permissions(apps))

    return migrations.RunPython(grant, revoke)
