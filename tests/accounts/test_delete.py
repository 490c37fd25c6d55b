"""/accounts/delete/: a user deletes their account, and afterwards nothing of theirs is left
in any table of the database."""

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import models
from django.db.models.functions import Cast
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Reminder, ReminderSent, User
from journal.models import (
    Draft,
    Entry,
    EntryRevision,
    EventKind,
    Initiator,
    Prompt,
    TimelineEvent,
)
from tests.factories import PASSWORD, make_entry, sign_in, the

pytestmark = pytest.mark.django_db

DELETE = reverse("accounts:delete")
# Words written only into alice's journal, and only into bob's; neither occurs anywhere else.
ALICE_MARKER = "Quillwortmarker"
BOB_MARKER = "Bramblingmarker"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Rate-limit counters live in the cache and are keyed by user id.
    cache.clear()


# --- the cast's journals ------------------------------------------------------------------


def fill_account(user: User, marker: str, client: Client) -> None:
    """Give `user` one of everything Mirror and allauth keep for a person, each holding
    `marker` where it holds text, and sign them in on `client`."""
    # Signed in here through the login form (before two-factor is on), as a person would.
    signed_in = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    prompt = Prompt.objects.create(user=user, text=f"What does {marker} ask of you?")
    entry = make_entry(
        user,
        title=f"{marker} morning",
        body=f"I wrote about {marker} today.",
        tags=[marker.lower()],
        prompt=prompt,
        feelings=["fear"],
    )
    EntryRevision.objects.create(
        entry=entry,
        user=user,
        title="An earlier title",
        body=f"The first words about {marker}.",
        version=1,
        saved_at=timezone.now(),
    )
    Draft.objects.create(user=user, key="new-draft", body=f"Half a thought on {marker}")
    Draft.objects.create(
        user=user,
        key=str(entry.pk),
        entry=entry,
        body="An edit in progress",
        fields={"title": f"{marker} evening"},
    )
    TimelineEvent.objects.create(
        user=user,
        kind=EventKind.SEPARATION,
        initiator=Initiator.THEM,
        occurred_on=dt.date(2025, 3, 1),
        note=f"They left after {marker}.",
    )
    user.groups.add(Group.objects.get_or_create(name="Testers")[0])

    from allauth.account.models import EmailAddress, EmailConfirmation

    address = EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    EmailConfirmation.create(address)
    if apps.is_installed("allauth.mfa"):
        from allauth.mfa.models import Authenticator

        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
        )
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00" * 20}
        )

    # The admin's history: an operator changed the account, and the user (as if staff once)
    # changed something themselves. Both name the account by its email address.
    operator = User.objects.get_or_create(email="operator@example.com", is_staff=True)[0]
    user_type = ContentType.objects.get_for_model(User)
    for actor in (operator, user):
        LogEntry.objects.create(
            user=actor,
            content_type=user_type,
            object_id=str(user.pk),
            object_repr=str(user),
            action_flag=CHANGE,
            change_message="[]",
        )

    Reminder.objects.create(user=user, enabled=True, message=f"{marker} o'clock")
    ReminderSent.objects.create(user=user, day=dt.date(2025, 3, 14))

    # Signed in on another device, plus an old, expired session that no longer appears in
    # any list of the user's sessions.
    other_device = Client()
    sign_in(other_device, user)
    other_device.get(reverse("home"))
    stale = import_module(settings.SESSION_ENGINE).SessionStore()
    stale[SESSION_KEY] = user._meta.pk.value_to_string(user)
    stale.create()
    Session.objects.filter(session_key=stale.session_key).update(
        expire_date=timezone.now() - dt.timedelta(days=30)
    )


# --- looking in every table ---------------------------------------------------------------


def all_models() -> list[type[models.Model]]:
    """Every table Django knows, including many-to-many link tables."""
    return list(apps.get_models(include_auto_created=True))


def owned_rows(user_pk) -> dict[type[models.Model], list[dict]]:
    """Every row that belongs to the user: their user row, then, again and again, every
    row with a foreign key or one-to-one link to a row already found."""
    owned = {User: list(User._base_manager.filter(pk=user_pk).values())}
    found = True
    while found:
        found = False
        for model in all_models():
            for field in model._meta.concrete_fields:
                parent = field.related_model
                if not field.many_to_one and not field.one_to_one:
                    continue
                if parent not in owned:
                    continue
                values = {row[field.target_field.attname] for row in owned[parent]}
                rows = model._base_manager.filter(**{f"{field.attname}__in": values}).values()
                pk = model._meta.pk.attname
                known = {row[pk] for row in owned.get(model, [])}
                new = [row for row in rows if row[pk] not in known]
                if new:
                    owned.setdefault(model, []).extend(new)
                    found = True
    return owned


