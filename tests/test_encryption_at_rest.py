"""Encryption at rest, proven from the outside (issue 16, "Proof").

What a person writes is typed into every form that keeps words, through the real app and a
signed-in session (the Django test client): an entry with a title, a Markdown body and
tags, answering a prompt of their own (so it keeps the prompt's words); an edit of it (so
the earlier version is kept); autosaved drafts; a timeline note; a search. Each text carries
a marker word no database holds otherwise. The test first checks through the ORM, which
opens the words, that the marker reached every sealed field of every model (a sealed field
added later and not written here fails the test). Then it reads the database as it rests
and finds the marker nowhere, as written, lowercased, uppercased or in fragments:

- every column of every table, read with plain SQL (no model, nothing opened);
- on SQLite, the database file itself and its journal or write-ahead log, byte for byte
  (pytest's test database is in memory, so the app's own connection is pointed at a file
  copy of it for this test, once with a rollback journal and once with a write-ahead log);
- on PostgreSQL, a `pg_dump` of the test database, with the data committed.

Each scan must also find what is stored in the clear (the address, the entry's id, a
display name, which is not encrypted by design) and every sealed value as stored, so a scan
that read nothing, or the wrong thing, cannot pass.

The second test is the operator's view: the whole database and the settings, without the
browser's `mirror-key` cookie. The entry's page says the journal is locked (423), the ORM
refuses to open the words (JournalLocked), and the session row holds the journal key only
sealed under a secret that only the cookie holds.
"""

import base64
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import Client
from django.urls import reverse

from accounts import keys
from accounts.models import User
from accounts.unlock import SESSION_KEY, cookie_name
from journal.models import Draft, Entry, EntryRevision, Prompt, Tag, TimelineEvent
from journal.sealing import JournalLocked, is_sealed, keys_active
from tests.factories import OPENED, TestKeys, make_user, sign_in

MARKER = "Quillmarrow"
# Shown in the clear on purpose (a display name is not sealed): what proves a scan can find
# a person's words where they are stored as they are.
CLEAR_CANARY = "Plainwrenfield"
EMAIL = "quiet-writer@example.com"
DAY = "2025-03-14"


def marker_forms(word: str = MARKER) -> list[str]:
    """The marker as written, lowercased and uppercased, and every fragment of it of six
    characters or more in those cases. (Five-letter fragments would include English words,
    `arrow` and `quill`, and, matched in several cases, could turn up by chance in the
    base64 of sealed values.)"""
    forms = set()
    for length in range(6, len(word) + 1):
        for start in range(len(word) - length + 1):
            part = word[start : start + length]
            forms |= {part, part.lower(), part.upper(), part.capitalize()}
    return sorted(forms, key=lambda form: (-len(form), form))


FORMS = marker_forms()


def found_in(data: bytes) -> list[str]:
    """The marker's forms found in `data`, each with the bytes around its first place."""
    found = []
    for form in FORMS:
        at = data.find(form.encode())
        if at >= 0:
            found.append(f"{form!r} at byte {at}: {data[max(0, at - 80) : at + 80]!r}")
    return found


# The writing, through the app -----------------------------------------------------------


@dataclass
class Written:
    user: User
    client: Client
    entry: Entry
    prompt: Prompt


