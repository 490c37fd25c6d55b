"""Never losing writing: autosaved drafts, edit conflicts, earlier versions, preview."""

import pytest
from django.urls import reverse

from journal.markdown import render_markdown
from journal.models import Draft, Entry, EntryRevision
from tests.factories import where
from tests.journal.test_entries import VALID

pytestmark = pytest.mark.django_db

AUTOSAVE = reverse("journal:autosave")


def edit(client, entry, **changes):
    return client.post(reverse("journal:entry-edit", args=[entry.pk]), {**VALID, **changes})


# Autosave --------------------------------------------------------------------------------


def test_autosave_keeps_the_latest_text_as_one_draft(alice_client, alice):
    for text in ["First words", "First words and more"]:
        response = alice_client.post(
            AUTOSAVE, {"draft_key": "a" * 32, "title": "T", "body": text, "mood": "3"}
        )
        assert response.status_code == 200
        assert response.json()["key"] == "a" * 32
    draft = Draft.objects.get(user=alice)
    assert (draft.body, draft.fields["mood"]) == ("First words and more", "3")
    assert not Entry.objects.exists()  # a draft is not an entry


def test_new_entry_page_offers_earlier_drafts_and_restores_them(alice_client, alice):
    Draft.objects.create(
        user=alice, key="b" * 32, title="Night", body="Unfinished thought", fields={"kind": "dream"}
    )
    page = alice_client.get(reverse("journal:entry-create"))
    assert "Unfinished thought" not in page.text
    assert f"?draft={'b' * 32}" in page.text
    restored = alice_client.get(reverse("journal:entry-create"), {"draft": "b" * 32})
    form = restored.context["form"]
    assert (form["body"].value(), form["kind"].value(), form["draft_key"].value()) == (
        "Unfinished thought",
        "dream",
        "b" * 32,
    )
    alice_client.post(reverse("journal:entry-create"), {**VALID, "draft_key": "b" * 32})
    assert not Draft.objects.exists()  # saved: the draft is done


def test_saving_leads_to_the_entry_with_the_draft_key(alice_client, alice):
    response = alice_client.post(reverse("journal:entry-create"), {**VALID, "draft_key": "c" * 32})
    entry = Entry.objects.get()
    assert response["Location"] == f"{entry.get_absolute_url()}?saved={'c' * 32}"


def test_edit_page_offers_a_newer_draft(alice_client, alice, entry):
    Draft.objects.create(
        user=alice, key=str(entry.pk), entry=entry, body="Changed, not saved", base_version=1
    )
    page = alice_client.get(reverse("journal:entry-edit", args=[entry.pk]))
    assert "You have unsaved changes to this entry" in page.text
    restored = alice_client.get(reverse("journal:entry-edit", args=[entry.pk]), {"draft": "1"})
    assert restored.context["form"]["body"].value() == "Changed, not saved"


def test_autosave_of_another_users_entry_is_refused(bob_client, entry):
    response = bob_client.post(
        AUTOSAVE, {"draft_key": "x", "entry": str(entry.pk), "body": "Bob's words"}
    )
    assert response.status_code == 404
    assert not Draft.objects.exists()


def test_autosave_when_signed_out_answers_401_not_a_login_page(client):
    response = client.post(AUTOSAVE, {"draft_key": "k", "body": "words"})
    assert response.status_code == 401
    assert response.json() == {"error": "signed-out"}


def test_drafts_are_private(bob_client, alice):
    Draft.objects.create(user=alice, key="d" * 32, body="Alice's draft")
    assert "Alice" not in bob_client.get(reverse("journal:entry-create")).text
    restored = bob_client.get(reverse("journal:entry-create"), {"draft": "d" * 32})
    assert restored.context["form"]["body"].value() in (None, "")
    bob_client.post(reverse("journal:draft-discard", args=["d" * 32]))
    assert Draft.objects.filter(user=alice).exists()


def test_a_draft_can_be_discarded(alice_client, alice):
    Draft.objects.create(user=alice, key="e" * 32, body="Let it go")
    alice_client.post(reverse("journal:draft-discard", args=["e" * 32]))
    assert not Draft.objects.exists()