def rows_left_of(owned: dict[type[models.Model], list[dict]]) -> list[str]:
    """What remains of rows found by `owned_rows` earlier: the rows themselves, any row
    that still points at them (a foreign key, or a generic content type and object id)."""
    left = []
    for model, rows in owned.items():
        pks = [row[model._meta.pk.attname] for row in rows]
        if model._base_manager.filter(pk__in=pks).exists():
            left.append(f"{model._meta.label} rows")
    for model in all_models():
        for field in model._meta.concrete_fields:
            if not (field.many_to_one or field.one_to_one) or field.related_model not in owned:
                continue
            values = {row[field.target_field.attname] for row in owned[field.related_model]}
            if model._base_manager.filter(**{f"{field.attname}__in": values}).exists():
                left.append(f"{model._meta.label}.{field.name} points at a deleted row")
        names = {field.name for field in model._meta.concrete_fields}
        if "content_type" in names and "object_id" in names:
            for owner_model, rows in owned.items():
                ids = [str(row[owner_model._meta.pk.attname]) for row in rows]
                about = model._base_manager.filter(
                    content_type=ContentType.objects.get_for_model(owner_model, False),
                    object_id__in=ids,
                )
                if about.exists():
                    left.append(f"{model._meta.label} rows about {owner_model._meta.label}")
    return left


def tables_containing(text: str) -> set[str]:
    """Every table with `text` in any text column (character, text and JSON columns)."""
    found = set()
    for model in all_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.JSONField):
                rows = model._base_manager.annotate(
                    _as_text=Cast(field.attname, models.TextField())
                )
                hit = rows.filter(_as_text__icontains=text)
            elif isinstance(field, (models.CharField, models.TextField)):
                hit = model._base_manager.filter(**{f"{field.attname}__icontains": text})
            else:
                continue
            if hit.exists():
                found.add(f"{model._meta.db_table}.{field.column}")
    return found


def sessions_of(user_pk) -> set[str]:
    """The keys of every stored session signed in as the user, read from the session data."""
    key = str(user_pk)
    return {s.session_key for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == key}


# --- the tests ------------------------------------------------------------------------------


