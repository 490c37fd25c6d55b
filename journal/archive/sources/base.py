"""What every imported format becomes, and the checks every reader shares."""

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext, ngettext_lazy

from ...models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from ...tags import MAX_TAGS
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
            too_many = gettext(
                "The file holds more than %(max)s entries; Mirror imports at most %(max)s at "
                "once. Export a range of dates and import each."
            ) % {"max": intcomma(MAX_ENTRY_FILES)}
            if not self.problems or self.problems[-1] != too_many:
                self.problems.append(too_many)
        elif len(entry.title) > TITLE_MAX_LENGTH:
            self.problems.append(
                f"{entry.where}: "
                + gettext(
                    "its title is %(length)s characters long; Mirror keeps titles to %(max)s."
                )
                % {"length": intcomma(len(entry.title)), "max": TITLE_MAX_LENGTH}
            )
        elif len(entry.body) > BODY_MAX_LENGTH:
            self.problems.append(
                f"{entry.where}: "
                + gettext(
                    "its text is %(length)s characters long; Mirror keeps entries to %(max)s."
                )
                % {"length": intcomma(len(entry.body)), "max": intcomma(BODY_MAX_LENGTH)}
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
        return gettext(
            "it holds more than %(max)s lists and records, far more than a journal of the "
            "size Mirror imports; export a range of dates and import each part"
        ) % {"max": intcomma(MAX_JSON_CONTAINERS)}
    if text.count('"') // 2 > MAX_JSON_STRINGS:
        return gettext("it holds more than %(max)s texts; export a range of dates") % {
            "max": intcomma(MAX_JSON_STRINGS)
        }
    return None


# What was left out, as the preview and the summary say it, by the reason the readers count
# it under (the reasons are keys, never shown as they are). `n` is the count that chooses
# the plural, `count` the same number as written.
TAGS_BEYOND = f"tags beyond {MAX_TAGS} on one entry"
_SAID = {
    "photos": ngettext_lazy("%(count)s photo", "%(count)s photos", "n"),
    "videos": ngettext_lazy("%(count)s video", "%(count)s videos", "n"),
    "audio files": ngettext_lazy("%(count)s audio file", "%(count)s audio files", "n"),
    "PDFs": ngettext_lazy("%(count)s PDF", "%(count)s PDFs", "n"),
    "stars (Mirror has none)": ngettext_lazy(
        "%(count)s star (Mirror has none)", "%(count)s stars (Mirror has none)", "n"
    ),
    "places": ngettext_lazy("%(count)s place", "%(count)s places", "n"),
    "weather notes": ngettext_lazy("%(count)s weather note", "%(count)s weather notes", "n"),
    "empty entries": ngettext_lazy("%(count)s empty entry", "%(count)s empty entries", "n"),
    "files that are not journals": ngettext_lazy(
        "%(count)s file that is not a journal", "%(count)s files that are not journals", "n"
    ),
    "files in hidden folders (.obsidian, .trash)": ngettext_lazy(
        "%(count)s file in a hidden folder (.obsidian, .trash)",
        "%(count)s files in hidden folders (.obsidian, .trash)",
        "n",
    ),
    "files that are not notes (attachments)": ngettext_lazy(
        "%(count)s file that is not a note (an attachment)",
        "%(count)s files that are not notes (attachments)",
        "n",
    ),
    "moods with a name of their own, kept as a tag": ngettext_lazy(
        "%(count)s mood with a name of its own, kept as a tag",
        "%(count)s moods with a name of their own, kept as a tag",
        "n",
    ),
    "notes dated by when their file last changed (no date found)": ngettext_lazy(
        "%(count)s note dated by when its file last changed (no date found)",
        "%(count)s notes dated by when their file last changed (no date found)",
        "n",
    ),
    TAGS_BEYOND: ngettext_lazy(
        "%(count)s tag beyond %(max)s on one entry",
        "%(count)s tags beyond %(max)s on one entry",
        "n",
    ),
}


def left_out(skipped: dict) -> list[str]:
    """What was left out and why, as the preview and the summary say it: `1 photo`."""
    said = []
    for reason, count in skipped.items():
        if not count:
            continue
        text = _SAID.get(reason)
        values = {"n": count, "count": intcomma(count), "max": MAX_TAGS}
        said.append(text % values if text is not None else f"{intcomma(count)} {reason}")
    return said
