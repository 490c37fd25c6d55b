"""Values no person types (a NUL character, a number of thirty digits) get a 400 or a form
error on SQLite and PostgreSQL alike, never a 500 and never a row."""

import io
import zipfile

import pytest
from django.urls import reverse

from journal.archive.importing import journal_import
from journal.archive.reading import ImportRejected
from journal.models import Draft, Entry, Prompt
from tests.factories import make_entry, sign_in
from tests.journal.test_entries import VALID

pytestmark = pytest.mark.django_db

AUTOSAVE = reverse("journal:autosave")
HUGE = "9" * 30
KEY = "a" * 32


@pytest.mark.parametrize(
    "url",
    [
        "/entries/?q=a%00b",
        "/entries/?tag=%00",
        "/entries/new/?draft=a%00b",
        "/entries/new/?prompt=1%00",
        "/calendar/?year=2025%00",
        "/export/?from=%00",
        "/export/journal.zip?period=%00",
        "/prompts/?theme=%00",
        "/?another=%00",
        "/entries/?%00=1",
    ],
)
def test_a_nul_in_the_query_string_is_refused(alice_client, url):
    assert alice_client.get(url).status_code == 400


def test_a_nul_in_the_address_is_refused(alice_client, alice):
    Draft.objects.create(user=alice, key=KEY, body="Kept")
    response = alice_client.post(f"/entries/drafts/{KEY}%00/discard/")
    assert response.status_code == 400
    assert Draft.objects.filter(key=KEY).exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"body": "Dear\x00"},
        {"title": "\x00"},
        {"draft_key": "a\x00"},
        {"mood": "\x00"},
        {"feelings": ["\x00"]},
        {"tags": "a\x00b"},
    ],
)
def test_a_nul_in_autosave_is_refused(alice_client, fields):
    response = alice_client.post(AUTOSAVE, {"draft_key": KEY, "body": "Words", **fields})
    assert response.status_code == 400
    assert not Draft.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"version": HUGE},
        {"version": "0"},
        {"prompt": HUGE},
        {"mood": "7"},
        {"mood": HUGE},
        {"entry": HUGE},
    ],
)
def test_numbers_the_editor_never_sends_are_refused_by_autosave(alice_client, fields):
    response = alice_client.post(AUTOSAVE, {"draft_key": KEY, "body": "Words", **fields})
    assert response.status_code == 400
    assert not Draft.objects.exists()


def test_autosave_keeps_a_version_and_prompt_the_database_can_hold(alice_client, alice):
    prompt = Prompt.objects.filter(user__isnull=True).first()
    data = {"draft_key": KEY, "body": "W", "version": "2147483647", "prompt": str(prompt.pk)}
    assert alice_client.post(AUTOSAVE, data).status_code == 200
    assert Draft.objects.get(user=alice).base_version == 2147483647


def test_a_nul_in_the_entry_form_is_refused(alice_client):
    response = alice_client.post(reverse("journal:entry-create"), {**VALID, "stage": "\x00"})
    assert response.status_code == 400
    assert not Entry.objects.exists()


def test_a_version_too_large_to_store_is_a_form_error(alice_client, alice):
    entry = make_entry(alice, title="Kept")
    response = alice_client.post(
        reverse("journal:entry-edit", args=[entry.pk]), {**VALID, "version": HUGE}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["version"]
    entry.refresh_from_db()
    assert entry.title == "Kept"


@pytest.mark.parametrize(
    "url",
    [
        f"/entries/?prompt={HUGE}",
        f"/entries/?page={HUGE}",
        f"/entries/new/?prompt={HUGE}",
        "/entries/new/?prompt=%C2%B2",  # "²": a digit to str.isdigit, not to int()
        f"/calendar/?year={HUGE}",
        f"/timeline/{HUGE}/edit/",
    ],
)
def test_numbers_out_of_range_in_the_address_never_fail(alice_client, alice, url):
    make_entry(alice, title="Still here")
    response = alice_client.get(url)
    assert response.status_code in {200, 404}
    if url.startswith("/entries/?"):
        assert "Still here" in response.text


def test_a_cookie_holding_a_nul_is_dropped_not_looked_up(client, alice):
    sign_in(client, alice)
    response = client.get("/", HTTP_COOKIE='mirror-session="abcdefgh\\000ijk"')
    assert response.status_code == 200
    assert "Alice" not in response.text  # that cookie is no session: signed out


# Import -----------------------------------------------------------------------------------


def archive(front_matter: str) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("entries/a.md", f"---\ndate: 2025-03-14\n{front_matter}\n---\nWords\n")
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('mood: "\\0"', "the mood holds a character that text cannot hold"),
        ('mood: "²"', "the mood “²” is not a number from 1 to 5"),
        (f"mood: {HUGE}", f"the mood “{HUGE}” is not a number from 1 to 5"),
    ],
)
def test_import_explains_a_mood_it_cannot_take(alice, line, problem):
    with pytest.raises(ImportRejected) as rejected:
        journal_import(user=alice, archive_file=archive(line))
    assert any(problem in text for text in rejected.value.problems)
    assert not Entry.objects.exists()


def test_import_ignores_a_version_of_thirty_digits(alice):
    journal_import(user=alice, archive_file=archive(f"version: {HUGE}"))
    assert Entry.objects.get().version == 1
