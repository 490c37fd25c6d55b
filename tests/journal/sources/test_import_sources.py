"""Another app's journal brought in: each format found from its content, its entries on
their right local date with their tags and mood, sealed like any other write, and a second
import of the same file adding and changing nothing."""

import datetime as dt
import io

import pytest

from journal.archive.importing import journal_import
from journal.archive.reading import ImportRejected
from journal.models import Entry
from tests.journal.sources.test_daylio import EXPORT as DAYLIO
from tests.journal.sources.test_dayone import ENTRY, UNTITLED, export
from tests.journal.sources.test_markdown_notes import vault

pytestmark = pytest.mark.django_db


def run(user, data: bytes | str):
    raw = data.encode() if isinstance(data, str) else data
    return journal_import(user=user, archive_file=io.BytesIO(raw))


def entries(user) -> dict[str, Entry]:
    return {entry.title or entry.body[:20]: entry for entry in Entry.objects.for_user(user)}


def test_a_jrnl_export_comes_in_once(alice, jrnl_files):
    first = run(alice, jrnl_files["json"])
    assert (first.source, first.created, first.unchanged) == ("jrnl", 6, 0)
    woke = entries(alice)["Woke early."]
    assert woke.written_on == dt.date(2024, 2, 14)
    assert woke.body == "The house was quiet and I thought of @mirror again."
    assert woke.tag_names == ["mirror"]
    one_line = entries(alice)["No full stop here bu"]  # a one-line entry is its text
    assert one_line.title == "" and set(one_line.tag_names) == {"sea", "night"}
    again = run(alice, jrnl_files["json"])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert "0 new, 6 already here" in again.summary()
    # jrnl's own journal file is the same journal: nothing new either.
    assert run(alice, jrnl_files["text"]).created == 0


def test_a_day_one_export_comes_in_on_local_dates_with_media_counted(alice, bob):
    data = export({"Journal": [ENTRY, UNTITLED]})
    result = run(alice, data)
    assert (result.source, result.created) == ("dayone", 2)
    assert result.skipped["photos"] == 1 and result.skipped["audio files"] == 2
    assert "Left out: 1 photo, 1 video, 1 star (Mirror has none), 1 place," in result.summary()
    lighthouse = entries(alice)["The lighthouse. Again!"]
    assert lighthouse.written_on == dt.date(2024, 2, 15)
    assert sorted(lighthouse.tag_names) == ["Mirror", "sea"]
    assert "dayone-moment" not in lighthouse.body and "<p>We walked." in lighthouse.body_html
    assert run(alice, data).created == 0
    # Another user importing the same export gets entries of their own.
    assert run(bob, data).created == 2
    assert Entry.objects.for_user(alice).count() == 2


def test_a_daylio_export_keeps_moods_and_activities(alice):
    result = run(alice, DAYLIO)
    assert (result.source, result.created) == ("daylio", 3)
    good = entries(alice)["A good day"]
    assert (good.mood, good.body) == (5, "We laughed.\nThen the sea.")
    assert good.tag_names == ["11:11", "friends", "walk"]
    assert run(alice, DAYLIO).unchanged == 3


def test_an_obsidian_vault_comes_in(alice):
    data = vault({"Daily/2024-02-14.md": "# Valentine's\n\nA quiet day.", ".obsidian/a.json": "{}"})
    result = run(alice, data)
    assert (result.source, result.created) == ("markdown", 1)
    assert entries(alice)["Valentine's"].written_on == dt.date(2024, 2, 14)


def test_an_unknown_file_is_refused_with_what_mirror_reads(alice):
    with pytest.raises(ImportRejected) as refused:
        run(alice, "Just some words I typed.")
    assert "jrnl's journal file" in refused.value.problems[0]
    assert not Entry.objects.exists()


def test_a_date_outside_mirrors_range_refuses_the_file(alice):
    csv = DAYLIO.replace("2024-02-14,", "1850-02-14,", 1)
    with pytest.raises(ImportRejected) as refused:
        run(alice, csv)
    assert "outside the dates Mirror keeps" in refused.value.problems[0]
    assert not Entry.objects.exists()  # all or nothing


def test_the_preview_of_a_day_one_export_says_what_comes_and_what_is_left_out(alice_client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    data = export({"Journal": [ENTRY, UNTITLED]})
    upload = SimpleUploadedFile("Export.zip", data, content_type="application/zip")
    page = alice_client.post(reverse("journal:import"), {"archive": upload})
    preview = page.context["preview"]
    assert (preview.source_name, preview.new, preview.already) == ("Day One", 2, 0)
    assert preview.years == [(2024, 2)]
    assert (preview.first, preview.last) == (dt.date(2024, 2, 14), dt.date(2024, 2, 15))
    text = page.content.decode()
    assert "<li>1 photo</li>" in text and "<li>2 audio files</li>" in text
    assert not Entry.objects.exists()  # nothing written until the user confirms
