"""On PostgreSQL, keep each entry's search vector in a stored generated column with a GIN
index, so ranking reads it instead of parsing every matching body again. SQLite searches
with LIKE and gets nothing here."""

from django.db import migrations

from journal.search import SEARCH_COLUMN_SQL, SEARCH_INDEX_SQL


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS entry_search_idx")
        schema_editor.execute(SEARCH_COLUMN_SQL)
        schema_editor.execute(SEARCH_INDEX_SQL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS entry_search_idx")
        schema_editor.execute("ALTER TABLE journal_entry DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("journal", "0006_drafts_and_revisions")]

    operations = [migrations.RunPython(forwards, backwards)]
