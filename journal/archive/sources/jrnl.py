"""jrnl (https://jrnl.sh): its JSON export (`jrnl --export json`) and its own journal file.

jrnl keeps no ids; an entry is known by its moment, its title and how many before it share
both. Its title is its first line, or, in a text of one line, its first sentence: the rule
jrnl applies (`split_title`), followed here so that a journal file and its JSON export give
the same entries. Tags are the words jrnl found after `@` (its default tag symbols are `#`
and `@`); a star after the first line marks a starred entry, which Mirror has no word for:
the star is left out."""

import datetime as dt
import json
import re

from django.utils.translation import gettext

from .base import Occurrences, SourceEntry, SourceRead, json_shape_problem, stable_id

FORMAT = "jrnl"
STARS = "stars (Mirror has none)"
# `[2024-02-14 06:05:00 AM] `: jrnl's default time format (`%F %r`) at the start of a line.
ENTRY_START = re.compile(
    r"^\[(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2})(?::(\d{2}))? ?([AP]M)?\] ?", re.MULTILINE
)
_SENTENCE = re.compile(
    r"([.!?\u2026\u203C\u203D\u2047\u2048\u2049\u22EF\uFE52\uFE57]['\u2019\"\u201D]?[\])]*\s+)"
    r"|[\uFF01\uFF0E\uFF1F\uFF61\u3002]"
)
# jrnl's own tag pattern (its tag symbols `@` and `#`), lowercased as jrnl lowercases them.
_TAG = re.compile(r"(?<!\S)[@#]([-+*#/\w]+)")


def split_title(text: str) -> tuple[str, str]:
    """jrnl's rule: the first line of a text of several, else its first sentence."""
    stripped = text.lstrip()
    newline = stripped.find("\n")
    end = newline + 1 + (len(text) - len(stripped)) if newline != -1 else None
    if end is None:
        sentence = _SENTENCE.search(text)
        if not sentence:
            return text.strip(), ""
        end = sentence.end()
    return text[:end].strip(), text[end:].strip()


def tags_of(*texts: str) -> tuple[str, ...]:
    """The tags jrnl finds in a text, without their symbol, in the order they appear."""
    return tuple(dict.fromkeys(tag.lower() for text in texts for tag in _TAG.findall(text)))


def read_json(data: dict) -> SourceRead:
    """jrnl's JSON export: `{"tags": {...}, "entries": [{"title", "body", "date", "time",
    "tags", "starred"}]}`."""
    read = SourceRead(FORMAT)
    seen = Occurrences()
    for index, raw in enumerate(data.get("entries") or []):
        day = raw.get("date", gettext("no date")) if isinstance(raw, dict) else "?"
        # Translators: where a problem is: "entry 3 (2024-02-14)".
        where = gettext("entry %(number)s (%(date)s)") % {"number": index + 1, "date": day}
        try:
            day = dt.date.fromisoformat(raw["date"])
            hour, minute = (int(part) for part in str(raw.get("time") or "09:00").split(":")[:2])
            moment = dt.datetime.combine(day, dt.time(hour, minute))
            title, body = str(raw.get("title") or ""), str(raw.get("body") or "")
            tags = tuple(str(tag).lstrip("@#") for tag in raw.get("tags") or [])
        except (KeyError, TypeError, ValueError, AttributeError):
            read.problems.append(f"{where}: " + gettext("it is not an entry as jrnl exports one."))
            continue
        nth = seen.nth(moment, title)
        if raw.get("starred"):
            read.skipped[STARS] += 1
        read.add(
            SourceEntry(
                source_id=stable_id(FORMAT, moment.isoformat(), title, nth),
                written_on=day,
                created=moment,
                title=title,
                body=body,
                tags=tuple(dict.fromkeys(tag for tag in tags if tag)),
                where=where,
            )
        )
    return read


def read_text(text: str) -> SourceRead:
    """jrnl's own journal file: entries after `[YYYY-MM-DD HH:MM:SS AM]` at a line start."""
    read = SourceRead(FORMAT)
    seen = Occurrences()
    starts = list(ENTRY_START.finditer(text))
    for number, start in enumerate(starts):
        end = starts[number + 1].start() if number + 1 < len(starts) else len(text)
        line = text.count("\n", 0, start.start()) + 1
        day_text, hour, minute, second, half = start.groups()
        # Translators: where a problem is: "line 12 (2024-02-14)".
        where = gettext("line %(number)s (%(date)s)") % {"number": line, "date": day_text}
        try:
            day = dt.date.fromisoformat(day_text)
            hour_number = int(hour) % 12 + (12 if half == "PM" else 0) if half else int(hour)
            moment = dt.datetime.combine(day, dt.time(hour_number, int(minute), int(second or 0)))
        except ValueError:
            read.problems.append(
                f"{where}: "
                + gettext("“%(moment)s” is not a real moment.")
                % {"moment": f"{day_text} {hour}:{minute}"}
            )
            continue
        raw = text[start.end() : end].strip("\n")
        first, _, rest = raw.partition("\n")
        if first.rstrip().endswith("*"):  # starred: jrnl strips the star from the text
            raw = first.rstrip().rstrip("*").rstrip() + ("\n" + rest if rest else "")
            read.skipped[STARS] += 1
        title, body = split_title(raw)
        nth = seen.nth(moment.replace(second=0), title)
        read.add(
            SourceEntry(
                source_id=stable_id(FORMAT, moment.replace(second=0).isoformat(), title, nth),
                written_on=day,
                created=moment,
                title=title,
                body=body,
                tags=tags_of(title, body),
                where=where,
            )
        )
    return read


def parse_json(text: str) -> dict | None:
    """The export as JSON, or None when the text is not jrnl's JSON export (or is shaped
    like no journal: json_shape_problem)."""
    if json_shape_problem(text):
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if isinstance(data, dict) and isinstance(data.get("entries"), list) and "tags" in data:
        return data
    return None
