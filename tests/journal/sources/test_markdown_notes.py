"""An Obsidian vault (or any folder of Markdown notes) as a zip: dates from properties,
from a daily note's name, or from the file's time with a warning; tags and mood from the
properties; hidden folders and attachments skipped and counted."""

import datetime as dt
import io
import zipfile

from journal.archive.reading import open_zip
from journal.archive.sources.markdown_notes import read_zip


def vault(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2023, 5, 6, 7, 8, 9))
            archive.writestr(info, data)
    return buffer.getvalue()


def read(files):
    archive, infos = open_zip(io.BytesIO(vault(files)))
    with archive:
        return read_zip(archive, infos)


def test_a_vault_reads_its_notes_dates_tags_and_moods():
    result = read(
        {
            "Vault/Daily/2024-02-14.md": "# Valentine's\n\nA quiet day. #mirror\n",
            "Vault/Thoughts on leaving.md": (
                "---\ndate: 2024-01-02\ntags: [mirror, 11:11]\nmood: 2\n---\nWhy I left.\n"
            ),
            "Vault/Letters/Unsent.md": (
                "---\ncreated: 2024-03-05T22:10:00\ntags: sea, night\n---\nDear you,\n"
            ),
            "Vault/Undated idea.md": "Some thought without a date.",
            "Vault/.obsidian/workspace.json": "{}",
            "Vault/.obsidian/app.json": "{}",
            "Vault/attachments/photo.png": b"\x89PNG",
        }
    )
    assert not result.problems
    notes = {entry.where.rsplit("/", 1)[-1]: entry for entry in result.entries}
    daily = notes["2024-02-14.md"]
    assert (daily.written_on, daily.title, daily.body) == (
        dt.date(2024, 2, 14),
        "Valentine's",
        "A quiet day. #mirror",
    )
    leaving = notes["Thoughts on leaving.md"]
    assert (leaving.written_on, leaving.title, leaving.tags, leaving.mood) == (
        dt.date(2024, 1, 2),
        "Thoughts on leaving",
        ("mirror", "11:11"),
        2,
    )
    unsent = notes["Unsent.md"]
    assert unsent.created == dt.datetime(2024, 3, 5, 22, 10) and unsent.tags == ("sea", "night")
    undated = notes["Undated idea.md"]
    assert undated.written_on == dt.date(2023, 5, 6)  # the file's own time, with a warning
    assert result.skipped == {
        "files in hidden folders (.obsidian, .trash)": 2,
        "files that are not notes (attachments)": 1,
        "notes dated by when their file last changed (no date found)": 1,
    }
    again = read({"Vault/Daily/2024-02-14.md": "# Valentine's\n\nChanged words.\n"})
    assert again.entries[0].source_id == daily.source_id  # the same note, known by its path


def test_a_note_with_broken_properties_is_named():
    result = read({"Bad.md": "---\ntags: [unclosed\n---\nBody", "Good.md": "Fine."})
    assert [p.split(":")[0] for p in result.problems] == ["Bad.md"]
    assert [entry.title for entry in result.entries] == ["Good"]
