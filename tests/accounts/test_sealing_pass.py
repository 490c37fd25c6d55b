"""An account that wrote before encryption came has its whole journal sealed at its first
sign-in with a password (journal/sealing_pass.py), in the transaction that makes its key:
every word it wrote, in every table, and its tags' keys; its pages read as before."""

import datetime as dt

from django.db.models import QuerySet
from django.urls import reverse

from accounts.models import JournalKey
from journal.models import Draft, Entry, EntryRevision, Prompt, Tag, TimelineEvent
from journal.sealed import Unsealed
from journal.sealing import is_sealed
from journal.tags import tag_key
from tests.factories import OPENED, PASSWORD, make_entry, make_user

LOGIN = reverse("account_login")
MODELS = (Entry, EntryRevision, Draft, TimelineEvent, Tag, Prompt)


def written_before_encryption(user) -> None:
    """Turn `user`'s journal into one stored before encryption: every word in the clear,
    tags keyed by their folded names, and no journal key."""
    for model in MODELS:
        for row in model.objects.filter(user=user):
            words = {f.attname: getattr(row, f.attname) for f in model.sealed_fields()}
            clear = {
                name: Unsealed(f.stored(value)) if value not in ("", None) else value
                for (name, value), f in zip(words.items(), model.sealed_fields(), strict=True)
            }
            if model is Tag:
                clear["key"] = tag_key(row.name)
            model.objects.filter(pk=row.pk).update(**clear)
    JournalKey.objects.filter(user=user).delete()
    OPENED.pop(user.pk)


def stored(model, user) -> list[str]:
    """Every sealed value of `user`'s rows, as the database holds it."""
    names = [f.attname for f in model.sealed_fields()]
    rows = QuerySet.values_list(QuerySet(model).filter(user=user), *names)
    return [value for row in rows for value in row if value]


def test_an_older_journal_is_sealed_at_the_first_sign_in_and_reads_as_before(client, db):
    user = make_user("older@example.com")
    entry = make_entry(
        user, title="Before the key", body="The *old* words.", tags=["Mirror", "sea"]
    )
    entry.prompt_text = "What did you keep?"
    entry.save()
    EntryRevision.keep(entry)
    Draft.objects.create(user=user, key="e" * 32, title="Half", body="unsaved", fields={"a": 1})
    TimelineEvent.objects.create(
        user=user, kind="meeting", occurred_on=dt.date(2024, 1, 1), note="At the *station*"
    )
    Prompt.objects.create(user=user, text="My own question?", theme="own")
    written_before_encryption(user)
    assert "The *old* words." in stored(Entry, user)  # in the clear, as before
    assert Tag.objects.filter(user=user, key="mirror").exists()

    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302

    for model in MODELS:
        values = stored(model, user)
        assert values, model  # the rows are there…
        assert all(is_sealed(value) for value in values), model  # …and sealed, every one
    keys = set(Tag.objects.filter(user=user).values_list("key", flat=True))
    assert "mirror" not in keys and len(keys) == 2
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "Before the key" in page and "<em>old</em>" in page
    listed = client.get(reverse("journal:entry-list"), {"tag": "mirror"})
    assert [e.title for e in listed.context["page"].object_list] == ["Before the key"]
    assert "At the <em>station</em>" in client.get(reverse("journal:timeline")).content.decode()
    assert JournalKey.objects.filter(user=user).count() == 1
    client.post(reverse("account_logout"))
    client.post(LOGIN, {"login": user.email, "password": PASSWORD})  # sealed once, not twice
    assert "Before the key" in client.get(entry.get_absolute_url()).content.decode()
