"""Day One's export zip: entries on their local date, a first heading as the title, tags,
media left out and counted, and a zip that is not safe refused like any other."""

import datetime as dt
import io
import json
import zipfile

import pytest

from journal.archive.reading import ImportRejected, open_zip
from journal.archive.sources.dayone import is_dayone, read_zip

ENTRY = {
    "uuid": "2F4A9C1D8E7B4A6F9C3D2E1F0A9B8C7D",
    "creationDate": "2024-02-14T23:30:00Z",
    "modifiedDate": "2024-02-15T07:00:00Z",
    "timeZone": "Asia/Tokyo",
    "starred": True,
    "tags": ["Mirror", "sea"],
    "text": "# The lighthouse\\. Again\\!\n\nWe walked\\. ![](dayone-moment://A1B2C3)\n"
    "![](dayone-moment:/video/D4E5F6)\nThen home\\.",
    "photos": [{"identifier": "A1B2C3", "md5": "abc", "type": "jpeg"}],
    "videos": [{"identifier": "D4E5F6", "md5": "def", "type": "mov"}],
    "location": {"placeName": "Somewhere", "latitude": 35.6, "longitude": 139.7},
    "weather": {"conditionsDescription": "Clear", "temperatureCelsius": 4},
}
UNTITLED = {
    "uuid": "B7C8D9E0F1A24B3C8D9E0F1A2B3C4D5E",
    "creationDate": "2024-02-14T10:00:00Z",
    "timeZone": "America/New_York",
    "text": "Just words, no heading.",
    "audios": [{"identifier": "X"}, {"identifier": "Y"}],
}


def export(journals: dict[str, list], extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, entries in journals.items():
            document = {"metadata": {"version": "1.0"}, "entries": entries}
            archive.writestr(f"{name}.json", json.dumps(document, indent=2))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def read(data: bytes):
    archive, infos = open_zip(io.BytesIO(data))
    with archive:
        assert is_dayone(archive, infos)
        return read_zip(archive, infos)


def test_an_export_reads_into_entries_on_their_local_date():
    result = read(export({"Journal": [ENTRY], "Dreams": [UNTITLED]}, {"photos/abc.jpeg": b"x"}))
    assert not result.problems
    first, untitled = sorted(result.entries, key=lambda e: e.title, reverse=True)
    assert first.source_id == "dayone:2F4A9C1D8E7B4A6F9C3D2E1F0A9B8C7D"
    assert first.written_on == dt.date(2024, 2, 15)  # 23:30 UTC is the next morning in Tokyo
    assert first.created == dt.datetime(2024, 2, 14, 23, 30, tzinfo=dt.UTC)
    assert first.title == "The lighthouse. Again!"  # a title is plain text: no backslashes
    assert first.body == "We walked\\.\nThen home\\."  # no broken media links left
    assert first.tags == ("Mirror", "sea")
    assert untitled.written_on == dt.date(2024, 2, 14)
    assert (untitled.title, untitled.body) == ("", "Just words, no heading.")
    assert result.skipped == {
        "photos": 1,
        "videos": 1,
        "audio files": 2,
        "stars (Mirror has none)": 1,
        "places": 1,
        "weather notes": 1,
    }


def test_a_zip_of_something_else_is_not_day_one():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes/2024-02-14.md", "# A note")
        archive.writestr("data.json", json.dumps({"rows": []}))
    opened, infos = open_zip(io.BytesIO(buffer.getvalue()))
    assert not is_dayone(opened, infos)


def test_a_broken_entry_is_named_and_a_hostile_file_refused():
    result = read(export({"Journal": [{"uuid": "X"}, ENTRY]}))
    assert result.problems == ["Journal, entry 1: it is not an entry as Day One exports one."]
    assert len(result.entries) == 1
    nested = '{"metadata": {}, "entries": ' + "[" * 100_000 + "]" * 100_000 + "}"
    result = read(export({}, {"Journal.json": nested.encode()}))
    assert result.problems == ["Journal.json: it is not a Day One journal file (JSON)."]


def test_a_path_leaving_the_archive_is_refused_before_anything_is_read():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Journal.json", json.dumps({"metadata": {}, "entries": [ENTRY]}))
        info = zipfile.ZipInfo("placeholder")
        info.filename = "../escape.json"
        archive.writestr(info, "{}")
    with pytest.raises(ImportRejected):
        open_zip(io.BytesIO(buffer.getvalue()))


def test_a_journal_file_shaped_like_no_journal_is_refused_before_it_is_parsed():
    flood = '{"metadata": {}, "entries": [' + ",".join(["{}"] * 600_000) + "]}"
    result = read(export({}, {"Journal.json": flood.encode()}))
    assert result.problems[0].startswith("Journal.json: it holds more than 500,000 lists")
