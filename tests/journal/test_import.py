"""Bringing an archive back: the round trip, edited files, matching without duplicates,
all-or-nothing validation, hostile archives, and that another user's entries stay theirs."""

import datetime as dt
import io
import uuid
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bench.zips import lying_sizes
from journal.archive.importing import journal_import
from journal.archive.reading import MAX_ARCHIVE_BYTES, MAX_ARCHIVE_FILES, ImportRejected
from journal.archive.selection import Selection
from journal.archive.writing import stream_zip
from journal.forms import MAX_UPLOAD_BYTES, ImportForm
from journal.models import Entry, Prompt, Tag, TimelineEvent
from journal.timeline import Timeline
from tests.factories import make_entry, make_user, sign_in, the, where
from tests.journal.test_export import AWKWARD_BODIES, AWKWARD_TITLES, event

pytestmark = pytest.mark.django_db

IMPORT = reverse("journal:import")


def export(user) -> bytes:
    timeline = Timeline(user, user.today())
    return b"".join(stream_zip(user, Selection(), timeline=timeline))


def files_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def entry_files(data: bytes) -> dict[str, bytes]:
    return {n: d for n, d in files_of(data).items() if n.startswith("entries/")}


def make_zip(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def run_import(user, data: bytes):
    return journal_import(user=user, archive_file=io.BytesIO(data))


ENTRY_FIELDS = (
    "pk", "user_id", "title", "body", "written_on", "kind", "mood", "feelings", "stage",
    "prompt_id", "prompt_text", "created_at", "updated_at",
)  # fmt: skip


def rows(queryset, *fields) -> list[tuple]:
    """The rows' fields, their words opened (a sealed field has no `values_list`)."""
    return sorted(tuple(getattr(row, name) for name in fields) for row in queryset)


def snapshot() -> list:
    """Everything an import could touch, for every user."""
    return [
        rows(Entry.objects.all(), *ENTRY_FIELDS),
        sorted(Entry.tags.through.objects.values_list("entry", "tag")),
        rows(Tag.objects.all(), "pk", "user_id", "name"),
        rows(TimelineEvent.objects.all(), "pk", "user_id", "kind", "occurred_on", "note"),
    ]


@pytest.fixture
def journal(alice):
    """Every field filled in, awkward titles and bodies, a timeline with repeated urges."""
    alice.time_zone = "America/New_York"
    alice.save()
    builtin = Prompt.objects.filter(user__isnull=True).order_by("id").first()
    own = Prompt.objects.create(user=alice, text="What did the silence say: today?")
    event(alice, "meeting", dt.date(2024, 2, 1), note="At the *station*.")
    event(alice, "separation", dt.date(2025, 3, 1), "them", note="Gone.\r\n\r\n- one\n- two")
    event(alice, "urge", dt.date(2025, 3, 5))
    event(alice, "urge", dt.date(2025, 3, 5))
    for number, title in enumerate([*AWKWARD_TITLES, "Again", "Again"]):
        make_entry(
            alice,
            title=title,
            body=AWKWARD_BODIES[number % len(AWKWARD_BODIES)] + f"\n#{number}",
            written_on=dt.date(2025, 2, 26) + dt.timedelta(days=number // 2),
            kind=["reflection", "letter", "dream", "sign"][number % 4],
            mood=number % 5 + 1,
            feelings=["fear", "longing", "hope"][: number % 3 + 1],
            stage=["running/chasing", "surrender", "crisis"][number % 3],
            prompt=[builtin, own, None][number % 3],
            tags=["mirror", "inner work", "café", "self-love"][: number % 5],
        )
    return alice


@pytest.fixture
def carol(db):
    return make_user("carol@example.com", time_zone="America/New_York")


# The round trip ---------------------------------------------------------------------------


def test_export_import_export_gives_identical_files(journal, carol):
    first = export(journal)
    journal.delete()  # as if carol brought the archive to another Mirror
    result = run_import(carol, first)
    assert (result.created, result.updated, result.unchanged) == (11, 0, 0)
    assert (result.events_created, result.events_unchanged) == (4, 0)
    second = export(carol)
    assert entry_files(second) == entry_files(first)
    assert files_of(second)["timeline.md"] == files_of(first)["timeline.md"]
    # Built-in prompts are linked again; another user's own prompt is kept as words only.
    restored = where(
        Entry.objects.filter(user=carol), prompt_text__startswith="What did the silence"
    )
    assert restored and not any(entry.prompt_id for entry in restored)
    assert Entry.objects.filter(user=carol, prompt__isnull=False, prompt__user=None).count() == 4
    assert {row.name for row in Tag.objects.filter(user=carol).all()} == {
        "mirror", "inner work", "café", "self-love",
    }  # fmt: skip
    windows = the(Entry.objects.filter(user=carol), body__startswith="Windows", body__endswith="#2")
    assert "\r\n" in windows.body and windows.body_html  # rendered on save


def test_a_journal_imported_beside_its_owner_gets_new_ids_and_the_same_files(journal, carol):
    """The ids are alice's, so carol's entries get their own; nothing else differs."""
    first = export(journal)
    before = snapshot()
    assert run_import(carol, first).created == 11
    assert [row for row in snapshot()[0] if row[1] == journal.pk] == before[0]

    def without_ids(data: bytes) -> dict[str, bytes]:
        return {
            name: b"\n".join(line for line in text.split(b"\n") if not line.startswith(b"id: "))
            for name, text in entry_files(data).items()
        }

    second = export(carol)
    assert without_ids(second) == without_ids(first)
    assert not set(Entry.objects.filter(user=carol).values_list("pk", flat=True)) & {
        row[0] for row in before[0]
    }
    assert run_import(carol, first).unchanged == 11  # and still nothing duplicated


def test_importing_the_same_archive_twice_duplicates_nothing(journal):
    archive = export(journal)
    before = snapshot()
    result = run_import(journal, archive)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 11)
    assert (result.events_created, result.events_unchanged) == (0, 4)
    assert snapshot() == before


def test_an_edited_body_updates_exactly_that_entry(journal):
    archive = files_of(export(journal))
    name = next(n for n, data in archive.items() if data.endswith(b"\n#10"))
    archive[name] = archive[name].replace(b"\n#10", b"\nAn added line, from Obsidian.")
    others = {e.pk: e.updated_at for e in Entry.objects.filter(user=journal)}
    result = run_import(journal, make_zip(archive))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 10)
    edited = the(Entry.objects.filter(user=journal), body__contains="An added line")
    assert "An added line, from Obsidian." in edited.body_html
    assert edited.updated_at > others.pop(edited.pk)
    rest = Entry.objects.filter(user=journal).exclude(pk=edited.pk)
    assert {e.pk: e.updated_at for e in rest} == others


