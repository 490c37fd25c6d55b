"""Sealing a journal written before encryption came: once, at its owner's first sign-in
with a password (accounts/unlock.py), in the transaction that makes the journal key.

A migration cannot do it: only the password wraps the key. Until that sign-in, the
account's words stay as they were stored (`manage.py encryption_status` counts such
accounts; docs/security.md says what that means for an operator). Every row the user owns
in every model with sealed fields is read as stored and written back sealed, in one
statement per model run for all its rows; a tag's key becomes its keyed digest. A
ten-year journal (3,650 entries) takes about a second (measured in the closing note of
issue 16).
"""

from django.db import connection, transaction
from django.db.models import QuerySet

from .figures import journal_changed
from .models import Draft, Entry, EntryRevision, Prompt, Tag, TimelineEvent
from .sealed import SealedModel
from .sealing import Keyring, keys_active

MODELS: tuple[type[SealedModel], ...] = (Entry, EntryRevision, Draft, TimelineEvent, Tag, Prompt)
CHUNK = 500


def seal_journal(user, keyring: Keyring) -> dict[str, int]:
    """Seal everything `user` wrote under `keyring`; returns the rows sealed, by model."""
    sealed = {}
    with transaction.atomic(), keys_active(keyring):
        for model in MODELS:
            sealed[model._meta.model_name] = _seal_rows(model, user)
        journal_changed(user.pk)
    return sealed


def _seal_rows(model: type[SealedModel], user) -> int:
    fields = model.sealed_fields()
    identity = [model._meta.get_field(name).attname for name in model.SEAL_IDENTITY]
    written = [field.attname for field in fields] + (["key"] if model is Tag else [])
    table, quote = model._meta.db_table, connection.ops.quote_name
    statement = (
        f"UPDATE {quote(table)} SET "
        + ", ".join(f"{quote(model._meta.get_field(name).column)} = %s" for name in written)
        + f" WHERE {quote(model._meta.pk.column)} = %s"
    )
    # Read as stored, never opened: these words were written before any key existed.
    rows = QuerySet.values_list(
        QuerySet(model).filter(user=user).order_by("pk"),
        "pk",
        *identity,
        *(field.attname for field in fields),
    )
    count, batch = 0, []
    for pk, *values in rows.iterator(chunk_size=CHUNK):
        row = model(pk=pk, **dict(zip(identity, values, strict=False)))
        stored = values[len(identity) :]
        sealed = [
            field.get_db_prep_save(
                row.sealed_value(field, field.opened(raw) if raw else raw), connection
            )
            for field, raw in zip(fields, stored, strict=True)
        ]
        if model is Tag:
            sealed.append(Tag.key_for(user.pk, stored[0]))
        batch.append([*sealed, model._meta.pk.get_db_prep_value(pk, connection)])
        if len(batch) == CHUNK:
            count += _write(statement, batch)
            batch = []
    return count + _write(statement, batch)


def _write(statement: str, batch: list) -> int:
    if batch:
        with connection.cursor() as cursor:
            cursor.executemany(statement, batch)
    return len(batch)