# Conflicts -------------------------------------------------------------------------------


def test_a_stale_save_is_not_applied_and_both_texts_are_shown(alice_client, entry):
    assert edit(alice_client, entry, body="Tab one's words", version="1").status_code == 302
    stale = edit(alice_client, entry, body="Tab two's words", version="1")
    assert stale.status_code == 200
    assert stale.context["conflict"] == entry
    entry.refresh_from_db()
    assert (entry.body, entry.version) == ("Tab one's words", 2)
    assert "Tab one&#x27;s words" in stale.text  # the saved text
    assert "Tab two&#x27;s words" in stale.text  # and the user's own, still in the editor
    assert stale.context["form"]["version"].value() == 2


def test_keeping_my_version_after_a_conflict_saves_it_and_keeps_theirs(alice_client, entry):
    edit(alice_client, entry, body="Tab one's words", version="1")
    edit(alice_client, entry, body="Tab two's words", version="1")
    assert edit(alice_client, entry, body="Tab two's words", version="2").status_code == 302
    entry.refresh_from_db()
    assert entry.body == "Tab two's words"
    assert [row.body for row in entry.revisions.all()] == [
        "Tab one's words",
        "I *woke* early.",
    ]


def test_two_stale_saves_lose_nothing(alice_client, entry):
    edit(alice_client, entry, body="A", version="1")
    for text in ["B", "C"]:
        assert edit(alice_client, entry, body=text, version="1").context["conflict"]
    entry.refresh_from_db()
    assert entry.body == "A"
    # B and C were never applied; each was shown back to its writer to save again.


# Earlier versions ------------------------------------------------------------------------


def test_edits_keep_earlier_versions_and_one_can_be_restored(alice_client, entry):
    edit(alice_client, entry, body="Second", version="1")
    edit(alice_client, entry, body="Third", version="2")
    history = alice_client.get(reverse("journal:entry-history", args=[entry.pk]))
    assert [r.body for r in history.context["revisions"]] == ["Second", "I *woke* early."]
    alice_client.post(reverse("journal:revision-restore", args=[entry.pk, 1]))
    entry.refresh_from_db()
    assert (entry.body, entry.version) == ("I *woke* early.", 4)
    assert entry.body_html == "<p>I <em>woke</em> early.</p>"
    assert where(EntryRevision.objects.filter(entry=entry), body="Third")


def test_changing_only_the_mood_keeps_no_revision(alice_client, entry):
    edit(alice_client, entry, title=entry.title, body=entry.body, mood="5", version="1")
    assert not entry.revisions.exists()


def test_only_the_newest_revisions_are_kept(alice, entry):
    for _ in range(EntryRevision.KEEP + 5):
        entry.version += 1
        EntryRevision.keep(entry)
    assert entry.revisions.count() == EntryRevision.KEEP


def test_history_is_private(bob_client, entry):
    assert bob_client.get(reverse("journal:entry-history", args=[entry.pk])).status_code == 404
    assert (
        bob_client.post(reverse("journal:revision-restore", args=[entry.pk, 1])).status_code == 404
    )


# Preview ---------------------------------------------------------------------------------


def test_preview_uses_the_same_markdown_function(alice_client):
    text = "# Hi\n\n*soft* <script>x</script> [l](javascript:x)"
    response = alice_client.post(reverse("journal:preview"), {"body": text})
    assert response.json() == {"html": render_markdown(text)}


def test_preview_needs_a_session_and_post(client, alice_client):
    assert alice_client.get(reverse("journal:preview")).status_code == 405
    client.logout()
    assert client.post(reverse("journal:preview"), {"body": "x"}).status_code == 401


def test_discarding_a_draft_never_redirects_off_the_site(alice_client, alice):
    Draft.objects.create(user=alice, key="f" * 32, body="x")
    response = alice_client.post(
        reverse("journal:draft-discard", args=["f" * 32]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("journal:entry-create")
    same_site = alice_client.post(
        reverse("journal:draft-discard", args=["g" * 32]), {"next": "/entries/"}
    )
    assert same_site["Location"] == "/entries/"
