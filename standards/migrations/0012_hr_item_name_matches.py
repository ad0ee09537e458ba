"""HR reviews which knowledge and skill names match across standards."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HR_GROUP = "HR"
CODENAMES = [f"{action}_itemnamematch" for action in ("view", "add", "change", "delete")]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("standards")
    previous = getattr(app_config, "models_module", None)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = previous
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=HR_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="standards", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=HR_GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="standards", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("standards", "0011_item_match_keys"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