def test_files_edited_in_a_text_editor_are_read(journal):
    """Windows line endings everywhere, a BOM, keys reordered or removed, tags as a line."""
    entry = make_entry(journal, title="Plain", body="One line.\n", tags=["mirror", "family"])
    archive = files_of(export(journal))
    name = next(n for n in archive if n.endswith("-plain.md"))
    head, body = archive[name].decode().split("\n---\n", 1)
    lines = head.split("\n")[1:]
    lines = [line for line in lines if not line.startswith(("mood", "period", "created"))]
    lines = [
        "tags: family, Mirror, walks" if line.startswith("tags") else line
        for line in reversed(lines)
    ]
    text = "---\n" + "\n".join(lines) + "\n---\n" + body
    archive[name] = "\ufeff".encode() + text.replace("\n", "\r\n").encode()
    result = run_import(journal, make_zip(archive))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 11)
    entry.refresh_from_db()
    assert entry.body == "One line.\n"  # only the line endings differed: kept as it was
    assert entry.mood is None  # removed key: the value is kept (it was not set)
    assert sorted(row.name for row in entry.tags.all()) == ["family", "mirror", "walks"]


def test_a_removed_key_keeps_the_value_and_an_empty_key_clears_it(journal):
    entry = make_entry(journal, title="Kept", body="x", mood=4, stage="crisis", tags=["mirror"])
    archive = files_of(export(journal))
    name = next(n for n in archive if n.endswith("-kept.md"))
    text = archive[name].decode()
    text = text.replace("mood: 4\n", "").replace("stage: crisis\n", "stage:\n")
    archive[name] = text.replace("tags: [mirror]", "tags: []").encode()
    run_import(journal, make_zip(archive))
    entry.refresh_from_db()
    assert (entry.mood, entry.stage, entry.tags.count()) == (4, "", 0)


def test_a_new_file_without_id_is_created_once(alice):
    text = "---\ndate: 2025-03-14\ntitle: Written in Obsidian\ntags: [mirror]\n---\nHello.\n"
    archive = make_zip({"entries/2025/2025-03-14-new.md": text})
    assert run_import(alice, archive).created == 1
    again = run_import(alice, archive)
    assert (again.created, again.unchanged) == (0, 1)
    entry = Entry.objects.get(user=alice)
    assert (entry.title, entry.kind) == ("Written in Obsidian", "reflection")
    assert entry.body == "Hello.\n"


