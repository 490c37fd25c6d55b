"""allauth's two-factor secrets, encrypted before they are stored.

allauth keeps an authenticator app's TOTP key and the seed of the recovery codes in the
database, and asks its adapter to encrypt them (`encrypt`/`decrypt`). Whoever could read
those values could produce valid codes, so they are sealed with Fernet (AES with an HMAC)
under a key from the environment, DJANGO_MFA_KEY: someone with a copy of the database
but not the key gets nothing.
"""

import base64
from functools import cache

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

# Marks a sealed value. A value without it was stored in plain text: before this adapter
# existed (the migration 0004 seals those), or by an app server still running the previous
# release while a new one was being rolled out. Such a value is read as it is, so nobody is
# locked out of their account by an upgrade.
SEALED = "fernet:"


@cache
def _fernet(key: str) -> Fernet:
    # Any long random string is a key; HKDF turns it into the 32 bytes Fernet needs.
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"mirror two-factor secrets"
    ).derive(key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(text: str) -> str:
    return SEALED + _fernet(settings.TWO_FACTOR_KEY).encrypt(text.encode()).decode()


def unseal(stored: str) -> str:
    """The secret of a stored value. A sealed value that this key cannot open raises
    cryptography's InvalidToken: a changed DJANGO_MFA_KEY must fail loudly, not as
    "wrong code"."""
    if not stored.startswith(SEALED):
        return stored
    token = stored.removeprefix(SEALED).encode()
    return _fernet(settings.TWO_FACTOR_KEY).decrypt(token).decode()


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return seal(text)

    def decrypt(self, encrypted_text: str) -> str:
        return unseal(encrypted_text)
