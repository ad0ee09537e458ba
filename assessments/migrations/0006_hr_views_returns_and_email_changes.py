"""Let the HR group read the record of returned assessments and of e-mail changes.

Read only: nobody edits either record in the admin. HR still holds no permission on
accounts, groups or permissions (django.contrib.auth), so it cannot raise anyone's
privileges.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HR_GROUP = "HR"
CODENAMES = ["view_assessmentreturn", "view_emailchange"]


def grant(apps, schema_editor):
    # Permissions are normally created after the whole migrate run; create them now.
    app_config = apps.get_app_config("assessments")
    previous = getattr(app_config, "models_module", None)  # the caller may pass live apps
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = previous

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=HR_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="assessments", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=HR_GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="assessments", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0005_returns_and_email_changes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
