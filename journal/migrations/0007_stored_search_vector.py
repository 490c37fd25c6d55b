"""On PostgreSQL, keep each entry's search vector in a stored generated column with a GIN
index, so ranking reads it instead of parsing every matching body again. SQLite searches
with LIKE and gets nothing here."""

from django.db import migrations

# As they were: migration 0015 drops both, since the words are sealed (journal/sealed.py).
_VECTOR_SQL = (
    "to_tsvector('english'::regconfig, "
    "coalesce(title, '') || ' ' || coalesce(body, '') || ' ' || coalesce(tags_text, ''))"
)
SEARCH_COLUMN_SQL = (
    "ALTER TABLE journal_entry ADD COLUMN IF NOT EXISTS search_vector tsvector "
    f"GENERATED ALWAYS AS ({_VECTOR_SQL}) STORED"
)
SEARCH_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS entry_search_idx ON journal_entry USING GIN (search_vector)"
)


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
