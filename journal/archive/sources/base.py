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


# A JSON file's shape, bounded before it is parsed: Python makes an object of every list,
# mapping and string, and 40 MB of `[{},{},…]` would be ten million of them (gigabytes).
# A ten-year Day One journal has about 40,000 lists and mappings and 300,000 strings.
MAX_JSON_CONTAINERS = 500_000
MAX_JSON_STRINGS = 2_000_000


def json_shape_problem(text: str) -> str | None:
    """Why a JSON text is refused before it is parsed, or None."""
    containers = text.count("{") + text.count("[")
    if containers > MAX_JSON_CONTAINERS:
        return (
            f"it holds more than {MAX_JSON_CONTAINERS:,} lists and records, far more than a "
            "journal of the size Mirror imports; export a range of dates and import each part"
        )
    if text.count('"') // 2 > MAX_JSON_STRINGS:
        return f"it holds more than {MAX_JSON_STRINGS:,} texts; export a range of dates"
    return None


# What was left out, said of one: the reasons above are written for many.
_ONE = {
    "photos": "photo",
    "videos": "video",
    "audio files": "audio file",
    "PDFs": "PDF",
    "stars (Mirror has none)": "star (Mirror has none)",
    "places": "place",
    "weather notes": "weather note",
    "empty entries": "empty entry",
    "files that are not journals": "file that is not a journal",
    "files in hidden folders (.obsidian, .trash)": "file in a hidden folder (.obsidian, .trash)",
    "files that are not notes (attachments)": "file that is not a note (an attachment)",
    "moods with a name of their own, kept as a tag": "mood with a name of its own, kept as a tag",
    "notes dated by when their file last changed (no date found)": (
        "note dated by when its file last changed (no date found)"
    ),
}


def left_out(skipped: dict) -> list[str]:
    """What was left out and why, as the preview and the summary say it: `1 photo`."""
    return [
        f"{count:,} {_ONE.get(reason, reason) if count == 1 else reason}"
        for reason, count in skipped.items()
        if count
    ]
