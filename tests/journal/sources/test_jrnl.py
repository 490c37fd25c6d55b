"""jrnl's files, written by the real jrnl: its journal file and its JSON export read into
the same entries, its title rule and its tags followed as jrnl itself follows them."""

import datetime as dt

from journal.archive.sources import Format, detect
from journal.archive.sources.jrnl import parse_json, read_json, read_text
from tests.journal.sources.conftest import ENTRIES


def test_the_journal_file_and_its_export_are_found_from_their_content(jrnl_files):
    assert detect(jrnl_files["text"]) == Format.JRNL_TEXT
    assert detect(jrnl_files["json"]) == Format.JRNL_JSON
    assert detect("Dear diary, nothing here looks like jrnl.") is None


def test_the_export_reads_as_jrnl_wrote_it(jrnl_files):
    read = read_json(parse_json(jrnl_files["json"]))
    assert not read.problems and len(read.entries) == len(ENTRIES)
    first, second, third, starred, twice, again = read.entries
    assert (first.title, first.body) == (
        "Woke early.",
        "The house was quiet and I thought of @mirror again.",
    )
    assert first.written_on == dt.date(2024, 2, 14)
    assert first.created == dt.datetime(2024, 2, 14, 6, 5)
    assert first.tags == ("mirror",)
    assert set(second.tags) == {"sea", "night"}  # jrnl lowercases them
    assert third.title == "Café! Un día sin mensajes."
    assert third.body == "A second line, then a blank one:\n\n- [ ] call"
    assert (starred.title, starred.body) == ("Starred and short.", "")
    assert twice.source_id != again.source_id  # alike, and still two entries


def test_the_journal_file_gives_the_same_entries_as_its_export(jrnl_files):
    from_text = read_text(jrnl_files["text"])
    from_json = read_json(parse_json(jrnl_files["json"]))
    assert not from_text.problems
    for ours, theirs in zip(from_text.entries, from_json.entries, strict=True):
        assert (ours.source_id, ours.written_on, ours.title, ours.body) == (
            theirs.source_id,
            theirs.written_on,
            theirs.title,
            theirs.body,
        )
        assert set(ours.tags) == set(theirs.tags)


def test_reading_twice_gives_the_same_identities(jrnl_files):
    first = [e.source_id for e in read_text(jrnl_files["text"]).entries]
    assert first == [e.source_id for e in read_text(jrnl_files["text"]).entries]
    assert len(set(first)) == len(first)


def test_a_broken_entry_is_named_and_the_rest_still_read():
    text = "[2024-02-30 09:00:00 AM] Not a day.\n\n[2024-03-01 09:00:00 AM] Fine. Words.\n"
    read = read_text(text)
    assert read.problems == ["line 1 (2024-02-30): “2024-02-30 09:00” is not a real moment."]
    assert [e.title for e in read.entries] == ["Fine."]