def write_everything(user: User, client: Client) -> Written:
    """Everything a person writes, through the pages and forms they use."""
    ok = {200, 302}
    # A prompt of their own, with a theme.
    response = client.post(
        reverse("journal:prompt-create"),
        {
            "text": f"What would {MARKER} say to you today?",
            "perspective": "any",
            "phase": "",
            "stage": "",
            "theme": f"{MARKER} days",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    with keys_active(TestKeys()):
        prompt = Prompt.objects.own(user).get()

    # An entry answering it: a title, a body in Markdown, tags.
    assert client.get(f"{reverse('journal:entry-create')}?prompt={prompt.pk}").status_code == 200
    fields = {
        "written_on": DAY,
        "kind": "reflection",
        "mood": "",
        "stage": "",
        "prompt": str(prompt.pk),
    }
    response = client.post(
        reverse("journal:entry-create"),
        {
            **fields,
            "title": f"{MARKER} at dawn",
            "body": f"I met **{MARKER}** by the river.\n\n- {MARKER.lower()}\n- {MARKER.upper()}",
            "tags": f"{MARKER}, quiet hours",
            "draft_key": uuid.uuid4().hex,
            "version": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    with keys_active(TestKeys()):
        entry = Entry.objects.for_user(user).get()

    # Autosave while editing it (the draft is deleted when the edit is saved), then the
    # edit, which keeps the earlier words as a revision.
    def autosave(**typed) -> None:
        response = client.post(reverse("journal:autosave"), {**fields, **typed})
        assert response.status_code == 200, response.content

    autosave(
        draft_key=str(entry.pk),
        entry=str(entry.pk),
        title=f"{MARKER} at dawn, edited",
        body=f"Half an edit of *{MARKER}*",
        tags=f"{MARKER}, quiet hours",
        version="1",
    )
    response = client.post(
        reverse("journal:entry-edit", args=[entry.pk]),
        {
            **fields,
            "title": f"{MARKER} at noon",
            "body": f"Later, _{MARKER}_ again, and [{MARKER}](https://example.com/).",
            "tags": f"{MARKER}, quiet hours",
            "draft_key": str(entry.pk),
            "version": "1",
        },
    )
    assert response.status_code == 302, response.content[:2000]

    # A draft of a new entry, autosaved and never saved: it stays.
    autosave(
        draft_key=uuid.uuid4().hex,
        title=f"{MARKER.upper()} unsent",
        body=f"Dear {MARKER}, I never sent this.",
        tags=f"{MARKER.lower()}-draft",
        version="",
    )

    # A timeline event with a note in Markdown.
    response = client.post(
        reverse("journal:event-create"),
        {
            "kind": "meeting",
            "occurred_on": "2025-03-01",
            "initiator": "",
            "note": f"We met on **{MARKER}** lane.",
        },
    )
    assert response.status_code == 302, response.content[:2000]

    # A search for the marker, and by its tag: they find the entry.
    for query in (f"q={MARKER}", f"q={MARKER.lower()[:6]}", f"tag={MARKER.lower()}"):
        response = client.get(f"{reverse('journal:entry-list')}?{query}")
        assert response.status_code == 200
        assert f"{MARKER} at noon" in response.content.decode(), query

    # The pages that read and draw the words (and may cache what they draw).
    for url in (
        reverse("home"),
        reverse("journal:entry-list"),
        reverse("journal:entry-detail", args=[entry.pk]),
        reverse("journal:entry-history", args=[entry.pk]),
        reverse("journal:timeline"),
        reverse("journal:calendar"),
        reverse("journal:prompt-list"),
        f"{reverse('journal:entry-create')}?prompt={prompt.pk}",
    ):
        response = client.get(url)
        assert response.status_code in ok, url
    assert MARKER in client.get(entry.get_absolute_url()).content.decode()
    return Written(user=user, client=client, entry=entry, prompt=prompt)


def sealed_columns() -> dict[str, tuple[type, str]]:
    """Every sealed field of every model, as `table.column`."""
    return {
        f"{model._meta.db_table}.{field.column}": (model, field.attname)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if getattr(field, "sealed", False)
    }


def assert_marker_reached_every_sealed_field(user: User) -> None:
    """Through the ORM (the test holds the user's key): the marker is in every sealed field
    of every model, so the scans below look for words that really were written."""
    columns = sealed_columns()
    assert {
        "journal_entry.title",
        "journal_entry.body",
        "journal_entry.body_html",
        "journal_entry.excerpt",
        "journal_entry.tags_text",
        "journal_entry.prompt_text",
        "journal_entryrevision.title",
        "journal_entryrevision.body",
        "journal_draft.title",
        "journal_draft.body",
        "journal_draft.fields",
        "journal_timelineevent.note",
        "journal_timelineevent.note_html",
        "journal_tag.name",
        "journal_prompt.text",
        "journal_prompt.theme",
        "journal_searchtext.text",
    } <= set(columns)
    missing = []
    with keys_active(TestKeys()):
        for name, (model, attname) in columns.items():
            values = [getattr(row, attname) for row in model._default_manager.filter(user=user)]
            texts = [v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in values]
            if not any(MARKER.lower() in text.lower() for text in texts):
                missing.append(f"{name}: {texts!r}")
        entry = Entry.objects.for_user(user).get()
        assert "<strong>" in entry.body_html or "<em>" in entry.body_html  # Markdown, drawn
        assert entry.body_html != entry.body
        assert EntryRevision.objects.filter(entry=entry).count() == 1
        assert Draft.objects.for_user(user).count() == 1  # the edit's draft went with the save
        assert Tag.objects.for_user(user).count() == 2
        assert TimelineEvent.objects.for_user(user).get().note_html.startswith("<p>")
    assert not missing, "the marker did not reach these sealed fields:\n" + "\n".join(missing)


def raw_sealed_values(user: User) -> dict[str, list[bytes]]:
    """Every sealed field's values of `user`'s rows as stored, read with plain SQL: each is
    sealed (or empty)."""
    quote = connection.ops.quote_name
    stored: dict[str, list[bytes]] = {}
    with connection.cursor() as cursor:
        for name in sealed_columns():
            table, column = name.split(".")
            cursor.execute(
                f"SELECT {quote(column)} FROM {quote(table)} WHERE user_id = %s", [user.pk]
            )
            values = [bytes(value) for (value,) in cursor.fetchall() if value]
            assert values, name
            assert all(is_sealed(value) for value in values), (name, values)
            stored[name] = values
    return stored


def every_column_of_every_table() -> Iterator[tuple[str, str, bytes]]:
    """(table, column, value) of every value in the database, read with plain SQL."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {quote(table)}")
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    if isinstance(value, memoryview | bytes | bytearray):
                        data = bytes(value)
                    else:
                        data = str(value).encode()
                    yield table, column, data


def assert_no_column_holds_the_marker() -> None:
    seen, leaks = set(), []
    for table, column, data in every_column_of_every_table():
        seen.add(f"{table}.{column}")
        for found in found_in(data):
            leaks.append(f"{table}.{column}: {found}")
    # The scan read the rows it had to read…
    assert {*sealed_columns(), "accounts_user.email", "django_session.session_data"} <= seen
    assert not leaks, "the marker is stored in the clear:\n" + "\n".join(leaks)


def assert_scan_is_not_vacuous(data: bytes, written: Written, entry_ids: list[str]) -> None:
    """What a scan of `data` must find: what is stored in the clear, and every sealed value
    of the user's rows exactly as stored."""
    assert EMAIL.encode() in data
    assert CLEAR_CANARY.encode() in data
    assert any(entry_id.encode() in data for entry_id in entry_ids)
    for name, values in raw_sealed_values(written.user).items():
        for value in values:
            # As they are in SQLite's file; a dump writes bytea in hexadecimal.
            assert value in data or value.hex().encode() in data, (
                f"{name}: a stored value is not in what was read"
            )


def new_writer() -> tuple[User, Client]:
    user = make_user(EMAIL, display_name=f"Ottoline {CLEAR_CANARY}")
    client = Client()
    sign_in(client, user)
    return user, client


# SQLite: the database file and its journal -----------------------------------------------


@pytest.fixture(params=["delete", "wal"])
def sqlite_file(request, db, tmp_path) -> Iterator[Path]:
    """The app's default connection on a file: a copy of the (in-memory) test database,
    written by the app in the journal mode asked for, and committed as it would be in
    production (autocommit; each request's transactions commit). The test database itself
    is left as it was."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite database file is read on SQLite runs")
    path = tmp_path / "mirror.sqlite3"
    source = connections[DEFAULT_DB_ALIAS]
    source.ensure_connection()
    target = sqlite3.connect(path)
    source.connection.backup(target)
    (mode,) = target.execute(f"PRAGMA journal_mode={request.param}").fetchone()
    assert mode == request.param
    target.close()
    wrapper = type(source)({**source.settings_dict, "NAME": str(path)}, alias=DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = wrapper
    try:
        yield path
    finally:
        wrapper.close()
        connections[DEFAULT_DB_ALIAS] = source


def file_bytes(path: Path) -> tuple[bytes, list[str]]:
    """The database file and every journal, log or shared-memory file beside it."""
    files = [path, *(Path(f"{path}{suffix}") for suffix in ("-journal", "-wal", "-shm"))]
    present = [file for file in files if file.exists()]
    return b"".join(file.read_bytes() for file in present), [file.name for file in present]


def test_the_sqlite_file_and_its_journal_hold_no_word_written(sqlite_file):
    assert connection.settings_dict["NAME"] == str(sqlite_file)
    user, client = new_writer()
    written = write_everything(user, client)
    assert_marker_reached_every_sealed_field(user)
    assert_no_column_holds_the_marker()

    entry_ids = [written.entry.pk.hex, str(written.entry.pk)]
    with connection.cursor() as cursor:
        (mode,) = cursor.execute("PRAGMA journal_mode").fetchone()
    data, names = file_bytes(sqlite_file)  # with the connection open: the log not yet folded in
    assert not found_in(data), f"the marker is in {names}:\n" + "\n".join(found_in(data))
    assert_scan_is_not_vacuous(data, written, entry_ids)
    if mode == "wal":  # the log was read, and holds what was written since the copy
        assert f"{sqlite_file.name}-wal" in names
        wal = Path(f"{sqlite_file}-wal").read_bytes()
        assert EMAIL.encode() in wal and written.entry.pk.hex.encode() in wal

    connection.close()  # the log is folded into the file (WAL), the journal is gone
    data, names = file_bytes(sqlite_file)
    assert EMAIL.encode() in data and CLEAR_CANARY.encode() in data
    assert not found_in(data), f"the marker is in {names}:\n" + "\n".join(found_in(data))


# PostgreSQL: a dump of the database ------------------------------------------------------


def pg_dump() -> bytes:
    """A plain-text dump of the test database (schema and data), over the connection
    parameters Django uses."""
    executable = shutil.which("pg_dump")
    if executable is None:
        pytest.fail("pg_dump is missing: install Debian's postgresql-client (see .ci/run)")
    params = connection.settings_dict
    command = [executable, "--no-password", "--format=plain", "--dbname", params["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            command += [option, str(params[key])]
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    if params.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = params["OPTIONS"]["sslmode"]
    done = subprocess.run(command, capture_output=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_dump_holds_no_word_written():
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump reads PostgreSQL runs")
    user, client = new_writer()
    written = write_everything(user, client)
    assert_marker_reached_every_sealed_field(user)
    assert_no_column_holds_the_marker()

    data = pg_dump()
    assert b"COPY public.journal_entry " in data  # the data, not the schema alone
    assert not found_in(data), "the marker is in the dump:\n" + "\n".join(found_in(data))
    assert_scan_is_not_vacuous(data, written, [str(written.entry.pk)])


# The operator: the database and the settings, no cookie ----------------------------------


def _encodings(raw: bytes) -> list[bytes]:
    return [
        raw,
        raw.hex().encode(),
        base64.b64encode(raw),
        base64.urlsafe_b64encode(raw),
        base64.urlsafe_b64encode(raw).rstrip(b"="),
    ]


@pytest.mark.django_db
def test_the_database_and_the_settings_without_the_cookie_cannot_read_an_entry():
    user, client = new_writer()
    response = client.post(
        reverse("journal:entry-create"),
        {
            "title": f"{MARKER} at dawn",
            "body": f"I met **{MARKER}** by the river.",
            "written_on": DAY,
            "kind": "reflection",
            "tags": MARKER,
            "draft_key": uuid.uuid4().hex,
        },
    )
    assert response.status_code == 302, response.content[:2000]
    with keys_active(TestKeys()):
        entry = Entry.objects.for_user(user).get()
    page = entry.get_absolute_url()
    assert MARKER in client.get(page).content.decode()  # the writer's own session reads it

    # The operator holds the session cookie (its key is in the sessions table), without the
    # browser's secret, or with a made-up one.
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert cookie_name() in client.cookies
    for secret in (None, keys.new_session_secret()):
        operator = Client()
        operator.cookies[settings.SESSION_COOKIE_NAME] = session_key
        if secret:
            operator.cookies[cookie_name()] = secret
        for url in (
            page,
            reverse("journal:entry-markdown", args=[entry.pk]),
            f"{reverse('journal:entry-list')}?q={MARKER}",
            reverse("journal:entry-history", args=[entry.pk]),
        ):
            response = operator.get(url)
            assert response.status_code == 423, (url, response.status_code)
            text = response.content.decode()
            assert "Your journal is locked" in text
            assert MARKER.lower() not in text.lower()
        response = operator.get(page, headers={"Accept": "application/json"})
        assert (response.status_code, response.json()) == (423, {"error": "locked"})
    assert MARKER in client.get(page).content.decode()  # …and the writer still reads it

    # Code with the database and no key, or another journal's key, opens nothing.
    other = make_user("someone-else@example.com")
    for active in (None, TestKeys().for_owner(other.pk)):
        with keys_active(active):
            with pytest.raises(JournalLocked):
                Entry.objects.get(pk=entry.pk)
            with pytest.raises(JournalLocked):
                Tag.objects.filter(user=user).first()

    # The session row holds the journal key sealed under the cookie's secret, never the key
    # or the secret.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT session_data FROM django_session WHERE session_key = %s", [session_key]
        )
        (session_data,) = cursor.fetchone()
    data = SessionStore().decode(session_data)  # the settings' SECRET_KEY opens the session
    sealed = data[SESSION_KEY]["sealed"]
    key = OPENED[user.pk].key
    secret = client.cookies[cookie_name()].value
    stored = session_data.encode() + json.dumps(data).encode()
    for form in [*_encodings(key), secret.encode()]:
        assert form not in stored
    assert not re.search(MARKER, json.dumps(data), re.IGNORECASE)
    for wrong in (keys.new_session_secret(), session_key, settings.SECRET_KEY):
        with pytest.raises(keys.KeyRefused):
            keys.unseal(wrong, sealed, user_id=user.pk)
    assert keys.unseal(secret, sealed, user_id=user.pk) == key  # the cookie's secret opens it
    with pytest.raises(keys.KeyRefused):  # …for this account only
        keys.unseal(secret, sealed, user_id=other.pk)


@pytest.mark.django_db
def test_an_imported_journal_is_sealed_before_it_is_written(client):
    """An archive full of the marker, exported by one user and imported by another through
    the import page: the import seals every word before it writes."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    writer, writer_client = new_writer()
    write_everything(writer, writer_client)
    response = writer_client.get(reverse("journal:export-zip"))
    archive = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:  # plain Markdown, as exported
        assert any(MARKER in opened.read(name).decode() for name in opened.namelist())

    reader = make_user("reader@example.com")
    sign_in(client, reader)
    upload = SimpleUploadedFile("journal.zip", archive, content_type="application/zip")
    response = client.post(reverse("journal:import"), {"archive": upload, "action": "import"})
    assert response.status_code == 302, response.content[:2000]
    with keys_active(TestKeys()):
        imported = list(Entry.objects.for_user(reader))
        assert imported and all(MARKER in entry.title for entry in imported)
        assert any(MARKER in event.note for event in TimelineEvent.objects.for_user(reader))
    assert_no_column_holds_the_marker()
