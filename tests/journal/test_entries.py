"""Writing, reading, editing and deleting one entry, and that nobody else can."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from journal.models import Entry, Tag
from tests.factories import make_entry, sign_in

pytestmark = pytest.mark.django_db

VALID = {
    "title": "The morning after",
    "body": "I woke early and *missed* them.\n\n- tea\n- a walk",
    "written_on": "2025-03-14",
    "kind": "reflection",
    "mood": "2",
    "feelings": ["fear", "longing"],
    "stage": "running/chasing",
    "tags": "Mirror, #family, mirror",
}


def entry_urls(entry: Entry) -> list[str]:
    return [
        reverse("journal:entry-detail", args=[entry.pk]),
        reverse("journal:entry-edit", args=[entry.pk]),
        reverse("journal:entry-delete", args=[entry.pk]),
    ]


def test_new_entry_form_defaults_to_users_today(alice_client, alice):
    alice.time_zone = "Pacific/Kiritimati"  # UTC+14: often already tomorrow
    alice.save()
    response = alice_client.get(reverse("journal:entry-create"))
    assert response.status_code == 200
    assert response.context["form"].initial["written_on"] == alice.today()


def test_create_entry_stores_everything_and_shows_its_page(alice_client, alice):
    response = alice_client.post(reverse("journal:entry-create"), VALID)
    entry = Entry.objects.get(user=alice)
    assert response.status_code == 302
    assert response["Location"] == entry.get_absolute_url()
    assert entry.title == "The morning after"
    assert entry.written_on == dt.date(2025, 3, 14)
    assert entry.mood == 2
    assert entry.feelings == ["fear", "longing"]
    assert entry.stage == "running/chasing"
    # One tag for "Mirror" and "mirror", in the case first typed; listed in any-case order.
    assert [tag.name for tag in entry.tags.named_in_order()] == ["family", "Mirror"]
    assert entry.tag_names == ["family", "Mirror"]
    assert "<em>missed</em>" in entry.body_html
    page = alice_client.get(entry.get_absolute_url())
    assert "<em>missed</em>" in page.text
    assert "Your entry is saved." in page.text


def test_tags_are_reused_per_user(alice_client, alice, bob):
    Tag.objects.create(user=bob, name="mirror")
    alice_client.post(reverse("journal:entry-create"), VALID)
    alice_client.post(reverse("journal:entry-create"), {**VALID, "tags": "mirror"})
    assert Tag.objects.filter(user=alice, key=Tag.key_for(alice.pk, "mirror")).count() == 1
    assert Tag.objects.filter(user=bob, key=Tag.key_for(bob.pk, "mirror")).count() == 1
    assert Tag.key_for(alice.pk, "mirror") != Tag.key_for(bob.pk, "mirror")  # keyed per journal


def test_entry_without_title_gets_a_readable_heading(alice_client, alice):
    alice_client.post(reverse("journal:entry-create"), {**VALID, "title": ""})
    entry = Entry.objects.get(user=alice)
    page = alice_client.get(entry.get_absolute_url())
    assert "Reflection of 14 March 2025" in page.text


def test_edit_entry_changes_text_and_rerenders_html(alice_client, entry):
    url = reverse("journal:entry-edit", args=[entry.pk])
    form_page = alice_client.get(url)
    assert form_page.context["form"].initial["tags"] == "mirror"
    response = alice_client.post(url, {**VALID, "body": "Now **calmer**.", "tags": "peace"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.body == "Now **calmer**."
    assert entry.body_html == "<p>Now <strong>calmer</strong>.</p>"
    assert [row.name for row in entry.tags.all()] == ["peace"]


def test_delete_asks_for_confirmation_then_deletes(alice_client, entry):
    url = reverse("journal:entry-delete", args=[entry.pk])
    confirm = alice_client.get(url)
    assert confirm.status_code == 200
    assert "cannot be undone" in confirm.text
    assert Entry.objects.filter(pk=entry.pk).exists()
    response = alice_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:entry-list")
    assert not Entry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("index", [0, 1, 2])
def test_other_user_gets_404_on_every_entry_url(bob_client, entry, index):
    url = entry_urls(entry)[index]
    assert bob_client.get(url).status_code == 404
    if index:  # edit and delete take POST; the page itself is read-only (405)
        assert bob_client.post(url, VALID).status_code == 404
    entry.refresh_from_db()
    assert entry.body == "I *woke* early."


def test_missing_entry_answers_404_like_another_users(alice_client):
    missing = uuid.uuid4()
    assert alice_client.get(reverse("journal:entry-detail", args=[missing])).status_code == 404
    assert alice_client.get(reverse("journal:entry-edit", args=[missing])).status_code == 404


def test_other_user_never_sees_entries_in_lists(bob_client, alice):
    make_entry(alice, title="Alice's secret", body="Only mine.", tags=["secret"])
    for url in [reverse("journal:entry-list"), reverse("home"), "/entries/?tag=secret"]:
        page = bob_client.get(url)
        assert page.status_code == 200
        assert "Alice&#x27;s secret" not in page.text
        assert "Only mine" not in page.text
        assert "#secret" not in page.text


@pytest.mark.parametrize("url_name", ["journal:entry-list", "journal:entry-create"])
def test_anonymous_is_sent_to_login(client, url_name):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert f"next={url}" in response["Location"]


def test_anonymous_is_sent_to_login_from_entry_urls(client, entry):
    for url in entry_urls(entry):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    client.post(reverse("journal:entry-delete", args=[entry.pk]))
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_wrong_methods_are_refused(alice_client, entry):
    assert alice_client.put(reverse("journal:entry-create")).status_code == 405
    assert alice_client.post(reverse("journal:entry-list")).status_code == 405
    assert alice_client.post(reverse("journal:entry-detail", args=[entry.pk])).status_code == 405
    assert alice_client.delete(reverse("journal:entry-delete", args=[entry.pk])).status_code == 405
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_post_without_csrf_token_is_refused(alice, entry):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    sign_in(client, alice)
    response = client.post(reverse("journal:entry-create"), VALID)
    assert response.status_code == 403
    assert client.post(reverse("journal:entry-delete", args=[entry.pk])).status_code == 403
    assert Entry.objects.filter(user=alice).count() == 1


def test_post_with_csrf_token_is_accepted(alice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    sign_in(client, alice)
    form_page = client.get(reverse("journal:entry-create"))
    token = form_page.context["csrf_token"]
    response = client.post(reverse("journal:entry-create"), {**VALID, "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_entries_are_not_in_the_admin():
    from django.contrib import admin

    from journal.models import Entry, Tag

    assert not admin.site.is_registered(Entry)
    assert not admin.site.is_registered(Tag)


def test_entry_urls_use_uuids(entry):
    assert str(entry.pk) in entry.get_absolute_url()
    assert isinstance(entry.pk, uuid.UUID)


def test_excerpts_are_plain_text_shown_once_escaped(alice_client, alice):
    make_entry(alice, body="Tom & Jerry <3 and *soft* words")
    page = alice_client.get(reverse("journal:entry-list"))
    assert "Tom &amp; Jerry &lt;3 and soft words" in page.text
    assert "&amp;amp;" not in page.text
