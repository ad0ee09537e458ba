"""The trigram index of keyword search moves from UPPER(search_text) to the column itself.

search_text and the search terms are both folded to lower case (standards.search.fold),
so the catalogue now searches with a case-sensitive `contains`, which PostgreSQL runs as
`search_text::text LIKE '%word%'`: without UPPER() on every row a full scan is about
four times faster, and the planner picks this index at its default settings (it
ignored the one on UPPER() unless random_page_cost was lowered). PostgreSQL only; the
index is skipped, as in 0006, where pg_trgm is not installed.
"""

from django.db import migrations

OLD_INDEX = "standards_standard_search_text_trgm"
INDEX = "standards_standard_search_text_trgm_column"


def has_trigrams(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def replace_index(schema_editor, *, drop: str, create: str, expression: str) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {drop}")
    if has_trigrams(connection):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {create} ON standards_standard "
            f"USING gin ({expression} gin_trgm_ops)"
        )


def index_column(apps, schema_editor):
    replace_index(schema_editor, drop=OLD_INDEX, create=INDEX, expression="search_text")


def index_upper(apps, schema_editor):
    replace_index(
        schema_editor, drop=INDEX, create=OLD_INDEX, expression="(UPPER(search_text::text))"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("standards", "0006_search_text_trigram_index"),
    ]

    operations = [
        migrations.RunPython(index_column, index_upper, elidable=False),
    ]
