"""The trigger that keeps an entry's search text (models.SearchText) from outliving its words:
whenever an UPDATE writes an entry's title, body or tags, the database deletes the entry's
search text, whatever code ran the UPDATE (a save, a bulk update, the first sign-in's
sealing, SQL by hand). A search makes the missing ones again (journal.search).

Installed by migration 0020 and again after every migrate (journal.apps): on SQLite a
migration that rebuilds journal_entry drops the table's triggers with it."""

from django.db.backends.base.base import BaseDatabaseWrapper

NAME = "journal_entry_words_changed"
COLUMNS = "title, body, tags_text"

SQLITE = [
    f"""CREATE TRIGGER IF NOT EXISTS {NAME} AFTER UPDATE OF {COLUMNS} ON journal_entry
    BEGIN DELETE FROM journal_searchtext WHERE entry_id = NEW.id; END""",
]
POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION {NAME}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN DELETE FROM journal_searchtext WHERE entry_id = NEW.id; RETURN NULL; END $$""",
    f"""CREATE OR REPLACE TRIGGER {NAME} AFTER UPDATE OF {COLUMNS} ON journal_entry
    FOR EACH ROW EXECUTE FUNCTION {NAME}()""",
]
REMOVE = {
    "sqlite": [f"DROP TRIGGER IF EXISTS {NAME}"],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS {NAME} ON journal_entry",
        f"DROP FUNCTION IF EXISTS {NAME}()",
    ],
}


def install(connection: BaseDatabaseWrapper) -> None:
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(connection.vendor)
    if statements is None:
        raise NotImplementedError(f"no search-text trigger for {connection.vendor}")
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def remove(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in REMOVE.get(connection.vendor, []):
            cursor.execute(statement)


def installed(connection: BaseDatabaseWrapper) -> bool:
    """Whether the trigger is there (tested after every migration)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s", [NAME]
            )
        else:
            cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s", [NAME])
        return cursor.fetchone() is not None
