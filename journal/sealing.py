"""Sealing what a person writes: each value encrypted under their journal key
(accounts.keys), with a fresh nonce, and bound to its place (the table, the field, the
owner and the row) as associated data, so a sealed value moved to another row, field or
account no longer opens.

A sealed value is text, so it fits the columns that held the words:
`m1.<generation>.<base64 of nonce, ciphertext and tag>`. `m1` names this format; the
generation says which of the user's journal keys sealed it (a journal started afresh after
a lost password has a new one).

The key of the request is active for the code that runs inside `keys_active(...)`
(the middleware of journal/sealing opens it for every signed-in request); `seal` and
`unseal` use it, and without it `unseal` raises `JournalLocked`.
"""

import base64
import contextvars
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

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
        return f"{FORMAT}/{self.table}/{self.field}/user:{self.owner}/row:{self.row}".encode()


class Keyring:
    """The journal keys a request holds, by generation, and which one seals new words.
    Lives as long as the request; its derived ciphers with it."""

    def __init__(self, keys: dict[int, bytes], current: int) -> None:
        self.keys = keys
        self.current = current
        self._ciphers: dict[int, AESGCM] = {}

    @classmethod
    def of(cls, key: bytes, generation: int) -> "Keyring":
        return cls({generation: key}, generation)

    def cipher(self, generation: int) -> AESGCM:
        cipher = self._ciphers.get(generation)
        if cipher is None:
            key = self.keys.get(generation)
            if key is None:
                raise JournalLocked(f"generation {generation}")
            # A key of its own for the words, derived from the journal key (HKDF), so the
            # journal key itself encrypts nothing but what wraps other keys.
            derived = HKDF(
                algorithm=hashes.SHA256(), length=32, salt=None, info=b"mirror fields"
            ).derive(key)
            cipher = self._ciphers[generation] = AESGCM(derived)
        return cipher


_active: contextvars.ContextVar[Keyring | None] = contextvars.ContextVar(
    "journal_keyring", default=None
)


@contextmanager
def keys_active(keyring: Keyring | None) -> Iterator[None]:
    token = _active.set(keyring)
    try:
        yield
    finally:
        _active.reset(token)


def active_keyring() -> Keyring | None:
    return _active.get()


def is_sealed(stored: str) -> bool:
    return stored.startswith(FORMAT + ".")


def seal(text: str, place: Place, keyring: Keyring | None = None) -> str:
    """`text` sealed for `place` under the current generation of the active keys."""
    keyring = keyring or active_keyring()
    if keyring is None:
        raise JournalLocked("no journal key is active")
    nonce = os.urandom(NONCE_BYTES)
    sealed = keyring.cipher(keyring.current).encrypt(nonce, text.encode(), place.associated_data())
    body = base64.b64encode(nonce + sealed).decode()
    return f"{FORMAT}.{keyring.current}.{body}"


def unseal(stored: str, place: Place, keyring: Keyring | None = None) -> str:
    """The words sealed in `stored` for `place`; a value not yet sealed (written before
    encryption, until the account's first sign-in seals it) comes back as it is."""
    if not is_sealed(stored):
        return stored
    keyring = keyring or active_keyring()
    if keyring is None:
        raise JournalLocked("no journal key is active")
    try:
        _, generation, body = stored.split(".", 2)
        raw = base64.b64decode(body, validate=True)
        return (
            keyring.cipher(int(generation))
            .decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], place.associated_data())
            .decode()
        )
    except JournalLocked:
        raise
    except (InvalidTag, ValueError):
        raise SealBroken(f"{place.table}.{place.field} of row {place.row}") from None


class SealingMiddleware:
    """Runs each signed-in request with its journal key active (accounts/unlock.py opens
    it), so the journal's models seal and open words without passing keys around. A
    streamed response that reads words after the view returned takes the keyring with it
    (`active_keyring()` while the view runs)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        opened = getattr(request, "journal_key", None)
        keyring = Keyring.of(opened.key, opened.generation) if opened is not None else None
        with keys_active(keyring):
            return self.get_response(request)
