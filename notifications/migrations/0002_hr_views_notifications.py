"""Let the HR group read the record of e-mails sent (read only, like the other records)."""

from django.db import migrations

from common.hr_group import hr_permissions_step

CODENAMES = ["view_notification"]


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [hr_permissions_step("notifications", CODENAMES)]
