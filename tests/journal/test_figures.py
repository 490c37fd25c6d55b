"""Figures derived from the whole journal are cached (journal.figures) under the user's
journal stamp. Every way the journal changes must show on the next page, and one user's
figures must never reach another."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse

from accounts.journal_keys import journal_key_create
from accounts.models import User
from journal.models import Entry, EventKind, Tag, TimelineEvent
from tests.factories import OPENED, PASSWORD, make_entry, make_user, sign_in

HOME = "/"
LIST = reverse("journal:entry-list")
TIMELINE = reverse("journal:timeline")


def version(user) -> int:
    return User.objects.get(pk=user.pk).journal_version


def test_every_change_to_the_journal_moves_the_version(alice):
    """To a new value each time: a change rolled back never leaves its version to a later
    one (that later change would find the rolled-back figures remembered)."""
    seen = [version(alice)]

    def moved():
        seen.append(version(alice))
        return seen[-1] != seen[-2]

    entry = make_entry(alice)
    assert moved()
    entry.title = "Edited"
    entry.save()
    assert moved()
    entry.tags.add(Tag.objects.create(user=alice, name="sea"))
    assert moved()
    entry.tags.clear()
    assert moved()
    event = TimelineEvent.objects.create(
        user=alice, kind=EventKind.MEETING, occurred_on=dt.date(2025, 1, 1)
    )
    assert moved()
    event.delete()
    assert moved()
    entry.delete()
    assert moved()


def test_a_user_saved_from_an_older_copy_keeps_the_newer_version(alice):
    stale = User.objects.get(pk=alice.pk)
    make_entry(alice)
    stale.display_name = "Alice B."
    stale.save()
    assert version(alice) != stale.journal_version
    assert User.objects.get(pk=alice.pk).display_name == "Alice B."


def test_home_counts_follow_new_and_deleted_entries(alice_client, alice):
    today = alice.today()
    make_entry(alice, written_on=today - dt.timedelta(days=1))
    response = alice_client.get(HOME)
    assert (response.context["entry_count"], response.context["streak"]) == (1, 1)
    entry = make_entry(alice, written_on=today)
    response = alice_client.get(HOME)
    assert (response.context["entry_count"], response.context["streak"]) == (2, 2)
    entry.delete()
    response = alice_client.get(HOME)
    assert (response.context["entry_count"], response.context["streak"]) == (1, 1)


def test_entry_list_count_tags_and_search_follow_changes(alice_client, alice):
    make_entry(alice, body="The tide came in.", tags=["sea"])
    assert alice_client.get(LIST).context["page"].paginator.count == 1
    assert alice_client.get(LIST, {"q": "tide"}).context["page"].paginator.count == 1
    make_entry(alice, body="Another tide.", tags=["sea", "night"])
    response = alice_client.get(LIST)
    assert response.context["page"].paginator.count == 2
    assert response.context["tags"] == [("night", 1), ("sea", 2)]
    found = alice_client.get(LIST, {"q": "tide"}).context["page"].object_list
    assert len(found) == 2
    next(e for e in Entry.objects.all() if e.body == "The tide came in.").delete()
    found = alice_client.get(LIST, {"q": "tide"}).context["page"].object_list
    assert [e.body for e in Entry.objects.filter(pk__in=[e.pk for e in found])] == ["Another tide."]


def test_timeline_figures_follow_new_events_and_entries(alice_client, alice):
    today = alice.today()
    TimelineEvent.objects.create(
        user=alice, kind=EventKind.MEETING, occurred_on=today - dt.timedelta(days=30)
    )
    rows = alice_client.get(TIMELINE).context["rows"]
    assert [row.entries for row in rows] == [0, 0]
    make_entry(alice, written_on=today - dt.timedelta(days=2))
    TimelineEvent.objects.create(
        user=alice,
        kind=EventKind.SEPARATION,
        initiator="them",
        occurred_on=today - dt.timedelta(days=10),
    )
    rows = alice_client.get(TIMELINE).context["rows"]
    separations = [row for row in rows if row.period.kind == "separation"]
    assert [row.entries for row in separations] == [1]


@pytest.mark.django_db
def test_a_new_account_never_sees_figures_of_a_deleted_one(client):
    first = make_user("first@example.com")
    make_entry(first, tags=["private-tag"])
    sign_in(client, first)
    assert client.get(LIST).context["tags"] == [("private-tag", 1)]
    pk, first_version = first.pk, version(first)
    first.delete()
    # The same id (SQLite gives a new row the highest id again) at the same version.
    second = make_user("second@example.com", journal_key=False)
    User.objects.filter(pk=second.pk).update(id=pk, journal_version=first_version)
    second = User.objects.get(pk=pk)
    OPENED[pk], _ = journal_key_create(user=second, password=PASSWORD)
    sign_in(client, second)
    response = client.get(LIST)
    assert response.context["tags"] == []
    assert "private-tag" not in response.text


def test_figures_from_a_rolled_back_change_are_never_served(alice_client, alice):
    make_entry(alice, tags=["kept"])
    with pytest.raises(RuntimeError), transaction.atomic():
        make_entry(alice, tags=["rolled-back"])
        assert ("rolled-back", 1) in alice_client.get(LIST).context["tags"]
        raise RuntimeError
    make_entry(alice, tags=["later"])
    assert alice_client.get(LIST).context["tags"] == [("kept", 1), ("later", 1)]


def test_deleting_an_account_does_not_grow_with_its_journal(db):
    """Recording journal changes must not turn an account's deletion into one statement
    per entry."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_to_delete(entries: int) -> int:
        user = make_user(f"u{entries}@example.com")
        for day in range(entries):
            make_entry(user, written_on=dt.date(2025, 1, 1) + dt.timedelta(days=day))
        TimelineEvent.objects.create(
            user=user, kind=EventKind.MEETING, occurred_on=dt.date(2025, 1, 1)
        )
        with CaptureQueriesContext(connection) as captured:
            user.delete()  # what account_delete does, after signing the user out
        return len(captured)

    assert queries_to_delete(2) == queries_to_delete(25)