def test_an_archive_wrapped_in_a_folder_is_read_without_system_files(alice):
    text = "---\ndate: 2025-03-14\n---\nHello.\n"
    archive = make_zip(
        {
            "mirror-journal/entries/2025/x.md": text,
            "mirror-journal/README.md": "",
            "mirror-journal/.obsidian/app.md": "{}",
            "mirror-journal/entries/.trash/old.md": "not front matter",
            "__MACOSX/mirror-journal/entries/2025/._x.md": b"\x00\x05\x16\x07",
        }
    )
    assert run_import(alice, archive).created == 1


def test_events_are_restored_once_and_two_urges_on_a_day_stay_two(alice):
    timeline = (
        "# Timeline\n\nSome words.\n\n"
        "- 2025-03-01 separation (who left: them): They left.\n  Second line.\n\n  Third.\n"
        "- 2025-03-05 urge\n- 2025-03-05 urge\n- 2025-03-09 contact: A *short* message.\n"
    )
    archive = make_zip({"timeline.md": timeline})
    result = run_import(alice, archive)
    assert (result.events_created, result.events_unchanged) == (4, 0)
    separation = TimelineEvent.objects.get(user=alice, kind="separation")
    assert (separation.initiator, separation.note) == ("them", "They left.\nSecond line.\n\nThird.")
    assert TimelineEvent.objects.filter(user=alice, kind="urge").count() == 2
    again = run_import(alice, make_zip({"timeline.md": timeline.replace("\n", "\r\n")}))
    assert (again.events_created, again.events_unchanged) == (0, 4)


# Another user's entries -------------------------------------------------------------------


def test_another_users_id_never_touches_their_entry(journal, bob):
    archive = files_of(export(journal))
    name = next(n for n in archive if n.endswith("-again.md"))
    target = the(Entry.objects.filter(user=journal), title="Again", body__endswith="#9")
    assert str(target.pk).encode() in archive[name]
    archive[name] = archive[name].replace(b"Same", b"Bob's") + b"\nBob's words."
    before = snapshot()
    result = run_import(bob, make_zip({name: archive[name]}))
    assert result.created == 1
    theirs = Entry.objects.get(user=bob)
    assert theirs.pk != target.pk
    assert theirs.body.endswith("Bob's words.")
    assert [row for row in snapshot()[0] if row[1] == journal.pk] == [
        row for row in before[0] if row[1] == journal.pk
    ]
    again = run_import(bob, make_zip({name: archive[name]}))  # matched by date and text
    assert (again.created, again.unchanged) == (0, 1)
    assert Entry.objects.filter(user=bob).count() == 1


# Problems: all listed, nothing changed ----------------------------------------------------


def rejected(user, data: bytes) -> list[str]:
    before = snapshot()
    with pytest.raises(ImportRejected) as caught:
        run_import(user, data)
    assert snapshot() == before
    return caught.value.problems


def test_every_bad_file_is_listed_and_nothing_is_imported(journal):
    archive = files_of(export(journal))
    good = "---\ndate: 2025-03-14\n---\nFine.\n"
    archive |= {
        "entries/2025/2025-02-30-x.md": "---\ndate: 2025-02-30\n---\nBody\n",
        "entries/2025/mood.md": "---\ndate: 2025-03-01\nmood: 7\n---\nBody\n",
        "entries/2025/kind.md": "---\ndate: 2025-03-01\nkind: poem\n---\nBody\n",
        "entries/2025/feel.md": "---\ndate: 2025-03-01\nfeelings: [fear, joy]\n---\nB\n",
        "entries/2025/list.md": "---\n- a\n- b\n---\nBody\n",
        "entries/2025/none.md": "Just text, no front matter.\n",
        "entries/2025/open.md": "---\ndate: 2025-03-01\nBody without a closing line\n",
        "entries/2025/yaml.md": "---\ndate: [2025\n---\nBody\n",
        "entries/2025/tag.md": "---\ndate: !!python/object/apply:os.system [echo hi]\n---\nB\n",
        "entries/2025/latin.md": "---\ndate: 2025-03-01\n---\ncaf\xe9\n".encode("latin-1"),
        "entries/2025/empty.md": "---\ndate: 2025-03-01\n---\n\n",
        "entries/2025/id.md": "---\nid: not-an-id\ndate: 2025-03-01\n---\nBody\n",
        "entries/2025/deep.md": "---\ntags: " + "[" * 5000 + "\n---\nBody\n",
        "entries/2025/nul.md": '---\ndate: 2025-03-01\ntitle: "a\\0b"\n---\nBody\n',
        "entries/2025/good.md": good,
        "timeline.md": "# Timeline\n\n- 2025-03-01 breakup\n- 2025-13-01 meeting\n",
    }
    problems = rejected(journal, make_zip(archive))
    assert "entries/2025/2025-02-30-x.md: the date 2025-02-30 is not a real date" in problems
    expected = {
        "entries/2025/mood.md": "not a number from 1 to 5",
        "entries/2025/kind.md": "kind “poem” is not one Mirror knows",
        "entries/2025/feel.md": "feeling “joy”",
        "entries/2025/list.md": "not a list of “key: value” lines",
        "entries/2025/none.md": "does not start with a front matter block",
        "entries/2025/open.md": "no closing “---” line",
        "entries/2025/yaml.md": "not valid YAML",
        "entries/2025/tag.md": "YAML tag that Mirror does not accept",
        "entries/2025/latin.md": "not UTF-8",
        "entries/2025/empty.md": "no text after the front matter",
        "entries/2025/id.md": "not a Mirror entry id",
        "entries/2025/deep.md": "front matter",
        "entries/2025/nul.md": "the title holds a character that text cannot hold",
        "timeline.md, line 3": "“breakup” is not a kind of event",
        "timeline.md, line 4": "the date 2025-13-01 is not a real date",
    }
    for place, words in expected.items():
        assert any(p.startswith(place + ":") and words in p for p in problems), place
    assert not any("good.md" in p for p in problems)


