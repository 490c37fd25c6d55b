"""What every imported format becomes, and the checks every reader shares."""

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from ...models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from ..reading import MAX_ENTRY_FILES


@dataclass(frozen=True)
class SourceEntry:
    """One entry as another app kept it, in Mirror's terms.

    `source_id` is the entry's identity in its app (Day One's uuid), or a digest of what
    makes it itself (its moment and title) for apps without ids: importing the same file
    again finds the same entries. `written_on` is the day it was written where it was
    written (its local date)."""

    source_id: str
    written_on: dt.date
    created: dt.datetime | None
    title: str
    body: str
    tags: tuple[str, ...] = ()
    mood: int | None = None
    where: str = ""  # how a problem names it: "line 12", "entries[3]", a file's path


@dataclass
class SourceRead:
    """A file read: its entries, what was left out (reason → count) and its problems."""

    format: str
    entries: list[SourceEntry] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def add(self, entry: SourceEntry) -> None:
        """Keep `entry`, or note why it cannot be: empty, too long, or one too many."""
        if not entry.title.strip() and not entry.body.strip():
            self.skipped["empty entries"] += 1
        elif len(self.entries) >= MAX_ENTRY_FILES:
            if not self.problems or "more than" not in self.problems[-1]:
                self.problems.append(
                    f"The file holds more than {MAX_ENTRY_FILES:,} entries; Mirror imports at "
                    f"most {MAX_ENTRY_FILES:,} at once. Export a range of dates and import each."
                )
        elif len(entry.title) > TITLE_MAX_LENGTH:
            self.problems.append(
                f"{entry.where}: its title is {len(entry.title):,} characters long; "
                f"Mirror keeps titles to {TITLE_MAX_LENGTH}."
            )
        elif len(entry.body) > BODY_MAX_LENGTH:
            self.problems.append(
                f"{entry.where}: its text is {len(entry.body):,} characters long; "
                f"Mirror keeps entries to {BODY_MAX_LENGTH:,}."
            )
        else:
            self.entries.append(entry)


def stable_id(format_name: str, *parts: object) -> str:
    """An identity for an entry of an app that gives none: a digest of what makes it."""
    text = "\x1f".join(str(part) for part in (format_name, *parts))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class Occurrences:
    """Tells apart entries that look alike (the same moment and title twice)."""

    def __init__(self) -> None:
        self._seen: Counter = Counter()

    def nth(self, *key: object) -> int:
        self._seen[key] += 1
        return self._seen[key]


_HEADING = re.compile(r"\A\s*#{1,6}[ \t]+(.+?)[ \t#]*(?:\n|\Z)")


def heading_title(text: str) -> tuple[str, str] | None:
    """A text that starts with a heading: its words and the text after it; else None."""
    heading = _HEADING.match(text)
    if not heading:
        return None
    return heading.group(1).strip(), text[heading.end() :].strip("\n")
