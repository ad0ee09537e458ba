"""Give the HR group every permission on the course catalogue."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HR_GROUP = "HR"
MODELS = ["course"]


def grant_hr_permissions(apps, schema_editor):
    # Permissions are normally created after the whole migrate run; create them now.
    app_config = apps.get_app_config("plans")
    previous = getattr(app_config, "models_module", None)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = previous

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=HR_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="plans", content_type__model__in=MODELS)
    )


def revoke_hr_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=HR_GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="plans", content_type__model__in=MODELS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_hr_permissions, revoke_hr_permissions)]