def test_the_same_id_twice_is_a_problem(alice):
    entry_id = uuid.uuid4()
    text = f"---\nid: {entry_id}\ndate: 2025-03-01\n---\nBody\n"
    problems = rejected(alice, make_zip({"entries/a.md": text, "entries/b.md": text}))
    assert problems == [f"entries/b.md: the id {entry_id} is also the id of entries/a.md"]


def test_a_new_entry_needs_a_date_but_an_update_does_not(alice):
    entry = make_entry(alice, title="Kept", body="x")
    known = f"---\nid: {entry.pk}\ntitle: Renamed\n---\nx"
    assert run_import(alice, make_zip({"entries/known.md": known})).updated == 1
    entry.refresh_from_db()
    assert (entry.title, entry.written_on) == ("Renamed", dt.date(2025, 3, 14))
    problems = rejected(alice, make_zip({"entries/new.md": "---\ntitle: New\n---\nHello\n"}))
    assert problems == [
        "entries/new.md: a new entry needs its date, a line like “date: 2025-03-14”"
    ]


# Hostile archives -------------------------------------------------------------------------

GOOD = "---\ndate: 2025-03-14\n---\nFine.\n"


def test_not_a_zip_is_refused(journal):
    problems = rejected(journal, b"PK\x03\x04 this is not really a zip")
    assert problems == [
        "This file is not a zip archive. Choose the .zip file that Mirror's export made."
    ]
    assert rejected(journal, b"")


@pytest.mark.parametrize(
    "name", ["../evil.md", "entries/../../evil.md", "/etc/passwd", "C:/evil.md", "..\\evil.md"]
)
def test_paths_leaving_the_archive_are_refused(journal, name):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("entries/2025/ok.md", GOOD)
        info = zipfile.ZipInfo("placeholder")
        info.filename = name  # zipfile would tidy the name; an attacker's tool would not
        archive.writestr(info, GOOD)
    problems = rejected(journal, buffer.getvalue())
    assert problems == [f"{name!r}: a path that leaves the archive's folder is not allowed."]


def test_links_are_refused(journal):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("entries/2025/link.md")
        link.external_attr = 0o120777 << 16
        archive.writestr(link, "/etc/passwd")
    problems = rejected(journal, buffer.getvalue())
    assert problems == ["entries/2025/link.md: the archive holds a link, which is not allowed."]


def test_too_many_files_are_refused(journal):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for number in range(MAX_ARCHIVE_FILES + 1):
            archive.writestr(f"x/{number}", b"")
    problems = rejected(journal, buffer.getvalue())
    assert problems == ["The archive holds more than 20,000 files; Mirror imports at most 20,000."]


def test_an_archive_that_unpacks_too_large_is_refused_from_its_headers(journal):
    data = lying_sizes(make_zip({"entries/a.md": GOOD, "entries/b.md": GOOD}), 2**31)
    problems = rejected(journal, data)
    assert problems == [
        f"entries/{name}.md: the file is 2,048 MB; Mirror reads entry files up to 512 KB (an "
        "entry keeps up to 100,000 characters)"
        for name in "ab"
    ]
    assert MAX_ARCHIVE_BYTES == 12 * 2**20


