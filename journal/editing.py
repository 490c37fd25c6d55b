"""Changing an entry's words: the one place that locks the entry, refuses an edit made from
an older version, and keeps the words it replaces as a revision. The edit page and
restoring an earlier version both go through `entry_update`."""

from collections.abc import Callable

from django.db import transaction

from .models import Entry, EntryRevision


class EditConflict(Exception):
    """Someone (another tab, another device) saved the entry after this edit began."""

    def __init__(self, current: Entry) -> None:
        super().__init__(f"entry {current.pk} is at version {current.version}")
        self.current = current


def entry_update(
    *,
    entry: Entry,
    title: str,
    body: str,
    started_from: int | None = None,
    write: Callable[[Entry], Entry] | None = None,
) -> Entry:
    """Give `entry` the new title and body as its next version, and return it.

    `started_from` is the version the edit began from (None: the current one); an older one
    raises EditConflict with the current entry, and nothing changes. The replaced words are
    kept as a revision when they differ. `write` saves the entry with everything else the
    edit changes (a form's save); by default only the title and body change. Whatever
    `write` raises (a text the renderer refuses) takes the revision back with it."""
    with transaction.atomic():
        current = Entry.objects.select_for_update().get(pk=entry.pk)
        if started_from is not None and started_from != current.version:
            raise EditConflict(current)
        if (current.title, current.body) != (title, body):
            EntryRevision.keep(current)
        if write is None:
            current.title, current.body = title, body
            current.version += 1
            current.save()
            return current
        entry.version = current.version + 1
        return write(entry)
