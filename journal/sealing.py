"""Sealing what a person writes: each value encrypted under their journal key
(accounts.keys), with a fresh nonce, and bound to its place (the table, the field, the
owner and the row) as associated data, so a sealed value moved to another row, field or
account no longer opens.

A sealed value is bytes, stored as they are (`bytea` on PostgreSQL, a BLOB on SQLite):
`m1.<generation>.` in ASCII, then the nonce, the ciphertext and its tag. `m1` names this
format; the generation says which of the user's journal keys sealed it (a journal started
afresh after a lost password has a new one). Raw bytes, not text: a search reads a whole
journal, and decoding base64 was a third of its time (migration 0019 turned the earlier
`m1.<generation>.<base64>` text into these bytes, without any key).

The key of the request is active for the code that runs inside `keys_active(...)`
(the middleware of journal/sealing opens it for every signed-in request), for its owner
alone: `seal` and `unseal` find the keyring of the value's owner there, and without it
raise `JournalLocked`, so a request can neither read nor write another account's words.

A journal key also gives a keyed digest (`Keyring.index`): what lets the database match a
value without holding it (a tag's name, case-folded), equal only within one journal.
"""

import contextvars
import hashlib
import hmac
import os
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

FORMAT = "m1"
NONCE_BYTES = 12


class JournalLocked(Exception):
    """The words are sealed under a key this request does not hold."""


class SealBroken(ValueError):
    """A sealed value that does not open under its key in its place: moved, or altered."""


@dataclass(frozen=True)
class Place:
    """Where a value lives: what it is bound to."""

    table: str
    field: str
    owner: int
    row: str

    def associated_data(self) -> bytes:
        return f"{_place_prefix(self.table, self.field, self.owner)}{self.row}".encode()


def _place_prefix(table: str, field: str, owner: int) -> str:
    return f"{FORMAT}/{table}/{field}/user:{owner}/row:"


class Keyring:
    """The journal keys of one account (`owner`) that a request holds, by generation, and
    which one seals new words. Lives as long as the request; its derived keys with it."""

    def __init__(self, keys: dict[int, bytes], current: int, owner: int | None = None) -> None:
        self.keys = keys
        self.current = current
        self.owner = owner
        self._ciphers: dict[int, AESGCM] = {}
        self._index_key: bytes | None = None

    @classmethod
    def of(cls, key: bytes, generation: int, owner: int | None = None) -> "Keyring":
        return cls({generation: key}, generation, owner)

    def for_owner(self, owner: int) -> "Keyring | None":
        """This keyring when it is `owner`'s: the lookup every seal and unseal goes through."""
        return self if self.owner == owner else None

    def cipher(self, generation: int) -> AESGCM:
        cipher = self._ciphers.get(generation)
        if cipher is None:
            # A key of its own for the words, derived from the journal key (HKDF), so the
            # journal key itself encrypts nothing but what wraps other keys.
            cipher = self._ciphers[generation] = AESGCM(self._derive(generation, b"fields"))
        return cipher

    def cache_cipher(self) -> AESGCM:
        """The cipher of this journal's words in the process's cache (SealedLocMemCache)."""
        cipher = self._ciphers.get(-1)
        if cipher is None:
            cipher = self._ciphers[-1] = AESGCM(self._derive(self.current, b"cache"))
        return cipher

    def index(self, text: str) -> str:
        """A keyed digest of `text` (HMAC-SHA-256 under a key of the current journal key):
        equal texts give equal digests in this journal only, and the digest says nothing
        of the text to anyone without the key."""
        if self._index_key is None:
            self._index_key = self._derive(self.current, b"index")
        return hmac.new(self._index_key, text.encode(), hashlib.sha256).hexdigest()

    def _derive(self, generation: int, purpose: bytes) -> bytes:
        key = self.keys.get(generation)
        if key is None:
            raise JournalLocked(f"generation {generation}")
        return HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"mirror " + purpose
        ).derive(key)


class Keys(Protocol):
    """What `keys_active` holds: a keyring, or anything that finds one by owner."""

    def for_owner(self, owner: int) -> Keyring | None: ...


_active: contextvars.ContextVar[Keys | None] = contextvars.ContextVar(
    "journal_keyring", default=None
)


@contextmanager
def keys_active(keys: Keys | None) -> Iterator[None]:
    token = _active.set(keys)
    try:
        yield
    finally:
        _active.reset(token)


def active_keyring() -> Keys | None:
    return _active.get()


def request_keyring() -> Keyring | None:
    """The keyring of the request this code serves (the middleware's), if any."""
    active = _active.get()
    return active if isinstance(active, Keyring) else None


def keyed_digest(text: str) -> str:
    """A digest of `text` to name a cached value by: keyed by the request's journal (its
    words cannot be guessed back from it), or plain SHA-256 outside a request."""
    keyring = request_keyring()
    if keyring is not None:
        return keyring.index(text)
    return hashlib.sha256(text.encode()).hexdigest()


def keyring_for(owner: int) -> Keyring:
    """The active keyring of `owner`'s journal; JournalLocked when this code holds none."""
    active = _active.get()
    keyring = active.for_owner(owner) if active is not None else None
    if keyring is None:
        raise JournalLocked(f"no journal key of user {owner} is active")
    return keyring


