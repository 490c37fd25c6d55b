"""Daylio's CSV export: moods by Daylio's default names, activities as tags, notes with
their line breaks."""

import datetime as dt

from journal.archive.sources import Format, detect
from journal.archive.sources.daylio import read_csv

EXPORT = (
    "full_date,date,weekday,time,mood,activities,note_title,note\n"
    '2024-02-14,February 14,Wednesday,9:41 pm,rad,"friends | walk | 11:11",'
    '"A good day","We laughed.<br>Then the sea.<br/>"\n'
    "2024-02-13,February 13,Tuesday,07:05,awful,,,\n"
    '2024-02-12,February 12,Monday,10:00 am,tired,work,,"Only this."\n'
    "2024-02-11,February 11,Sunday,10:00 am,,,,\n"
)


def test_a_daylio_export_is_found_from_its_header():
    assert detect(EXPORT) == Format.DAYLIO
    assert detect("\ufeff" + EXPORT) == Format.DAYLIO


def test_moods_activities_and_notes_come_across():
    read = read_csv(EXPORT)
    assert not read.problems
    rad, awful, tired = read.entries
    assert (rad.written_on, rad.created) == (dt.date(2024, 2, 14), dt.datetime(2024, 2, 14, 21, 41))
    assert (rad.mood, rad.title, rad.body) == (5, "A good day", "We laughed.\nThen the sea.")
    assert rad.tags == ("friends", "walk", "11:11")
    # A day known only by its mood is an entry of that.
    assert (awful.mood, awful.body) == (1, "Mood: awful.")
    # A mood of its own name is kept as a tag, and counted.
    assert tired.mood is None and "mood tired" in tired.tags
    assert read.skipped == {
        "moods with a name of their own, kept as a tag": 1,
        "empty entries": 1,
    }


def test_a_bad_date_is_named():
    read = read_csv(EXPORT.replace("2024-02-13,", "2024-13-13,", 1))
    assert read.problems == ["line 3: “2024-13-13 07:05” is not a date and time."]


def test_a_broken_csv_is_refused_with_a_reason_not_an_error_page():
    read = read_csv(EXPORT + '2024-02-10,x,y,10:00,rad,,"' + "n" * 200_000 + '"\n')
    assert read.problems and read.problems[0].startswith("The CSV file cannot be read")
