"""Sealed words are stored as bytes: `m1.<generation>.` then the nonce, the ciphertext and
its tag, as they are, where they were `m1.<generation>.<base64 of the same>` text
(journal/sealing.py). A search reads a whole journal, and decoding base64 was about a third
of its time.

No key is needed: the same bytes, written another way. A value stored as it is (a built-in
prompt's words, or a journal from before encryption waiting for its owner's sign-in)
becomes its UTF-8 bytes, read back as the same text. On PostgreSQL each column becomes
`bytea` in one statement; on SQLite, whose columns take any value, each row's value is
rewritten as a BLOB. A database made from scratch goes the same way (its columns are text
until here: migration 0015).
"""

import base64

from django.db import migrations

COLUMNS = {
    "journal_entryrevision": ("title", "body"),
    "journal_entry": ("title", "body", "body_html", "excerpt", "tags_text", "prompt_text"),
    "journal_draft": ("title", "body", "fields"),
    "journal_prompt": ("theme", "text"),
    "journal_tag": ("name",),
    "journal_timelineevent": ("note", "note_html"),
}
PREFIX = "m1."


def as_bytes(stored: str) -> bytes:
    """The bytes of a value stored as text: sealed (`m1.<generation>.<base64>`), or not."""
    if stored.startswith(PREFIX):
        generation, _, body = stored[len(PREFIX) :].partition(".")
        return f"{PREFIX}{generation}.".encode() + base64.b64decode(body, validate=True)
    return stored.encode()


POSTGRESQL = """
ALTER TABLE {table} ALTER COLUMN {column} TYPE bytea USING (
    CASE WHEN left({column}, 3) = 'm1.'
    THEN convert_to('m1.' || split_part({column}, '.', 2) || '.', 'UTF8')
         || decode(split_part({column}, '.', 3), 'base64')
    ELSE convert_to({column}, 'UTF8') END
)
"""


def to_bytes(apps, schema_editor):
    connection = schema_editor.connection
    quote = schema_editor.quote_name
    with connection.cursor() as cursor:
        for table, columns in COLUMNS.items():
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = %s AND data_type = 'text'",
                    [table],
                )
                text_columns = {name for (name,) in cursor.fetchall()}
                for column in columns:
                    if column in text_columns:
                        cursor.execute(POSTGRESQL.format(table=quote(table), column=quote(column)))
                continue
            for column in columns:
                cursor.execute(
                    f"SELECT rowid, {quote(column)} FROM {quote(table)} "
                    f"WHERE typeof({quote(column)}) = 'text'"
                )
                rows = cursor.fetchall()
                cursor.executemany(
                    f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE rowid = %s",
                    [(as_bytes(stored), rowid) for rowid, stored in rows],
                )


class Migration(migrations.Migration):
    dependencies = [("journal", "0018_prompt_perspective_either_side")]

    operations = [migrations.RunPython(to_bytes, migrations.RunPython.noop, elidable=False)]