_SEALED_PREFIX = f"{FORMAT}.".encode()


def is_sealed(stored: bytes) -> bool:
    return isinstance(stored, bytes) and stored.startswith(_SEALED_PREFIX)


def seal(text: str, place: Place, keyring: Keyring | None = None) -> bytes:
    """`text` sealed for `place` under the current generation of its owner's active key."""
    keyring = keyring or keyring_for(place.owner)
    nonce = os.urandom(NONCE_BYTES)
    sealed = keyring.cipher(keyring.current).encrypt(nonce, text.encode(), place.associated_data())
    return b"%s%d.%s%s" % (_SEALED_PREFIX, keyring.current, nonce, sealed)


def unseal(stored: bytes | str, place: Place, keyring: Keyring | None = None) -> str:
    """The words sealed in `stored` for `place`; a value not yet sealed (written before
    encryption, until the account's first sign-in seals it) comes back as its text."""
    if not is_sealed(stored):
        return stored.decode() if isinstance(stored, bytes) else stored
    keyring = keyring or keyring_for(place.owner)
    return opener(place.table, place.field, place.owner, keyring)(stored, place.row)


def opener(table: str, field: str, owner: int, keyring: Keyring) -> Callable[[bytes, str], str]:
    """`unseal` for one field of many rows of one owner (a search reads a whole journal):
    `opener(...)(stored, row)` checks the same, with less work per row."""
    prefix = _place_prefix(table, field, owner).encode()
    ciphers: dict[bytes, AESGCM] = {}
    start = len(_SEALED_PREFIX)

    def open_row(stored: bytes, row: str) -> str:
        if not stored.startswith(_SEALED_PREFIX):
            return stored.decode()
        end = stored.find(b".", start)
        generation = stored[start:end]
        try:
            cipher = ciphers.get(generation)
            if cipher is None:
                cipher = ciphers[generation] = keyring.cipher(int(generation))
            nonce = end + 1 + NONCE_BYTES
            return cipher.decrypt(
                stored[end + 1 : nonce], stored[nonce:], prefix + row.encode()
            ).decode()
        except (InvalidTag, ValueError):
            raise SealBroken(f"{table}.{field} of row {row}") from None

    return open_row


class SealingMiddleware:
    """Runs each signed-in request with its journal key active (accounts/unlock.py opens
    it), so the journal's models seal and open words without passing keys around. A
    streamed response that reads words after the view returned takes the keys with it
    (journal/views/export.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        opened = getattr(request, "journal_key", None)
        keyring = (
            Keyring.of(opened.key, opened.generation, owner=request.user.pk)
            if opened is not None
            else None
        )
        with keys_active(keyring):
            return self.get_response(request)

    def process_exception(self, request, exception):
        """A page that needs words this request cannot open says so calmly, with the way
        to open them; a script (autosave) is told with a status it can act on."""
        if not isinstance(exception, JournalLocked):
            return None
        from django.http import JsonResponse
        from django.shortcuts import render

        from accounts.journal_keys import current_key

        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse({"error": "locked"}, status=423)
        user = request.user
        has_key = user.is_authenticated and current_key(user) is not None
        context = {"has_key": has_key, "locked_page": True}  # its own words, not the notice
        return render(request, "journal/locked.html", context, status=423)


# The journal's words in the process's cache ------------------------------------------------


class _SealedValue:
    """A cached value as SealedLocMemCache keeps it: sealed bytes, nothing readable."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __reduce__(self):
        return (_SealedValue, (self.data,))


_MISSING = object()


class SealedLocMemCache(LocMemCache):
    """The `journal-words` cache alias (config/settings.py): Django's LocMemCache whose
    values are sealed under a key derived from the request's journal key, bound to their
    cache key. A figure or a drawn fragment that holds what someone wrote is readable only
    by a request that carries that journal's key: another journal's request, a locked one
    or code outside a request finds nothing there (and keeps nothing). Figures without
    words stay in the plain `journal` alias, which costs nothing to read."""

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        sealed = self._seal(key, value)
        return sealed is not None and super().add(key, sealed, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        sealed = self._seal(key, value)
        if sealed is not None:
            super().set(key, sealed, timeout, version)

    def get(self, key, default=None, version=None):
        value = super().get(key, _MISSING, version)
        if not isinstance(value, _SealedValue):
            return default
        keyring = request_keyring()
        if keyring is None:
            return default
        try:
            data = keyring.cache_cipher().decrypt(
                value.data[:NONCE_BYTES], value.data[NONCE_BYTES:], str(key).encode()
            )
        except InvalidTag:  # another journal's, under the same name
            return default
        return pickle.loads(data)  # sealed by this process, under this very key

    def _seal(self, key, value) -> _SealedValue | None:
        keyring = request_keyring()
        if keyring is None:
            return None
        nonce = os.urandom(NONCE_BYTES)
        data = keyring.cache_cipher().encrypt(nonce, pickle.dumps(value), str(key).encode())
        return _SealedValue(nonce + data)