def test_a_change_shows_later_in_the_same_request(alice):
    """A view that writes and then reads holds the user as loaded before the write."""
    from journal.timeline import Timeline

    today = alice.today()
    assert Timeline(alice, today).events == []
    TimelineEvent.objects.create(user=alice, kind=EventKind.URGE, occurred_on=today)
    assert [event.kind for event in Timeline(alice, today).events] == ["urge"]


# Every write path, then the next read -------------------------------------------------------


def rows_now(client) -> tuple[int, float | None]:
    """(entries, average mood) of the timeline's period that holds 2025: figures the
    timeline caches until the journal changes."""
    (row,) = [r for r in client.get(TIMELINE).context["rows"] if r.period.kind == "together"]
    return row.entries, row.average_mood


def test_every_write_path_shows_on_the_next_read(alice_client, alice):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.journal.test_entries import VALID
    from tests.journal.test_import import make_zip

    TimelineEvent.objects.create(
        user=alice, kind=EventKind.MEETING, occurred_on=dt.date(2025, 1, 1)
    )
    assert rows_now(alice_client) == (0, None)

    # The entry form: a new entry, then an edit.
    alice_client.post(reverse("journal:entry-create"), {**VALID, "mood": "2"})
    assert rows_now(alice_client) == (1, 2)
    entry = Entry.objects.get(user=alice)
    edit = reverse("journal:entry-edit", args=[entry.pk])
    alice_client.post(edit, {**VALID, "mood": "4", "version": entry.version})
    assert rows_now(alice_client) == (1, 4)

    # Autosave keeps a draft, which the next new-entry page offers.
    alice_client.post(
        reverse("journal:autosave"), {"draft_key": "c" * 32, "title": "T", "body": "Half a thought"}
    )
    assert f"?draft={'c' * 32}" in alice_client.get(reverse("journal:entry-create")).text

    # An import.
    archive = make_zip({"entries/a.md": "---\ndate: 2025-03-15\nmood: 1\n---\nImported.\n"})
    upload = SimpleUploadedFile("mirror-journal.zip", archive, content_type="application/zip")
    alice_client.post(reverse("journal:import"), {"archive": upload, "action": "import"})
    assert rows_now(alice_client) == (2, 2.5)

    # Bulk writes: update, create, delete.
    Entry.objects.filter(user=alice).update(mood=5)
    assert rows_now(alice_client) == (2, 5)
    Entry.objects.bulk_create(
        [Entry(user=alice, body="Bulk.", written_on=dt.date(2025, 4, 1), mood=2)]
    )
    assert rows_now(alice_client) == (3, 4)
    Entry.objects.filter(user=alice, mood=5).delete()
    assert rows_now(alice_client) == (1, 2)

    # Deleting one through its page.
    alice_client.post(reverse("journal:entry-delete", args=[Entry.objects.get(user=alice).pk]))
    assert rows_now(alice_client) == (0, None)


def test_a_bulk_write_renews_only_the_journals_it_touches(alice, bob):
    make_entry(alice)
    make_entry(bob)
    before = version(bob)
    Entry.objects.filter(user=alice).update(mood=3)
    assert version(bob) == before
