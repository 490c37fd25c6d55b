"""The preview of an import: the same reading, checks and matching as the import itself
(journal/archive/importing.py), counted for the page, and nothing written."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from .importing import entry_changes, plan_upload, tags_changed
from .sources import left_out

# The apps' own names are not translated.
SOURCE_NAMES = {
    "mirror": gettext_lazy("Mirror's export"),
    "dayone": "Day One",
    "jrnl": "jrnl",
    "daylio": "Daylio",
    "markdown": gettext_lazy("Markdown notes"),
}


@dataclass(frozen=True)
class ImportPreview:
    """What an import would do, read and matched with the journal, nothing written."""

    source: str
    years: list[tuple[int, int]]  # (year, entries that file holds for it)
    first: dt.date | None
    last: dt.date | None
    new: int
    updated: int
    already: int
    events: int
    skipped: dict

    @property
    def source_name(self) -> str:
        return str(SOURCE_NAMES.get(self.source, self.source))

    @property
    def total(self) -> int:
        return self.new + self.updated + self.already

    @property
    def left_out(self) -> list[str]:
        return left_out(self.skipped)


def import_preview(*, user, archive_file) -> ImportPreview:
    """The same reading, checks and matching as `journal_import`, and nothing written: a
    file it would refuse is refused here, with the same problems."""
    planned = plan_upload(user, archive_file)
    new = updated = already = 0
    years: Counter = Counter()
    days = []
    for plan in planned.plans:
        day = plan.values.get("written_on") or (plan.entry.written_on if plan.entry else None)
        if day is not None:
            years[day.year] += 1
            days.append(day)
        if plan.entry is None:
            new += 1
        elif entry_changes(plan.entry, plan) or tags_changed(plan.entry, plan):
            updated += 1
        else:
            already += 1
    return ImportPreview(
        source=planned.source,
        years=sorted(years.items()),
        first=min(days, default=None),
        last=max(days, default=None),
        new=new,
        updated=updated,
        already=already,
        events=len(planned.events),
        skipped=dict(planned.skipped),
    )