def test_deleting_the_account_leaves_nothing_in_any_table(client, alice, bob):
    fill_account(alice, ALICE_MARKER, client)
    bob_client = Client()
    fill_account(bob, BOB_MARKER, bob_client)
    alice_pk, alice_email = alice.pk, alice.email

    before = owned_rows(alice_pk)
    # The data reaches every table that refers to a user, so the check below means something.
    related = {relation.related_model for relation in User._meta.related_objects}
    assert related <= set(before), related - set(before)
    assert {"journal_entry_tags", "account_emailconfirmation", "accounts_user_groups"} <= {
        model._meta.db_table for model in before
    }
    assert len(sessions_of(alice_pk)) == 3
    # Her words are sealed (journal/sealed.py): the rows above hold them, no column shows
    # them but her reminder's, which the worker sends while she is away (docs/security.md).
    assert tables_containing(ALICE_MARKER) == {"accounts_reminder.message"}
    assert ALICE_MARKER in the(Entry.objects.filter(user=alice_pk)).body
    assert {"accounts_user.email", "account_emailaddress.email",
            "django_admin_log.object_repr"} <= tables_containing(alice_email)  # fmt: skip
    bob_before = {model: len(rows) for model, rows in owned_rows(bob.pk).items()}
    bob_sessions = sessions_of(bob.pk)
    bob_marked = tables_containing(BOB_MARKER)

    response = client.post(DELETE, {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    # The browser forgets the drafts it kept locally and the pages it cached.
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert rows_left_of(before) == []
    assert owned_rows(alice_pk) == {User: []}
    assert sessions_of(alice_pk) == set()
    assert tables_containing(ALICE_MARKER) == set()
    assert tables_containing(alice_email) == set()
    # Bob's journal, sessions and sign-in are untouched.
    assert {model: len(rows) for model, rows in owned_rows(bob.pk).items()} == bob_before
    assert sessions_of(bob.pk) == bob_sessions
    assert tables_containing(BOB_MARKER) == bob_marked
    assert bob_client.get(reverse("journal:entry-list")).status_code == 200


def test_after_deleting_the_user_is_signed_out_everywhere_with_a_calm_message(client, alice):
    fill_account(alice, ALICE_MARKER, client)
    other_device = Client()
    sign_in(other_device, alice)

    page = client.post(DELETE, {"password": PASSWORD}, follow=True)

    assert page.redirect_chain == [(reverse("home"), 302)]
    assert "Your account and everything in it are deleted." in page.text
    assert not page.context["user"].is_authenticated
    assert client.get(reverse("journal:entry-list")).status_code == 302
    assert other_device.get(reverse("journal:entry-list")).status_code == 302
    assert not User.objects.filter(email="alice@example.com").exists()


def test_wrong_password_is_refused_beside_the_field_and_nothing_is_deleted(alice_client, alice):
    make_entry(alice, body=f"Still here: {ALICE_MARKER}")
    before = {model: len(rows) for model, rows in owned_rows(alice.pk).items()}

    response = alice_client.post(DELETE, {"password": "not-my-password"})

    assert response.status_code == 200
    assert response.context["form"].errors["password"] == [
        "That is not your password. Nothing has been deleted."
    ]
    assert "That is not your password" in response.text
    assert 'name="password"' in response.text
    assert "not-my-password" not in response.text  # the typed password is not sent back
    assert {model: len(rows) for model, rows in owned_rows(alice.pk).items()} == before
    assert alice_client.get(reverse("journal:entry-list")).status_code == 200


def test_empty_password_is_refused(alice_client, alice):
    response = alice_client.post(DELETE, {})
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert User.objects.filter(pk=alice.pk).exists()


def test_page_explains_what_goes_and_offers_the_export_first(alice_client, alice):
    make_entry(alice)
    page = alice_client.get(DELETE)
    assert page.status_code == 200
    assert f'href="{reverse("journal:export")}"' in page.text
    for words in ["every entry", "earlier versions", "drafts", "timeline", "prompts",
                  "every device", "two-factor", "email addresses"]:  # fmt: skip
        assert words in page.text
    assert "1 in all" in page.text
    assert 'type="password"' in page.text
    assert 'autocomplete="current-password"' in page.text
    assert "button--danger" in page.text
    assert f'href="{DELETE}" aria-current="page"' in page.text  # in the account menu


def test_account_pages_link_to_the_deletion_page(alice_client):
    page = alice_client.get(reverse("accounts:profile"))
    assert f'href="{DELETE}"' in page.text


def test_anonymous_visitor_is_sent_to_log_in(client, alice):
    for response in (client.get(DELETE), client.post(DELETE, {"password": PASSWORD})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert User.objects.filter(pk=alice.pk).exists()


def test_other_methods_are_refused(alice_client, alice):
    assert alice_client.put(DELETE).status_code == 405
    assert alice_client.delete(DELETE).status_code == 405
    assert User.objects.filter(pk=alice.pk).exists()


def test_post_without_csrf_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, alice)
    response = client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == 403
    assert User.objects.filter(pk=alice.pk).exists()


def test_guessing_the_password_is_rate_limited(alice_client, alice):
    statuses = [
        alice_client.post(DELETE, {"password": f"guess-{n}"}).status_code for n in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    assert User.objects.filter(pk=alice.pk).exists()


def test_an_account_without_a_password_is_told_to_set_one(alice_client, alice):
    alice.set_unusable_password()
    alice.save()
    sign_in(alice_client, alice)  # the password hash is part of the session
    response = alice_client.post(DELETE, {"password": "anything"})
    assert response.status_code == 200
    assert "no password yet" in response.context["form"].errors["password"][0]
    assert User.objects.filter(pk=alice.pk).exists()


def test_bob_deleting_his_account_leaves_alice_alone(client, alice, bob):
    fill_account(alice, ALICE_MARKER, client)
    alice_before = {model: len(rows) for model, rows in owned_rows(alice.pk).items()}
    bob_client = Client()
    sign_in(bob_client, bob)
    make_entry(bob, body="Bob's only entry")

    assert bob_client.post(DELETE, {"password": PASSWORD}).status_code == 302

    assert not User.objects.filter(pk=bob.pk).exists()
    assert {model: len(rows) for model, rows in owned_rows(alice.pk).items()} == alice_before
    assert client.get(reverse("journal:entry-list")).status_code == 200
