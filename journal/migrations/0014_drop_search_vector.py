"""The stored PostgreSQL search vector goes: it held every word of every entry, in the
clear, and a sealed journal (journal/sealed.py) is searched in Python instead
(journal/search.py). It runs before the sealed fields change type, since PostgreSQL will
not change the type of a column a generated column reads."""

from django.db import migrations


DROPPED = [
    "DROP INDEX IF EXISTS entry_search_idx",
    "ALTER TABLE journal_entry DROP COLUMN IF EXISTS search_vector",
]


def drop_the_words_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite never had them
    for statement in DROPPED:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("journal", "0013_row_uids")]

    operations = [migrations.RunPython(drop_the_words_index, migrations.RunPython.noop)]
