"""accounts.journal_keys: a journal key made at sign-up, opened by the password, wrapped
again on a password change, recovered with the recovery key after a reset, and a new
recovery key that retires the old one. Nothing stored opens without a secret."""

import pytest
from django.db import connection

from accounts import journal_keys, keys
from accounts.models import JournalKey
from tests.factories import make_user


@pytest.fixture
def user(db):
    return make_user("keys@example.com", journal_key=False)


def test_the_password_opens_the_key_made_with_it(user):
    opened, recovery = journal_keys.journal_key_create(user=user, password="first words")
    assert journal_keys.journal_key_open(user=user, password="first words") == opened
    with pytest.raises(keys.KeyRefused):
        journal_keys.journal_key_open(user=user, password="other words")
    assert keys.parse_recovery_text(recovery)


def test_nothing_stored_is_the_key_or_the_recovery_key(user):
    opened, recovery = journal_keys.journal_key_create(user=user, password="first words")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_journalkey")
        stored = b"|".join(
            bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
            for row in cursor.fetchall()
            for value in row
        )
    raw_recovery = keys.parse_recovery_text(recovery)
    for secret in [opened.key, opened.key.hex().encode(), raw_recovery, recovery.encode()]:
        assert secret not in stored
    assert b"first words" not in stored


def test_a_new_password_opens_the_same_key_and_the_old_one_no_longer_does(user):
    opened, _ = journal_keys.journal_key_create(user=user, password="first words")
    journal_keys.journal_key_rewrap(user=user, opened=opened, password="second words")
    assert journal_keys.journal_key_open(user=user, password="second words") == opened
    with pytest.raises(keys.KeyRefused):
        journal_keys.journal_key_open(user=user, password="first words")


def test_the_recovery_key_opens_the_journal_after_a_reset(user):
    opened, recovery = journal_keys.journal_key_create(user=user, password="forgotten")
    # A reset by email changes the password, not the wrap: the new password opens nothing.
    with pytest.raises(keys.KeyRefused):
        journal_keys.journal_key_open(user=user, password="after the reset")
    recovered = journal_keys.journal_key_recover(user=user, recovery_text=recovery.lower())
    assert recovered == opened
    journal_keys.journal_key_rewrap(user=user, opened=recovered, password="after the reset")
    assert journal_keys.journal_key_open(user=user, password="after the reset") == opened


def test_a_new_recovery_key_retires_the_old_one(user):
    opened, old = journal_keys.journal_key_create(user=user, password="words")
    JournalKey.objects.filter(user=user).update(recovery_saved_at="2026-01-01T00:00Z")
    new = journal_keys.recovery_key_renew(user=user, opened=opened)
    assert new != old
    assert journal_keys.journal_key_recover(user=user, recovery_text=new) == opened
    with pytest.raises(keys.KeyRefused):
        journal_keys.journal_key_recover(user=user, recovery_text=old)
    assert JournalKey.objects.get(user=user).recovery_saved_at is None  # remind again


def test_an_empty_journal_is_a_new_generation_and_the_old_key_still_recovers(user):
    first, first_recovery = journal_keys.journal_key_create(user=user, password="lost")
    second, _ = journal_keys.journal_key_create(user=user, password="new start")
    assert (first.generation, second.generation) == (1, 2)
    assert first.key != second.key
    assert journal_keys.journal_key_open(user=user, password="new start") == second
    old = journal_keys.journal_key_recover(user=user, recovery_text=first_recovery, generation=1)
    assert old == first


def test_one_users_wrapped_key_does_not_open_for_another(user):
    other = make_user("other@example.com", journal_key=False)
    journal_keys.journal_key_create(user=user, password="same words")
    journal_keys.journal_key_create(user=other, password="same words")
    mine = JournalKey.objects.get(user=user)
    JournalKey.objects.filter(user=other).update(
        password_salt=mine.password_salt, password_wrapped=mine.password_wrapped
    )
    with pytest.raises(keys.KeyRefused):
        journal_keys.journal_key_open(user=other, password="same words")


def test_an_account_without_a_key_says_so(user):
    with pytest.raises(LookupError):
        journal_keys.journal_key_open(user=user, password="anything")
