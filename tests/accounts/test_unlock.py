"""The journal key of a signed-in session (accounts/unlock.py): opened by the password at
sign-in, kept in the session only sealed under a secret that lives in the browser's cookie,
gone with the session; a new account's recovery key waits to be shown once."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts import journal_keys, keys, unlock
from accounts.models import JournalKey, User
from tests.factories import PASSWORD, make_user

LOGIN = reverse("account_login")
COOKIE = "mirror-key"


def sign_in(client: Client, email: str, password: str = PASSWORD):
    response = client.post(LOGIN, {"login": email, "password": password})
    assert response.status_code == 302, response.content[:500]
    return response


def key_of(client: Client):
    """The journal key the next request of `client` carries (None: locked or signed out)."""
    return client.get(reverse("home")).wsgi_request.journal_key


@pytest.fixture
def keyed(db):
    user = make_user("keyed@example.com", journal_key=False)
    opened, recovery = journal_keys.journal_key_create(user=user, password=PASSWORD)
    return user, opened, recovery


def test_signing_in_opens_the_journal_for_the_session(client, keyed):
    user, opened, _ = keyed
    response = sign_in(client, user.email)
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/"
    assert key_of(client) == opened
    assert key_of(client) == opened  # every request of the session, not only the first


def test_the_sessions_table_alone_opens_nothing(client, keyed):
    user, opened, _ = keyed
    sign_in(client, user.email)
    (session,) = Session.objects.all()
    stored = repr(session.get_decoded()).encode()
    assert opened.key not in stored and opened.key.hex().encode() not in stored
    # The same session without the browser's secret: the journal reads as locked.
    thief = Client()
    thief.cookies[client.cookies["mirror-session"].key] = client.cookies["mirror-session"].value
    assert key_of(thief) is None
    # The secret of another session does not open this one.
    other = Client()
    sign_in(other, user.email)
    client.cookies[COOKIE] = other.cookies[COOKIE].value
    assert key_of(client) is None


def test_logging_out_forgets_the_key_and_the_cookie(client, keyed):
    user, _, _ = keyed
    sign_in(client, user.email)
    secret = client.cookies[COOKIE].value
    response = client.post(reverse("account_logout"))
    assert response.cookies[COOKIE].value == ""  # deleted
    assert not any(unlock.SESSION_KEY in s.get_decoded() for s in Session.objects.all())
    # The old secret with a new session of the same user opens nothing.
    sign_in(client, user.email)
    assert client.cookies[COOKIE].value != secret


def test_a_new_account_gets_its_key_and_recovery_key_at_sign_up(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": "a long new password",
            "password2": "a long new password",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert JournalKey.objects.filter(user=user).count() == 1
    request = client.get(reverse("home")).wsgi_request
    assert request.journal_key == journal_keys.journal_key_open(
        user=user, password="a long new password"
    )
    recovery = unlock.take_recovery_to_show(request)
    assert (
        journal_keys.journal_key_recover(user=user, recovery_text=recovery) == request.journal_key
    )
    assert unlock.take_recovery_to_show(request) is None  # once


def test_an_older_account_gets_its_key_at_its_first_sign_in(client, db):
    user = make_user("older@example.com", journal_key=False)
    assert not JournalKey.objects.filter(user=user).exists()
    sign_in(client, user.email)
    opened = key_of(client)
    assert opened == journal_keys.journal_key_open(user=user, password=PASSWORD)
    assert client.session.get(unlock.RECOVERY_TO_SHOW)  # waiting, sealed
    sign_in(Client(), user.email)
    assert JournalKey.objects.filter(user=user).count() == 1  # made once


def test_after_a_reset_by_email_the_journal_stays_locked(client, keyed):
    user, _, _ = keyed
    user.set_password("a password after reset")
    user.save()
    sign_in(client, user.email, "a password after reset")
    assert key_of(client) is None
    assert JournalKey.objects.filter(user=user).count() == 1  # nothing replaced


def test_a_password_change_wraps_the_same_key_again(client, keyed):
    user, opened, _ = keyed
    sign_in(client, user.email)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "the next password",
            "password2": "the next password",
        },
    )
    assert response.status_code == 302
    assert journal_keys.journal_key_open(user=user, password="the next password") == opened
    with pytest.raises(keys.KeyRefused):
        journal_keys.journal_key_open(user=user, password=PASSWORD)
