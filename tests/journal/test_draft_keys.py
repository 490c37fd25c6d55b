"""Draft keys are the ones the pages make: autosave refuses others, and a draft stored
with another key (before autosave checked) never breaks a page and is renamed by 0011."""

import importlib
import uuid

import pytest
from django.apps import apps
from django.urls import reverse

from journal.models import Draft
from tests.factories import make_entry

pytestmark = pytest.mark.django_db

AUTOSAVE = reverse("journal:autosave")
CREATE = reverse("journal:entry-create")

migration = importlib.import_module("journal.migrations.0011_draft_keys_the_pages_make")


@pytest.mark.parametrize("key", ["a/b", "../x", "x", "A" * 32, "a" * 33, "a" * 32 + "\n"])
def test_autosave_refuses_a_key_the_pages_do_not_make(alice_client, key):
    response = alice_client.post(AUTOSAVE, {"draft_key": key, "body": "Words"})
    assert response.status_code == 400
    assert not Draft.objects.exists()


@pytest.mark.parametrize("key", [uuid.uuid4().hex, str(uuid.uuid4())])
def test_autosave_takes_the_keys_the_pages_make(alice_client, alice, key):
    response = alice_client.post(AUTOSAVE, {"draft_key": key, "body": "Words"})
    assert response.status_code == 200
    assert Draft.objects.get(user=alice).key == key


def test_new_entry_page_still_opens_with_a_bad_key_stored(alice_client, alice):
    Draft.objects.create(user=alice, key="a/b", body="Stored before keys were checked")
    Draft.objects.create(user=alice, key="c" * 32, body="A draft with a good key")
    page = alice_client.get(CREATE)
    assert page.status_code == 200
    assert f"?draft={'c' * 32}" in page.text
    assert alice_client.get(CREATE, {"draft": "a/b"}).status_code == 200


def test_edit_page_still_opens_with_a_bad_key_stored(alice_client, alice):
    entry = make_entry(alice)
    Draft.objects.create(user=alice, key="a/b", entry=entry, body="Changed, not saved")
    url = reverse("journal:entry-edit", args=[entry.pk])
    assert alice_client.get(url).status_code == 200
    assert alice_client.get(url, {"draft": "1"}).status_code == 200


def test_migration_gives_every_draft_a_key_the_pages_make(alice, bob):
    entry = make_entry(alice)
    other = make_entry(alice, body="Another entry")
    Draft.objects.create(user=alice, key=str(other.pk), entry=other, body="The edit's draft")
    loose = Draft.objects.create(user=alice, key="a/b", body="New writing")
    edit = Draft.objects.create(user=alice, key="x/y", entry=entry, body="An edit")
    clash = Draft.objects.create(user=alice, key="z/z", entry=other, body="A second edit")
    good = Draft.objects.create(user=bob, key="d" * 32, body="Bob's")
    migration.rename_bad_keys(apps, None)
    for draft in (loose, edit, clash, good):
        draft.refresh_from_db()
    assert len(loose.key) == 32 and loose.entry is None
    assert (edit.key, edit.entry) == (str(entry.pk), entry)
    # Its entry's id is taken by the other draft: it is offered as new writing instead.
    assert len(clash.key) == 32 and clash.entry is None
    assert good.key == "d" * 32
    assert Draft.objects.count() == 5  # no writing is deleted
    assert Draft.objects.linkable().count() == 5
