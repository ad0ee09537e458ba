"""The HR group: staff who keep the standards library in the admin.

HR may view, add, change and delete every part of a standard (drafts only; the admin
keeps published versions read-only), view the importer's warnings, and import, export
and publish standards. The assessments app adds its own permissions to the same group.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HR_GROUP = "HR"
EDITABLE_MODELS = [
    "standard",
    "versionrecord",
    "duty",
    "task",
    "workoutput",
    "behaviourindicator",
    "taskknowledge",
    "taskskill",
    "knowledgeitem",
    "skillitem",
    "attitude",
    "note",
    "jobcategory",
    "occupation",
    "industry",
]
ACTIONS = ["view", "add", "change", "delete"]
EXTRA = ["view_importwarning", "import_standards", "export_standards", "publish_standard"]


def hr_codenames() -> list[str]:
    return [f"{action}_{model}" for model in EDITABLE_MODELS for action in ACTIONS] + EXTRA


def hr_permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="standards", codename__in=hr_codenames()
    )


def grant_hr_permissions(apps, schema_editor):
    # Permissions are normally created after the whole migrate run; create them now.
    app_config = apps.get_app_config("standards")
    previous = getattr(app_config, "models_module", None)  # the caller may pass live apps
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = previous

    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=HR_GROUP)
    group.permissions.add(*hr_permissions(apps))


def revoke_hr_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=HR_GROUP).first()
    if group is not None:
        group.permissions.remove(*hr_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("standards", "0003_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_hr_permissions, revoke_hr_permissions)]
