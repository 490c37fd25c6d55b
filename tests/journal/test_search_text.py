"""An entry's search text (models.SearchText): a sealed copy of its words that a search
reads, never older than the words (on SQLite and on PostgreSQL)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal import triggers
from journal.models import Entry, SearchText
from journal.search import FOLDED_BY
from tests.factories import make_entry

pytestmark = pytest.mark.django_db

LIST = reverse("journal:entry-list")


def titles(client, query: str) -> list[str]:
    response = client.get(LIST, {"q": query})
    assert response.status_code == 200
    return [entry.title for entry in response.context["page"].object_list]


def test_the_trigger_is_in_place_after_the_migrations():
    assert triggers.installed(connection)


def test_an_edit_is_searched_as_it_now_reads(alice_client, alice):
    entry = make_entry(alice, title="Harbour", body="The ferry left at dawn.", tags=["sea"])
    assert titles(alice_client, "ferry") == ["Harbour"]
    url = reverse("journal:entry-edit", args=[entry.pk])
    form = {"title": "Harbour", "body": "The lighthouse at dusk.", "written_on": "2025-03-14"}
    response = alice_client.post(url, {**form, "kind": "reflection", "tags": "shore"})
    assert response.status_code == 302
    assert titles(alice_client, "ferry") == []
    assert titles(alice_client, "lighthouse") == ["Harbour"]
    assert titles(alice_client, "sea") == []  # its tags too
    assert titles(alice_client, "shore") == ["Harbour"]
    # The edit wrote the search text again: the next search has nothing to make.
    assert SearchText.objects.get(entry=entry).folded_by == FOLDED_BY


def test_words_written_around_save_lose_their_search_text_in_the_database(alice):
    entry = make_entry(alice, title="Harbour", body="The ferry left at dawn.")
    assert SearchText.objects.filter(entry=entry).exists()
    # An UPDATE of the words that no Python code follows: the trigger deletes the copy.
    Entry.objects.filter(pk=entry.pk).update(body=entry.sealed_value("body", "Gone."))
    assert not SearchText.objects.filter(entry=entry).exists()
    # Other fields leave it as it is.
    entry.refresh_from_db()
    SearchText.write([entry])
    Entry.objects.filter(pk=entry.pk).update(mood=3)
    assert SearchText.objects.filter(entry=entry).exists()


def test_a_search_makes_missing_search_texts_again_in_a_constant_number_of_queries(
    alice_client, alice
):
    for n in range(3):
        make_entry(alice, title=f"Old {n}", body=f"The lighthouse, {n}.")
    SearchText.objects.all().delete()  # as after the migration, or an update by hand
    with CaptureQueriesContext(connection) as few:
        assert sorted(titles(alice_client, "lighthouse")) == ["Old 0", "Old 1", "Old 2"]
    assert SearchText.objects.count() == 3
    for n in range(40):
        make_entry(alice, title=f"More {n}", body=f"The lighthouse again, {n}.")
    SearchText.objects.all().delete()
    with CaptureQueriesContext(connection) as many:
        assert alice_client.get(LIST, {"q": "lighthouse"}).context["page"].paginator.count == 43
    assert len(many.captured_queries) == len(few.captured_queries)
    assert SearchText.objects.count() == 43


def test_a_search_text_folded_another_way_is_made_again(alice_client, alice):
    entry = make_entry(alice, title="Café", body="Un crème.")
    SearchText.objects.filter(entry=entry).update(folded_by=FOLDED_BY - 1)
    assert titles(alice_client, "cafe") == ["Café"]
    assert SearchText.objects.get(entry=entry).folded_by == FOLDED_BY


def test_entries_made_in_bulk_come_with_their_search_text(alice):
    entries = [
        Entry(user=alice, title=f"Bulk {n}", body="Made in bulk.", tags_text="tide")
        for n in range(3)
    ]
    for entry in entries:
        entry.derive_from_body()
    Entry.objects.bulk_create(entries)
    assert SearchText.objects.filter(user=alice).count() == 3
    with connection.cursor() as cursor:  # sealed, like the entry's own words
        cursor.execute("SELECT text FROM journal_searchtext")
        assert all(b"bulk" not in bytes(text).lower() for (text,) in cursor.fetchall())


def test_missing_search_texts_are_made_again_under_other_filters_too(alice_client, alice):
    make_entry(alice, title="Tagged", body="The lighthouse.", tags=["sea"])
    make_entry(alice, title="Untagged", body="The lighthouse too.")
    SearchText.objects.all().delete()
    response = alice_client.get(LIST, {"q": "lighthouse", "tag": "sea"})
    assert [entry.title for entry in response.context["page"].object_list] == ["Tagged"]
    assert SearchText.objects.count() == 1  # only what the filters left was read


def test_an_empty_journal_searches_to_nothing(alice_client):
    assert titles(alice_client, "lighthouse") == []
