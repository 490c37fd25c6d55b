"""An entry's words as a search reads them (journal.search), kept sealed in one value."""

from django.conf import settings
from django.db import models

from .models import Entry
from .querysets import OwnedQuerySet
from .sealed import SealedModel, SealedTextField
from .search import FOLDED_BY, searched_words

# An entry's fields whose words a search reads (journal.search): writing any of them
# deletes its search text (the trigger of migration 0020), and a save writes it again.
SEARCHED = frozenset({"title", "tags_text", "body"})


class SearchText(SealedModel):
    """An entry's words as a search reads them (journal.search): its title, tags and body,
    case- and accent-folded and joined, sealed like the entry's own fields. A search opens
    one value an entry instead of three and folds nothing: about 20 ms less over a ten-year
    journal. No index: the same words, one sealed value an entry, nothing shared between
    entries.

    A copy, so it is never trusted past a change: a trigger in the database deletes it
    whenever an UPDATE writes the entry's title, body or tags, whatever code runs it
    (migration 0020; put back after every migrate, journal.apps, since SQLite drops it when
    a migration rebuilds the table). Saving an entry and making entries in bulk write it
    again, and a search makes again the ones it finds missing or folded by an earlier
    `search.FOLDED_BY`."""

    SEAL_IDENTITY = ("user", "entry")

    entry = models.OneToOneField(
        Entry, on_delete=models.CASCADE, primary_key=True, related_name="search_text"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    folded_by = models.PositiveSmallIntegerField()  # search.FOLDED_BY when it was folded
    text = SealedTextField()

    objects = OwnedQuerySet.as_manager()

    def seal_row(self) -> str:
        return self.entry_id.hex  # the entry's own row, as a search reads it

    @classmethod
    def made_from(cls, entries) -> list["SearchText"]:
        """The search text of these entries, from their words as they are (not yet written:
        its `text` is the folded words)."""
        return [
            cls(
                entry_id=entry.pk,
                user_id=entry.user_id,
                folded_by=FOLDED_BY,
                text=searched_words(entry.title, entry.tags_text, entry.body),
            )
            for entry in entries
        ]

    @classmethod
    def write(cls, entries, *, batch_size: int | None = None) -> list["SearchText"]:
        """Write (or write again) the search text of saved entries, from their words."""
        rows = cls.made_from(entries)
        cls.store(rows, batch_size=batch_size)
        return rows

    @classmethod
    def store(cls, rows: list["SearchText"], *, batch_size: int | None = None) -> None:
        cls.objects.bulk_create(
            rows,
            batch_size=batch_size,
            update_conflicts=True,
            unique_fields=["entry"],
            update_fields=["user", "folded_by", "text", "sealed_with"],
        )
