"""The keys that keep a journal readable by its author alone (docs/security.md, "Encryption
at rest"). Plain functions over bytes, from the `cryptography` package; no model, no
request.

- A **journal key** is 32 random bytes; everything a user writes is encrypted under it.
- It is stored only **wrapped** (AES-256-GCM): once under a key derived from the user's
  password with Argon2id (a salt of its own, never Django's password hash), and once under
  the user's **recovery key**, 32 random bytes shown once as 13 groups of four letters and
  digits. The recovery key is random, so HKDF is enough to derive its wrapping key.
- Between requests the journal key is **sealed** under a random per-session secret that
  lives only in the browser's cookie: the session table alone opens nothing.

Every wrap and seal names what it is for in its associated data (the user's id and the
purpose), so a wrapped key cannot be moved to another account or used as another kind.
"""

import base64
import functools
import hashlib
import os
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16
# Crockford's base 32: no I, L, O or U, so a key read aloud or copied by hand survives.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READS_AS = {"I": "1", "L": "1", "O": "0", "U": "V"}
RECOVERY_GROUPS = 13  # 13 x 4 characters x 5 bits = 260 bits: the key's 256 and a check


@functools.cache
def server_fernet(secret: str, purpose: bytes) -> Fernet:
    """A Fernet (AES with an HMAC) under a key HKDF derives from a server secret (any long
    random string) for one purpose: two-factor secrets (accounts/adapter.py), queued mail
    (accounts/mail.py). Not for journals: those are under the journal key."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


class KeyRefused(ValueError):
    """A password, recovery key or session secret that does not open what it was given."""


@dataclass(frozen=True)
class KdfCost:
    """Argon2id's cost: memory in KiB, passes over it, lanes. Stored with each wrap, so the
    cost can be raised later without locking anyone out."""

    memory_kib: int = 47_104  # 46 MiB, one pass: OWASP's first Argon2id setting
    iterations: int = 1
    lanes: int = 1

    def as_dict(self) -> dict:
        return {"m": self.memory_kib, "t": self.iterations, "p": self.lanes}

    @classmethod
    def from_dict(cls, data: dict) -> "KdfCost":
        return cls(memory_kib=data["m"], iterations=data["t"], lanes=data["p"])


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def new_salt() -> bytes:
    return secrets.token_bytes(SALT_BYTES)


def password_kek(password: str, salt: bytes, cost: KdfCost) -> bytes:
    """The key that wraps the journal key under `password` (Argon2id)."""
    return Argon2id(
        salt=salt,
        length=KEY_BYTES,
        iterations=cost.iterations,
        lanes=cost.lanes,
        memory_cost=cost.memory_kib,
    ).derive(password.encode())


def recovery_kek(recovery: bytes, salt: bytes) -> bytes:
    """The key that wraps the journal key under a recovery key (HKDF: it is random)."""
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=b"mirror recovery key"
    ).derive(recovery)


def wrap(kek: bytes, key: bytes, *, user_id: int, purpose: str) -> bytes:
    """`key` encrypted under `kek`: a fresh nonce, then the ciphertext and its tag."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(kek).encrypt(nonce, key, _context(user_id, purpose))


def unwrap(kek: bytes, wrapped: bytes, *, user_id: int, purpose: str) -> bytes:
    """The key `wrap` wrapped, or KeyRefused when `kek` (or the context) is not the one."""
    try:
        return AESGCM(kek).decrypt(
            wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], _context(user_id, purpose)
        )
    except (InvalidTag, ValueError):
        raise KeyRefused(purpose) from None


def _context(user_id: int, purpose: str) -> bytes:
    return f"mirror/v1/user:{user_id}/{purpose}".encode()


# The recovery key as people see it --------------------------------------------------------


def new_recovery_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def recovery_text(recovery: bytes) -> str:
    """`7K3Q-…` : 13 groups of four characters, the last four bits a check of the rest."""
    number = int.from_bytes(recovery) << 4 | _check(recovery)
    chars = []
    for _ in range(RECOVERY_GROUPS * 4):
        number, digit = divmod(number, 32)
        chars.append(_ALPHABET[digit])
    text = "".join(reversed(chars))
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def parse_recovery_text(text: str) -> bytes:
    """The recovery key written as `recovery_text` writes it, forgiving case, spaces,
    dashes and the letters that read as digits; KeyRefused when it cannot be one."""
    cleaned = "".join(
        _READS_AS.get(c, c) for c in text.upper() if not c.isspace() and c not in "-_."
    )
    if len(cleaned) != RECOVERY_GROUPS * 4 or any(c not in _ALPHABET for c in cleaned):
        raise KeyRefused("recovery key")
    number = 0
    for c in cleaned:
        number = number * 32 + _ALPHABET.index(c)
    recovery = (number >> 4).to_bytes(KEY_BYTES)
    if number & 0xF != _check(recovery):
        raise KeyRefused("recovery key")
    return recovery


def _check(recovery: bytes) -> int:
    return hashlib.sha256(recovery).digest()[0] >> 4


# Sealing the journal key between requests ----------------------------------------------


def new_session_secret() -> str:
    """The per-session secret the browser keeps in its cookie (URL-safe text)."""
    return base64.urlsafe_b64encode(new_key()).decode().rstrip("=")


def seal(secret: str, key: bytes, *, user_id: int) -> str:
    """The journal key sealed under the cookie's secret, as text for the session."""
    sealed = wrap(_secret_bytes(secret), key, user_id=user_id, purpose="session")
    return base64.b64encode(sealed).decode()


def unseal(secret: str, sealed: str, *, user_id: int) -> bytes:
    try:
        raw = base64.b64decode(sealed, validate=True)
    except ValueError:
        raise KeyRefused("session") from None
    return unwrap(_secret_bytes(secret), raw, user_id=user_id, purpose="session")


def _secret_bytes(secret: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))
    except ValueError:
        raise KeyRefused("session") from None
    if len(raw) != KEY_BYTES:
        raise KeyRefused("session")
    return raw
