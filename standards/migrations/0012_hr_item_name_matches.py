"""HR reviews which knowledge and skill names match across standards."""

from django.db import migrations

from common.hr_group import hr_permissions_step

CODENAMES = [f"{action}_itemnamematch" for action in ("view", "add", "change", "delete")]


class Migration(migrations.Migration):
    dependencies = [
        ("standards", "0011_item_match_keys"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [hr_permissions_step("standards", CODENAMES)]
