"""Draft keys are the ones the pages make: autosave refuses others, and a draft stored
with another key (before autosave checked) never breaks a page and is renamed by 0011."""

import importlib
import uuid

import pytest
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
