"""Daylio (https://daylio.net): its CSV export, one row per entry:
`full_date,date,weekday,time,mood,activities,note_title,note`.

Moods are Daylio's default names, rad to awful, as Mirror's 5 to 1 (a mood renamed in the
app, or one of its custom moods, is kept as a tag `mood: …` instead, and counted). The
activities, joined with ` | `, become tags. A note keeps its line breaks (Daylio writes
`<br>` for them)."""

import csv
import datetime as dt
import io
import re

from django.utils.translation import gettext

from .base import Occurrences, SourceEntry, SourceRead, stable_id

FORMAT = "daylio"
COLUMNS = ("full_date", "date", "weekday", "time", "mood", "activities", "note_title", "note")
MOODS = {"rad": 5, "good": 4, "meh": 3, "bad": 2, "awful": 1}
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?:\s*([ap])\.?m\.?)?$", re.IGNORECASE)


def is_daylio(text: str) -> bool:
    header = text.lstrip("\ufeff").split("\n", 1)[0].strip().lower()
    return tuple(name.strip() for name in header.split(",")) == COLUMNS


def read_csv(text: str) -> SourceRead:
    read = SourceRead(FORMAT)
    try:
        _read_rows(read, csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    except csv.Error as error:  # a field longer than any note, or a broken quote
        read.problems.append(gettext("The CSV file cannot be read: %(error)s.") % {"error": error})
    return read


def _read_rows(read: SourceRead, rows: csv.DictReader) -> None:
    seen = Occurrences()
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        where = gettext("line %(number)s") % {"number": number}
        try:
            day = dt.date.fromisoformat((row.get("full_date") or "").strip())
            moment = dt.datetime.combine(day, _time((row.get("time") or "").strip()))
        except ValueError:
            read.problems.append(
                f"{where}: "
                + gettext("“%(moment)s” is not a date and time.")
                % {"moment": f"{row.get('full_date')} {row.get('time')}"}
            )
            continue
        mood_name = (row.get("mood") or "").strip()
        mood = MOODS.get(mood_name.lower())
        tags = [a.strip() for a in (row.get("activities") or "").split("|") if a.strip()]
        if mood_name and mood is None:
            tags.append(f"mood {mood_name}")
            read.skipped["moods with a name of their own, kept as a tag"] += 1
        title = " ".join((row.get("note_title") or "").split())
        body = _BREAK.sub("\n", row.get("note") or "").strip()
        nth = seen.nth(moment)
        entry = SourceEntry(
            source_id=stable_id(FORMAT, moment.isoformat(), nth),
            written_on=day,
            created=moment,
            title=title,
            body=body,
            tags=tuple(dict.fromkeys(tags)),
            mood=mood,
            where=where,
        )
        if not title and not body and (mood or tags):
            # A day Daylio knows only by its mood and activities: an entry of those.
            entry = SourceEntry(**{**entry.__dict__, "body": _summary(mood_name, tags)})
        read.add(entry)


def _time(text: str) -> dt.time:
    match = _TIME.match(text)
    if not match:
        raise ValueError(text)
    hour, minute, half = int(match.group(1)), int(match.group(2)), match.group(3)
    if half:
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
    return dt.time(hour, minute)


def _summary(mood: str, activities: list[str]) -> str:
    """The words of an entry Daylio knows only by its mood and activities: written into the
    journal in the language of the import."""
    # Translators: the text of an imported Daylio entry that had only a mood ("Mood: rad.").
    parts = [gettext("Mood: %(mood)s.") % {"mood": mood}] if mood else []
    if activities:
        # Translators: the text of an imported Daylio entry: "Activities: work, sport."
        parts.append(gettext("Activities: %(list)s.") % {"list": ", ".join(activities)})
    return " ".join(parts)
