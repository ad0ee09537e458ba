from django.db import migrations, models


class Migration(migrations.Migration):
    """An assessment's workflow position is its "stage"; "status" is a standard's version status."""

    dependencies = [
        ("assessments", "0006_hr_views_returns_and_email_changes"),
    ]

    operations = [
        migrations.RenameField(model_name="assessment", old_name="status", new_name="stage"),
        migrations.AlterField(
            model_name="assessment",
            name="stage",
            field=models.CharField(
                choices=[("pending", "not started"), ("draft", "draft"), ("submitted", "submitted")],
                default="pending",
                max_length=10,
                verbose_name="stage",
            ),
        ),
    ]