def test_a_file_larger_than_its_header_says_is_stopped_while_reading(journal):
    bomb = GOOD + "x" * 5_000_000  # compresses to a few kilobytes
    data = lying_sizes(make_zip({"entries/bomb.md": bomb}), 100)
    problems = rejected(journal, data)
    assert problems == [
        "entries/bomb.md: the file is damaged or larger than the archive says (Mirror stopped "
        "reading it). Export again and import the new zip."
    ]


def test_an_archive_with_nothing_to_import_is_refused(journal):
    problems = rejected(journal, make_zip({"notes.txt": "hello"}))
    assert problems[0].startswith("Mirror does not know this file. It imports Mirror's own")


# The page ---------------------------------------------------------------------------------


def upload(data: bytes, name: str = "mirror-journal.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


def test_import_page_explains_and_has_a_labelled_file_field(alice_client):
    page = alice_client.get(IMPORT)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    assert '<label for="id_archive">File</label>' in page.text
    assert 'type="file" name="archive"' in page.text
    assert "style=" not in page.text


def test_a_successful_import_redirects_and_shows_the_summary(alice_client, journal):
    archive = files_of(export(journal))
    archive["entries/2025/new.md"] = GOOD
    response = alice_client.post(IMPORT, {"archive": upload(make_zip(archive)), "action": "import"})
    assert response.status_code == 302
    assert response["Location"] == IMPORT
    [message] = get_messages(response.wsgi_request)
    assert str(message) == (
        "Import complete: 1 new, 11 already here; 0 timeline events added, 4 already there."
    )
    assert "1 new, 11 already here" in alice_client.get(IMPORT).text


def test_problems_are_listed_beside_the_field(alice_client, alice):
    archive = make_zip({"entries/2025/2025-02-30-x.md": "---\ndate: 2025-02-30\n---\nB\n"})
    response = alice_client.post(IMPORT, {"archive": upload(archive)})
    assert response.status_code == 200
    assert response.context["form"].errors["archive"] == [
        "Nothing was imported: fix these and try again.",
        "entries/2025/2025-02-30-x.md: the date 2025-02-30 is not a real date",
    ]
    assert "the date 2025-02-30 is not a real date" in response.text
    assert not Entry.objects.exists()


def test_a_missing_or_too_large_upload_is_refused_by_the_form(alice_client):
    response = alice_client.post(IMPORT, {})
    assert response.context["form"].errors["archive"] == ["Choose the file to import."]
    big = upload(b"PK")
    big.size = MAX_UPLOAD_BYTES + 1
    form = ImportForm({}, {"archive": big})
    assert not form.is_valid()
    assert "larger than 50 MB" in form.errors["archive"][0]


def test_import_needs_login_and_refuses_other_methods(client, alice):
    response = client.post(
        IMPORT, {"archive": upload(make_zip({"entries/a.md": GOOD})), "action": "import"}
    )
    assert response["Location"].startswith(reverse("account_login"))
    assert not Entry.objects.exists()
    sign_in(client, alice)
    assert client.put(IMPORT).status_code == 405


def test_imported_entries_show_and_find_their_tags(journal, carol, client):
    first = export(journal)
    run_import(carol, first)
    imported = Entry.objects.filter(user=carol)
    assert imported.exclude(tags_text="").exists()
    for entry in imported:
        assert sorted(entry.tag_names) == sorted(tag.name for tag in entry.tags.all())
    sign_in(client, carol)
    response = client.get(reverse("journal:entry-list"), {"q": "inner work"})
    assert (
        response.context["page"].paginator.count
        == imported.filter(tags__key=Tag.key_for(carol.pk, "inner work")).count()
    )
    assert "#inner work</a>" in response.text


def test_a_preview_comes_first_and_writes_nothing(alice_client, journal):
    archive = files_of(export(journal))
    archive["entries/2025/new.md"] = GOOD
    before = snapshot()
    page = alice_client.post(IMPORT, {"archive": upload(make_zip(archive))})
    assert page.status_code == 200 and snapshot() == before  # nothing written
    preview = page.context["preview"]
    assert (preview.source, preview.new, preview.already, preview.updated) == ("mirror", 1, 11, 0)
    assert preview.events == 4 and preview.first <= preview.last
    assert sum(count for _, count in preview.years) == 12
    text = page.content.decode()
    assert "Mirror&#x27;s export: 12 entries" in text and 'id="preview-counts"' in text
    assert 'name="action" value="import"' in text  # the way on: the same file, imported
