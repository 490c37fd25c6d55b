"""What an export holds (a period, a range of dates), and the entries it reads: in chunks,
with their tags (from `tags_text`), so memory stays bounded however long the journal."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby

from django.db.models import QuerySet
from django.utils.translation import gettext

from ..models import (
    Entry,
    TimelineEvent,
)
from ..periods import Period
from ..timeline import Timeline

CHUNK_SIZE = 250  # entries read per database round trip
EXPORT_FIELDS = (
    "id", "title", "body", "written_on", "kind", "mood", "feelings", "stage", "prompt_text",
    "tags_text", "created_at", "updated_at",
)  # fmt: skip


# Selection --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """What to export: everything, one period, a date range, or a range inside a period."""

    period: Period | None = None
    start: dt.date | None = None  # the `from` query parameter
    end: dt.date | None = None  # the `to` query parameter

    @property
    def first_day(self) -> dt.date | None:
        days = [d for d in (self.start, self.period and self.period.start) if d]
        return max(days, default=None)

    @property
    def last_day(self) -> dt.date | None:
        days = [d for d in (self.end, self.period and self.period.end) if d]
        return min(days, default=None)

    @property
    def is_everything(self) -> bool:
        return self.period is None and self.start is None and self.end is None

    def contains(self, day: dt.date) -> bool:
        first, last = self.first_day, self.last_day
        return (first is None or first <= day) and (last is None or day <= last)

    def filter(self, entries: QuerySet) -> QuerySet:
        if self.first_day:
            entries = entries.filter(written_on__gte=self.first_day)
        if self.last_day:
            entries = entries.filter(written_on__lte=self.last_day)
        return entries

    def describe(self) -> str:
        """What the export holds, in words for its documents: "the whole journal",
        "Separation 2, 2025-03-14 to 2025-04-02"."""
        if self.is_everything:
            return gettext("the whole journal")
        span = _span(self.first_day, self.last_day)
        if self.period:
            # Translators: a period of the timeline and the dates an export takes from it.
            return gettext("%(period)s, %(span)s") % {"period": self.period.title, "span": span}
        return span

    def filename(self, today: dt.date, extension: str) -> str:
        """mirror-journal-2026-11-24.zip; one period or a range says so before the date."""
        parts = ["mirror-journal"]
        if self.period:
            parts.append(self.period.slug)
        if self.start or self.end:
            parts.append(f"{self.start or 'start'}-to-{self.end or today}")
        return f"{'-'.join(parts)}-{today}.{extension}"


def _span(first: dt.date | None, last: dt.date | None) -> str:
    if first and last:
        return gettext("%(first)s to %(last)s") % {"first": first, "last": last}
    if first:
        # Translators: the dates an export takes: "from 2025-03-14".
        return gettext("from %(day)s") % {"day": first}
    if last:
        # Translators: the dates an export takes: "until 2025-03-14".
        return gettext("until %(day)s") % {"day": last}
    return gettext("all dates")


def export_entries(user, selection: Selection) -> QuerySet:
    """The user's selected entries in date order, with only what a file needs."""
    return (
        selection.filter(Entry.objects.for_user(user))
        .only(*EXPORT_FIELDS)
        .order_by("written_on", "created_at", "id")
    )


def entries_with_tags(entries: QuerySet) -> Iterator[tuple[Entry, list[str]]]:
    """Each entry with its tag names, read from the database a chunk at a time.

    Within a day, entries follow their creation time to the second (what a file keeps),
    then their id, so an archive re-imported elsewhere exports under the same file names.
    Only one day's entries are held to sort them."""
    days = groupby(_chunked_with_tags(entries), key=lambda pair: pair[0].written_on)
    for _, day in days:
        yield from sorted(day, key=_as_kept)


def _as_kept(pair: tuple[Entry, list[str]]) -> tuple:
    return pair[0].created_at.replace(microsecond=0), pair[0].pk


def _chunked_with_tags(entries: QuerySet) -> Iterator[tuple[Entry, list[str]]]:
    """Each entry and its tag names (kept on the entry, `tags_text`), in name order."""
    for entry in entries.iterator(chunk_size=CHUNK_SIZE):
        yield entry, sorted(entry.tag_names)


def selected_events(timeline: Timeline, selection: Selection) -> list[TimelineEvent]:
    return [event for event in timeline.events if selection.contains(event.occurred_on)]
