"""Give the HR group every permission on the course catalogue."""

from django.db import migrations

from common.hr_group import hr_permissions_step

CODENAMES = [f"{action}_course" for action in ("view", "add", "change", "delete")]


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [hr_permissions_step("plans", CODENAMES)]
