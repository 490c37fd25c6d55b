"""Without the recovery key, a locked journal can be started afresh: a new key (a new
generation) opens at once, the earlier entries stay locked and out of every page, and are
deleted only when the user asks, with the password."""

import datetime as dt

from django.urls import reverse

from accounts.models import JournalKey
from journal.models import Entry, Tag, TimelineEvent
from tests.factories import PASSWORD, make_entry, make_user

LOGIN = reverse("account_login")
START = reverse("accounts:start-empty")
LOCKED = reverse("accounts:locked-entries")


def test_a_lost_recovery_key_leaves_a_fresh_start_and_the_old_entries_locked(client, db):
    user = make_user("lost@example.com")
    make_entry(user, title="Before the reset", tags=["sea"])
    TimelineEvent.objects.create(user=user, kind="meeting", occurred_on=dt.date(2024, 1, 1))
    user.set_password("after the reset")
    user.save()
    client.post(LOGIN, {"login": user.email, "password": "after the reset"})
    assert client.get(reverse("journal:entry-list")).status_code == 423  # locked, calmly
    assert START in client.get(reverse("accounts:unlock")).content.decode()

    refused = client.post(START, {"password": "after the reset"})
    assert "Tick the box" in refused.content.decode()
    response = client.post(START, {"password": "after the reset", "confirm": "on"})
    assert response["Location"] == reverse("accounts:recovery-key")
    assert 'id="recovery-key"' in client.get(reverse("accounts:recovery-key")).content.decode()

    user.refresh_from_db()
    assert user.journal_generation == 2
    assert JournalKey.objects.filter(user=user).count() == 2
    listed = client.get(reverse("journal:entry-list"))
    assert listed.status_code == 200 and listed.context["page"].paginator.count == 0
    assert client.get(reverse("journal:timeline")).status_code == 200
    client.post(reverse("journal:entry-create"), {"title": "A new page", "body": "Again.",
                                                   "written_on": "2025-03-14", "kind": "reflection",
                                                   "tags": "sea"})  # fmt: skip
    titles = [
        e.title for e in client.get(reverse("journal:entry-list")).context["page"].object_list
    ]
    assert titles == ["A new page"]
    assert Entry.objects.filter(user=user).count() == 2  # the old one is still there, locked
    assert Tag.objects.filter(user=user).count() == 2  # "sea" twice: one per key

    page = client.get(LOCKED).content.decode()
    assert "1 entry" in page and "1 timeline event" in page and "1 tag" in page
    client.post(LOCKED, {"password": "not it", "confirm": "on"})
    assert Entry.objects.filter(user=user).count() == 2
    deleted = client.post(LOCKED, {"password": "after the reset", "confirm": "on"})
    assert deleted.status_code == 302, deleted.content.decode()[-3000:]
    assert Entry.objects.filter(user=user).count() == 1
    assert TimelineEvent.objects.filter(user=user).count() == 0
    assert "Nothing is locked" in client.get(LOCKED).content.decode()
    # The new journal opens with the password from now on.
    client.post(reverse("account_logout"))
    client.post(LOGIN, {"login": user.email, "password": "after the reset"})
    assert client.get(reverse("journal:entry-list")).context["page"].paginator.count == 1


def test_an_open_journal_has_no_fresh_start_to_offer(alice_client):
    assert alice_client.get(START)["Location"] == reverse("home")
    assert alice_client.post(START, {"password": PASSWORD, "confirm": "on"}).status_code == 302
    assert JournalKey.objects.count() == 1
