"""accounts.keys: wrapping the journal key under a password or a recovery key, sealing it
for a session, and the recovery key as people read and type it."""

import pytest

from accounts import keys

CHEAP = keys.KdfCost(memory_kib=1024, iterations=1, lanes=1)  # the suite's, not production's


def test_a_password_unwraps_the_key_it_wrapped_and_no_other_does():
    journal_key, salt = keys.new_key(), keys.new_salt()
    wrapped = keys.wrap(
        keys.password_kek("lighthouse at dawn", salt, CHEAP), journal_key, user_id=7, purpose="p"
    )
    kek = keys.password_kek("lighthouse at dawn", salt, CHEAP)
    assert keys.unwrap(kek, wrapped, user_id=7, purpose="p") == journal_key
    assert journal_key not in wrapped
    wrong = keys.password_kek("lighthouse at dusk", salt, CHEAP)
    with pytest.raises(keys.KeyRefused):
        keys.unwrap(wrong, wrapped, user_id=7, purpose="p")


def test_a_wrapped_key_opens_for_its_own_user_and_purpose_only():
    kek, journal_key = keys.new_key(), keys.new_key()
    wrapped = keys.wrap(kek, journal_key, user_id=7, purpose="password")
    for user_id, purpose in [(8, "password"), (7, "recovery"), (7, "session")]:
        with pytest.raises(keys.KeyRefused):
            keys.unwrap(kek, wrapped, user_id=user_id, purpose=purpose)
    tampered = wrapped[:-1] + bytes([wrapped[-1] ^ 1])
    with pytest.raises(keys.KeyRefused):
        keys.unwrap(kek, tampered, user_id=7, purpose="password")


def test_each_wrap_has_a_fresh_nonce():
    kek, journal_key = keys.new_key(), keys.new_key()
    assert keys.wrap(kek, journal_key, user_id=1, purpose="p") != keys.wrap(
        kek, journal_key, user_id=1, purpose="p"
    )


def test_the_salt_changes_the_password_key():
    assert keys.password_kek("same", keys.new_salt(), CHEAP) != keys.password_kek(
        "same", keys.new_salt(), CHEAP
    )


def test_a_recovery_key_reads_back_however_it_is_typed():
    recovery = keys.new_recovery_key()
    text = keys.recovery_text(recovery)
    groups = text.split("-")
    assert len(groups) == 13 and all(len(group) == 4 for group in groups)
    assert keys.parse_recovery_text(text) == recovery
    assert keys.parse_recovery_text(f"  {text.lower().replace('-', ' ')}\n") == recovery
    assert keys.parse_recovery_text(text.replace("1", "l").replace("0", "o")) == recovery


@pytest.mark.parametrize("typed", ["", "1234", "!" * 52, "Z" * 60])
def test_what_cannot_be_a_recovery_key_is_refused(typed):
    with pytest.raises(keys.KeyRefused):
        keys.parse_recovery_text(typed)


def test_most_slips_in_a_recovery_key_are_caught_by_its_check():
    plain = keys.recovery_text(bytes(range(32))).replace("-", "")
    slips = [
        plain[:at] + ("0" if plain[at] != "0" else "1") + plain[at + 1 :]
        for at in range(len(plain))
    ]
    caught = 0
    for slip in slips:
        try:
            keys.parse_recovery_text(slip)
        except keys.KeyRefused:
            caught += 1
    # Four bits of check: about one slip in sixteen slips by.
    assert caught >= 0.85 * len(slips)


def test_the_recovery_key_wraps_the_journal_key():
    recovery, salt, journal_key = keys.new_recovery_key(), keys.new_salt(), keys.new_key()
    wrapped = keys.wrap(keys.recovery_kek(recovery, salt), journal_key, user_id=3, purpose="r")
    opened = keys.unwrap(keys.recovery_kek(recovery, salt), wrapped, user_id=3, purpose="r")
    assert opened == journal_key


def test_a_sealed_key_needs_the_cookie_secret_it_was_sealed_under():
    journal_key, secret = keys.new_key(), keys.new_session_secret()
    sealed = keys.seal(secret, journal_key, user_id=5)
    assert keys.unseal(secret, sealed, user_id=5) == journal_key
    for other_secret, user_id in [(keys.new_session_secret(), 5), (secret, 6)]:
        with pytest.raises(keys.KeyRefused):
            keys.unseal(other_secret, sealed, user_id=user_id)
    for broken in ["", "not base64!", "c2hvcnQ"]:
        with pytest.raises(keys.KeyRefused):
            keys.unseal(broken, sealed, user_id=5)
    with pytest.raises(keys.KeyRefused):
        keys.unseal(secret, "%%%", user_id=5)
