"""journal.sealing: words sealed under the journal key, bound to their place."""

from types import SimpleNamespace

import pytest

from accounts import keys
from journal import sealing

# Owners no test user has: only the keyrings a test passes open them.
ME, SOMEONE = 999_999_007, 999_999_008
PLACE = sealing.Place("journal_entry", "body", owner=ME, row="0b5e…")


@pytest.fixture
def keyring():
    return sealing.Keyring.of(keys.new_key(), 1, owner=ME)


def test_words_come_back_as_written_and_are_not_in_what_is_stored(keyring):
    words = "The lighthouse again, 3 a.m. — café, 🌙"
    stored = sealing.seal(words, PLACE, keyring)
    assert sealing.is_sealed(stored) and stored.startswith(b"m1.1.")
    assert b"lighthouse" not in stored.lower()
    assert sealing.unseal(stored, PLACE, keyring) == words


def test_each_seal_is_different(keyring):
    assert sealing.seal("same", PLACE, keyring) != sealing.seal("same", PLACE, keyring)


@pytest.mark.parametrize(
    "elsewhere",
    [
        sealing.Place("journal_entry", "title", owner=ME, row="0b5e…"),  # another field
        sealing.Place("journal_entry", "body", owner=SOMEONE, row="0b5e…"),  # another account
        sealing.Place("journal_entry", "body", owner=ME, row="1c6f…"),  # another row
        sealing.Place("journal_draft", "body", owner=ME, row="0b5e…"),  # another table
    ],
)
def test_a_value_moved_elsewhere_does_not_open(keyring, elsewhere):
    stored = sealing.seal("words", PLACE, keyring)
    with pytest.raises(sealing.SealBroken):
        sealing.unseal(stored, elsewhere, keyring)


def test_an_altered_value_does_not_open(keyring):
    stored = sealing.seal("words", PLACE, keyring)
    for altered in [stored[:-2] + b"AA", stored.replace(b"m1.1.", b"m1.1.A"), b"m1.1.%%%"]:
        with pytest.raises(sealing.SealBroken):
            sealing.unseal(altered, PLACE, keyring)


def test_without_the_key_the_journal_is_locked(keyring):
    stored = sealing.seal("words", PLACE, keyring)
    with pytest.raises(sealing.JournalLocked):
        sealing.unseal(stored, PLACE)  # no key active
    with pytest.raises(sealing.JournalLocked):
        sealing.unseal(stored, PLACE, sealing.Keyring.of(keys.new_key(), 2))  # another one
    with pytest.raises(sealing.SealBroken):
        sealing.unseal(stored, PLACE, sealing.Keyring.of(keys.new_key(), 1))  # a wrong one


def test_the_active_keys_serve_the_code_inside_and_no_longer(keyring):
    before = sealing.active_keyring()
    with sealing.keys_active(keyring):
        stored = sealing.seal("words", PLACE)
        assert sealing.unseal(stored, PLACE) == "words"
        with pytest.raises(sealing.JournalLocked):  # only its owner's words
            sealing.seal("words", sealing.Place("journal_entry", "body", owner=SOMEONE, row="x"))
    assert sealing.active_keyring() is before
    with pytest.raises(sealing.JournalLocked):
        sealing.unseal(stored, PLACE)


def test_the_keyed_digest_is_the_same_for_the_same_text_in_one_journal_only(keyring):
    other = sealing.Keyring.of(keys.new_key(), 1, owner=SOMEONE)
    assert keyring.index("mirror") == keyring.index("mirror") != keyring.index("mirrors")
    assert keyring.index("mirror") != other.index("mirror")
    assert "mirror" not in keyring.index("mirror")


def test_words_written_before_encryption_read_as_they_are():
    assert sealing.unseal("written in 2024", PLACE) == "written in 2024"


def test_a_request_runs_with_its_journal_key_active_and_no_longer(rf):
    from accounts.journal_keys import Opened

    opened = Opened(keys.new_key(), 3)
    seen = []

    def view(request):
        seen.append(sealing.active_keyring())
        return "response"

    before = sealing.active_keyring()
    request = rf.get("/")
    request.user = SimpleNamespace(pk=5)
    request.journal_key = opened
    assert sealing.SealingMiddleware(view)(request) == "response"
    assert seen[0].keys == {3: opened.key} and seen[0].current == 3 and seen[0].owner == 5
    assert sealing.active_keyring() is before

    locked = rf.get("/")
    locked.journal_key = None
    sealing.SealingMiddleware(view)(locked)
    assert seen[1] is None


# The journal's words in the process's cache ------------------------------------------------


def _stored_bytes(*aliases) -> bytes:
    """Everything the journal caches keep in the process's memory, keys and values."""
    from django.core.cache import caches

    stored = b""
    for alias in aliases:
        cache = caches[alias]
        stored += b"".join(bytes(value) for value in cache._cache.values())
        stored += b"".join(key.encode() for key in cache._cache)
    return stored


def test_words_in_the_cache_open_only_for_their_journals_request(keyring):
    from django.core.cache import caches

    cache = caches["journal-words"]
    with sealing.keys_active(keyring):
        cache.set("figure", {"note": "MARKERWORD by the lighthouse"})
        assert cache.get("figure") == {"note": "MARKERWORD by the lighthouse"}
    assert b"MARKERWORD" not in _stored_bytes("journal-words")
    assert cache.get("figure") is None  # outside a request: nothing
    with sealing.keys_active(sealing.Keyring.of(keys.new_key(), 1, owner=SOMEONE)):
        assert cache.get("figure") is None  # another journal's request: nothing either
        cache.set("figure", "theirs")
        assert cache.get("figure") == "theirs"
    with sealing.keys_active(keyring):
        assert cache.get("figure") is None  # …and that one is not readable by the first


def test_pages_keep_their_words_sealed_in_the_cache_and_draw_the_same_from_it(alice_client, alice):
    import datetime as dt

    from django.urls import reverse

    from journal.models import TimelineEvent
    from tests.factories import make_entry

    TimelineEvent.objects.create(
        user=alice, kind="contact", occurred_on=dt.date(2025, 3, 1), note="MARKERWORD called"
    )
    make_entry(alice, title="MARKERTITLE", tags=["markertag"], written_on=dt.date(2025, 3, 2))
    for url, words in [
        (reverse("journal:timeline"), "MARKERWORD called"),
        (reverse("journal:entry-list"), "MARKERTITLE"),
        (reverse("journal:entry-list") + "?tag=markertag", "MARKERTITLE"),
        (reverse("journal:entry-list") + "?q=markertitle", "MARKERTITLE"),
        (reverse("home"), "MARKERTITLE"),
        (reverse("journal:calendar"), "March"),
        (reverse("journal:prompt-list"), "Prompts"),
    ]:
        first = alice_client.get(url).content.decode()
        again = alice_client.get(url).content.decode()  # drawn from the cache
        assert first.count(words) == again.count(words) >= 1, url
    stored = _stored_bytes("journal", "journal-words")
    assert stored  # figures and fragments are kept…
    for marker in [b"MARKERWORD", b"MARKERTITLE", b"markertag"]:
        assert marker not in stored  # …and none of the words are readable
