"""Mirror's allauth adapters: mail through the worker, and two-factor secrets sealed.

allauth renders its mail (confirmation, password reset, account notices) in the request,
with Mirror's own wording (templates/account/email/), and AccountAdapter hands it to the
background worker (accounts/mail.py) instead of sending it there and then.

allauth's two-factor secrets are encrypted before they are stored.

allauth keeps an authenticator app's TOTP key and the seed of the recovery codes in the
database, and asks its adapter to encrypt them (`encrypt`/`decrypt`). Whoever could read
those values could produce valid codes, so they are sealed with Fernet (AES with an HMAC)
under a key from the environment, DJANGO_MFA_KEY: someone with a copy of the database
but not the key gets nothing.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site

from . import mail
from .keys import server_fernet

# Marks a sealed value. A value without it was stored in plain text: before this adapter
# existed (the migration 0004 seals those), or by an app server still running the previous
# release while a new one was being rolled out. Such a value is read as it is, so nobody is
# locked out of their account by an upgrade.
SEALED = "fernet:"


def _fernet(key: str) -> Fernet:
    return server_fernet(key, b"mirror two-factor secrets")


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


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        mail.queue(self.render_mail(template_prefix, email, ctx))
