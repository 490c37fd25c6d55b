"""Migration 0019 turns sealed words stored as text (`m1.<generation>.<base64>`) into the
same bytes, and words stored as they are into their UTF-8, without any key: every entry
reads back as it was written."""

import base64
import importlib
from types import SimpleNamespace

import pytest
from django.db import connection

from journal.models import Entry, Prompt
from tests.factories import make_entry

migration = importlib.import_module("journal.migrations.0019_sealed_words_as_bytes")


def as_text(stored: bytes) -> str:
    """A sealed value as the earlier format wrote it."""
    generation, _, rest = stored[3:].partition(b".")
    return f"m1.{generation.decode()}.{base64.b64encode(rest).decode()}"


def test_a_sealed_text_becomes_the_same_bytes_and_a_plain_text_its_utf8():
    sealed = b"m1.12." + bytes(range(256))
    assert migration.as_bytes(as_text(sealed)) == sealed
    assert migration.as_bytes("Café at dawn") == "Café at dawn".encode()


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the rows of SQLite, whose columns take text"
)
def test_entries_stored_as_text_read_the_same_after_the_migration(alice):
    entry = make_entry(alice, title="Dawn", body="The *sea*, again: café.", tags=["sea"])
    builtin = Prompt.objects.filter(user__isnull=True).first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT body, title FROM journal_entry WHERE id = %s", [entry.pk.hex])
        body, title = cursor.fetchone()
        cursor.execute(
            "UPDATE journal_entry SET body = %s, title = %s WHERE id = %s",
            [as_text(body), as_text(title), entry.pk.hex],
        )
        cursor.execute(
            "UPDATE journal_prompt SET text = CAST(text AS TEXT) WHERE id = %s", [builtin.pk]
        )
        cursor.execute("SELECT typeof(body) FROM journal_entry WHERE id = %s", [entry.pk.hex])
        assert cursor.fetchone() == ("text",)

    editor = SimpleNamespace(connection=connection, quote_name=connection.ops.quote_name)
    migration.to_bytes(None, editor)

    again = Entry.objects.for_user(alice).get()
    assert (again.title, again.body, again.tag_names) == ("Dawn", entry.body, ["sea"])
    assert Prompt.objects.get(pk=builtin.pk).text == builtin.text
    with connection.cursor() as cursor:
        cursor.execute("SELECT typeof(body), typeof(title) FROM journal_entry")
        assert cursor.fetchall() == [("blob", "blob")]
