"""The recovery key page (/accounts/recovery-key/) and the unlock page (/accounts/unlock/)."""

import re
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse

from accounts import journal_keys, keys
from accounts.models import JournalKey
from tests.factories import PASSWORD, make_user

RECOVERY = reverse("accounts:recovery-key")
UNLOCK = reverse("accounts:unlock")


def sign_in(client: Client, email: str, password: str = PASSWORD) -> None:
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    assert response.status_code == 302


def shown_key(response) -> str | None:
    text = response.content.decode()
    marker = '<code id="recovery-key">'
    if marker not in text:
        return None
    return text.split(marker, 1)[1].split("</code>", 1)[0]


@pytest.fixture
def signed_up(client, db):
    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": "a long new password",
            "password2": "a long new password",
        },
    )
    return client


def test_a_new_account_is_shown_its_recovery_key_once(signed_up):
    from accounts.models import User

    response = signed_up.get(RECOVERY)
    key = shown_key(response)
    user = User.objects.get(email="new@example.com")
    assert journal_keys.journal_key_recover(user=user, recovery_text=key)
    assert 'download="mirror-recovery-key.txt"' in response.content.decode()
    assert shown_key(signed_up.get(RECOVERY)) is None  # once


def test_the_key_file_holds_the_address_and_the_key_as_plain_text(alice_client, alice):
    alice.email = "o'hara&co@example.com"  # characters HTML would escape
    alice.save()
    response = alice_client.post(RECOVERY, {"password": PASSWORD}, follow=True)
    key = shown_key(response)
    link = re.search(r'href="data:text/plain;charset=utf-8,([^"]*)"', response.text).group(1)
    assert re.fullmatch(r"[A-Za-z0-9%._~-]*", link)  # percent-encoded whole: nothing to escape
    assert unquote(link) == (
        f"Mirror recovery key for o'hara&co@example.com\n\n{key}\n\n"
        "Keep it somewhere safe. With it, a journal can be opened again after a forgotten "
        "password.\n"
    )


def test_the_home_page_reminds_until_the_key_is_saved(signed_up):
    assert RECOVERY in signed_up.get(reverse("home")).content.decode()
    response = signed_up.post(RECOVERY, {"saved": "1"})
    assert response.status_code == 302
    assert JournalKey.objects.get().recovery_saved_at is not None
    assert RECOVERY not in signed_up.get(reverse("home")).content.decode()


def test_a_new_recovery_key_needs_the_password_and_retires_the_old_one(client, db):
    user = make_user("renew@example.com", journal_key=False)
    sign_in(client, user.email)  # an older account: its key is made now
    first = shown_key(client.get(RECOVERY))
    refused = client.post(RECOVERY, {"password": "not it"})
    assert "That is not your password. Your recovery key is unchanged." in refused.content.decode()
    response = client.post(RECOVERY, {"password": PASSWORD}, follow=True)
    second = shown_key(response)
    assert second and second != first
    assert journal_keys.journal_key_recover(user=user, recovery_text=second)
    with pytest.raises(keys.KeyRefused):
        journal_keys.journal_key_recover(user=user, recovery_text=first)


def test_after_a_reset_the_recovery_key_unlocks_and_the_new_password_opens_from_then_on(client, db):
    user = make_user("reset@example.com", journal_key=False)
    opened, recovery = journal_keys.journal_key_create(user=user, password=PASSWORD)
    user.set_password("after the reset")
    user.save()
    sign_in(client, user.email, "after the reset")
    page = client.get(reverse("home"))
    assert page.wsgi_request.journal_key is None

    refused = client.post(UNLOCK, {"password": "after the reset"})
    assert "Enter your recovery key as well." in refused.content.decode()
    wrong = client.post(UNLOCK, {"password": "after the reset", "recovery_key": "1234"})
    assert "This is not a recovery key" in wrong.content.decode()
    assert wrong.content.decode().count('value="1234"') == 1  # what was typed is kept

    response = client.post(UNLOCK, {"password": "after the reset", "recovery_key": recovery})
    assert response.status_code == 302
    assert client.get(reverse("home")).wsgi_request.journal_key == opened
    assert journal_keys.journal_key_open(user=user, password="after the reset") == opened


def test_an_open_journal_has_nothing_to_unlock(client, db):
    user = make_user("open@example.com", journal_key=False)
    journal_keys.journal_key_create(user=user, password=PASSWORD)
    sign_in(client, user.email)
    assert client.get(UNLOCK)["Location"] == reverse("home")


def test_a_sign_in_without_the_password_says_the_journal_is_locked(client, db):
    """A passkey (or any sign-in without the password) opens the account, not the journal:
    every page says so calmly, with the way to open it."""
    user = make_user("passkey@example.com", journal_key=False)
    journal_keys.journal_key_create(user=user, password=PASSWORD)
    client.force_login(user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Your journal is locked in this session" in page and UNLOCK in page
    locked = client.get(reverse("journal:entry-list"))
    assert locked.status_code == 423 and UNLOCK in locked.content.decode()
    assert "Your journal is locked in this session" not in client.get(UNLOCK).content.decode()
    client.post(UNLOCK, {"password": PASSWORD})
    page = client.get(reverse("journal:entry-list")).content.decode()
    assert "Your journal is locked in this session" not in page


def test_an_account_without_a_key_yet_is_not_called_locked(client, db):
    client.force_login(make_user("older@example.com", journal_key=False))
    assert "is locked" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("account_signup", "only the recovery key gives you back your journal"),
        (
            "account_reset_password",
            "A reset by email gives you back your account, not your journal",
        ),
    ],
)
def test_the_pages_say_what_a_reset_means_before_it_matters(client, db, name, words):
    assert words in client.get(reverse(name)).content.decode()


def test_an_account_without_a_key_yet_is_told_when_it_gets_one(client, db):
    client.force_login(make_user("passkey-only@example.com", journal_key=False))
    page = client.get(RECOVERY).content.decode()
    assert "Your journal gets its key at your next sign-in" in page
    assert "is locked" not in page and "not marked as kept" not in page
