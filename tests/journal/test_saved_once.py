"""A new entry is saved once per draft: the new-entry page's key, sent again (a retried POST
whose answer was lost, two tabs, words written offline sent when the connection returns),
leads to the entry it already made, and never to another user's."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal.models import Draft, Entry
from tests.factories import make_entry, sign_in
from tests.journal.test_entries import VALID

pytestmark = pytest.mark.django_db

CREATE = reverse("journal:entry-create")
KEY = "d" * 32
JSON = {"Accept": "application/json"}


def saved_url(entry: Entry, key: str = KEY) -> str:
    return f"{entry.get_absolute_url()}?saved={key}"


def test_the_same_draft_sent_twice_makes_one_entry(alice_client, alice):
    first = alice_client.post(CREATE, {**VALID, "draft_key": KEY})
    again = alice_client.post(CREATE, {**VALID, "draft_key": KEY})
    entry = Entry.objects.get(user=alice)
    assert entry.draft_key == KEY
    assert first["Location"] == again["Location"] == saved_url(entry)
    assert "Your entry is saved." in alice_client.get(again["Location"]).text


def test_the_editors_script_is_answered_with_the_entrys_address(alice_client, alice):
    first = alice_client.post(CREATE, {**VALID, "draft_key": KEY}, headers=JSON)
    again = alice_client.post(CREATE, {**VALID, "draft_key": KEY}, headers=JSON)
    entry = Entry.objects.get(user=alice)
    assert (first.status_code, first.json()) == (200, {"saved": True, "url": saved_url(entry)})
    assert again.json() == first.json()
    # The message waits for the page the script opens next.
    assert "Your entry is saved." in alice_client.get(entry.get_absolute_url()).text


def test_another_users_key_makes_an_entry_of_ones_own(bob_client, alice, bob):
    theirs = make_entry(alice, title="Alice's", body="Alice's words.", draft_key=KEY)
    response = bob_client.post(CREATE, {**VALID, "draft_key": KEY})
    mine = Entry.objects.get(user=bob)
    assert response["Location"] == saved_url(mine)
    assert mine.pk != theirs.pk and mine.draft_key == KEY
    theirs.refresh_from_db()
    assert (theirs.body, Entry.objects.filter(user=alice).count()) == ("Alice's words.", 1)


def test_a_race_for_one_draft_leads_the_loser_to_the_winner(alice_client, alice):
    """Another request with the same draft saves its entry after this one looked for it and
    before it saves: the database's unique key refuses the second, which leads to the first."""
    winner: list[Entry] = []

    def another_request_saves_first(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not winner and sql.startswith("SELECT") and '"draft_key" =' in sql:
            winner.append(
                make_entry(alice, title=VALID["title"], body=VALID["body"], draft_key=KEY)
            )
        return result

    with connection.execute_wrapper(another_request_saves_first):
        response = alice_client.post(CREATE, {**VALID, "draft_key": KEY})
    assert winner, "the view looked for the draft's entry before saving"
    assert Entry.objects.filter(user=alice).get() == winner[0]
    assert response["Location"] == saved_url(winner[0])


def test_other_words_under_a_used_key_are_an_entry_of_their_own(alice_client, alice):
    """The form reached again with the Back button after saving, and changed: its words are
    kept, as an entry of their own, not dropped in favour of the first."""
    alice_client.post(CREATE, {**VALID, "draft_key": KEY})
    response = alice_client.post(CREATE, {**VALID, "body": "Something else.", "draft_key": KEY})
    first, second = Entry.objects.filter(user=alice).order_by("created_at")
    assert (first.body, first.draft_key) == (VALID["body"], KEY)
    assert (second.body, second.draft_key) == ("Something else.", "")
    assert response["Location"] == saved_url(second)


def test_an_autosave_after_the_save_is_cleared_when_the_draft_comes_again(alice_client, alice):
    alice_client.post(CREATE, {**VALID, "draft_key": KEY})
    Draft.objects.create(user=alice, key=KEY, body=VALID["body"])  # a late autosave
    alice_client.post(CREATE, {**VALID, "draft_key": KEY})
    assert not Draft.objects.exists()
    assert Entry.objects.filter(user=alice).count() == 1


def test_only_a_key_the_pages_make_is_kept(alice_client, alice):
    alice_client.post(CREATE, {**VALID, "draft_key": "my diary, page one"})
    assert Entry.objects.get(user=alice).draft_key == ""


def test_editing_keeps_the_key_the_entry_was_saved_from(alice_client, alice):
    alice_client.post(CREATE, {**VALID, "draft_key": KEY})
    entry = Entry.objects.get(user=alice)
    edit = reverse("journal:entry-edit", args=[entry.pk])
    alice_client.post(edit, {**VALID, "body": "Changed.", "version": 1, "draft_key": entry.pk})
    entry.refresh_from_db()
    assert (entry.body, entry.draft_key) == ("Changed.", KEY)


def test_a_refused_form_tells_the_script_so(alice_client, alice):
    response = alice_client.post(CREATE, {**VALID, "body": " ", "draft_key": KEY}, headers=JSON)
    assert (response.status_code, response.json()) == (200, {"saved": False})
    assert not Entry.objects.exists()
    page = alice_client.post(CREATE, {**VALID, "body": " ", "draft_key": KEY})  # the plain way
    assert "Write a few words before saving." in page.text


def test_a_locked_journal_answers_the_script_with_423_and_saves_nothing(client, alice):
    client.force_login(alice)  # signed in without the password: the journal stays locked
    response = client.post(CREATE, {**VALID, "draft_key": KEY}, headers=JSON)
    assert (response.status_code, response.json()) == (423, {"error": "locked"})
    assert not Entry.objects.exists()


def test_signed_out_the_script_is_sent_to_log_in(client):
    response = client.post(CREATE, {**VALID, "draft_key": KEY}, headers=JSON)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_sending_a_draft_again_costs_fewer_queries_than_saving_it(alice_client, alice):
    with CaptureQueriesContext(connection) as saving:
        alice_client.post(CREATE, {**VALID, "draft_key": KEY})
    with CaptureQueriesContext(connection) as again:
        alice_client.post(CREATE, {**VALID, "draft_key": KEY})
    assert len(again.captured_queries) < len(saving.captured_queries)


# Whose words a device keeps -------------------------------------------------------------

OWNER = re.compile(r'<body data-owner="([0-9a-f]{32})">')


def test_signed_in_pages_carry_the_accounts_mark_for_the_drafts_a_device_keeps(client, alice, bob):
    home = reverse("home")
    assert "data-owner" not in client.get(home).text  # signed out: no one's
    marks = []
    for user in (alice, alice, bob):
        sign_in(client, user)
        (mark,) = OWNER.findall(client.get(home).text)
        marks.append(mark)
        client.logout()
    assert marks[0] == marks[1] != marks[2]  # the same in every session, one per account


def test_the_offline_page_leads_back_to_the_new_entry_page(client):
    page = client.get(reverse("offline")).text
    assert f'data-send-url="{CREATE}"' in page
    assert f'data-probe-url="{reverse("healthz")}"' in page
