"""A trigram index for keyword search on PostgreSQL (nothing on other databases).

The catalogue's search is `search_text__icontains`, which PostgreSQL runs as
`UPPER(search_text::text) LIKE UPPER('%word%')`: no B-tree can serve it, so every search
read the folded text of every standard. A GIN index with pg_trgm's operator class on
that same expression lets PostgreSQL find the few rows holding the word. The extension
is created when the database user may do so; without it the index is skipped and search
still works, only slower (see README, Performance).
"""

from django.db import DatabaseError, migrations, transaction

INDEX = "standards_standard_search_text_trgm"


def create_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        installed = cursor.fetchone() is not None
    if not installed:
        try:
            with transaction.atomic(using=connection.alias):
                schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError:  # no privilege: keep the unindexed search
            return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON standards_standard "
        "USING gin ((UPPER(search_text::text)) gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("standards", "0005_link_history"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
