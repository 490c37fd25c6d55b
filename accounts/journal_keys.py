"""A journal key's life: made at sign-up (or at the first sign-in of an older account),
opened by the password at sign-in, wrapped again when the password changes, recovered with
the recovery key after a password reset, and given a new recovery key on request.

The journal key itself only ever lives in memory; what is stored is in `JournalKey`
(accounts.models) and is useless without the password or the recovery key. The cost of
Argon2id comes from the JOURNAL_KDF setting (production: 46 MiB, one pass; the test suite
sets it cheap through a fixture).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from . import keys
from .models import JournalKey, User

PASSWORD = "password"
RECOVERY = "recovery"


@dataclass(frozen=True)
class Opened:
    """A journal key in memory, and the generation it belongs to."""

    key: bytes
    generation: int


def kdf_cost() -> keys.KdfCost:
    return keys.KdfCost(**getattr(settings, "JOURNAL_KDF", {}))


def current_key(user: User) -> JournalKey | None:
    return user.journal_keys.order_by("-generation").first()


@transaction.atomic
def journal_key_create(*, user: User, password: str) -> tuple[Opened, str]:
    """A new journal key for `user` (a new generation if they had one), wrapped under
    `password` and a new recovery key. Returns the key and the recovery key's text, which
    is shown once and never stored."""
    previous = current_key(user)
    generation = previous.generation + 1 if previous else 1
    journal_key = keys.new_key()
    stored = JournalKey(user=user, generation=generation)
    _wrap_password(stored, journal_key, password)
    recovery = _wrap_recovery(stored, journal_key)
    stored.save()
    if user.journal_generation != generation:  # the journal starts afresh under it
        User.objects.filter(pk=user.pk).update(journal_generation=generation)
        user.journal_generation = generation
    return Opened(journal_key, generation), recovery


def journal_key_open(*, user: User, password: str) -> Opened:
    """The current journal key, opened with the password; KeyRefused when the password
    does not open it (after a reset by email, until the recovery key is given), LookupError
    when the account has no key yet."""
    stored = current_key(user)
    if stored is None:
        raise LookupError(f"user {user.pk} has no journal key")
    kek = keys.password_kek(
        password, bytes(stored.password_salt), keys.KdfCost.from_dict(stored.password_cost)
    )
    journal_key = keys.unwrap(
        kek, bytes(stored.password_wrapped), user_id=user.pk, purpose=_purpose(stored, PASSWORD)
    )
    return Opened(journal_key, stored.generation)


def journal_key_recover(*, user: User, recovery_text: str, generation: int | None = None) -> Opened:
    """A journal key opened with the recovery key (the current generation's, or the one
    named); KeyRefused when the text is not that key."""
    keys_of_user = user.journal_keys.all()
    stored = (
        keys_of_user.filter(generation=generation).first()
        if generation is not None
        else current_key(user)
    )
    if stored is None:
        raise LookupError(f"user {user.pk} has no journal key {generation or ''}".strip())
    recovery = keys.parse_recovery_text(recovery_text)
    kek = keys.recovery_kek(recovery, bytes(stored.recovery_salt))
    journal_key = keys.unwrap(
        kek, bytes(stored.recovery_wrapped), user_id=user.pk, purpose=_purpose(stored, RECOVERY)
    )
    return Opened(journal_key, stored.generation)


@transaction.atomic
def journal_key_rewrap(*, user: User, opened: Opened, password: str) -> None:
    """Wrap the opened key under a new password (a password change, or after recovery):
    nothing that was encrypted under the key changes."""
    stored = JournalKey.objects.select_for_update().get(user=user, generation=opened.generation)
    _wrap_password(stored, opened.key, password)
    stored.save(update_fields=["password_salt", "password_cost", "password_wrapped"])


@transaction.atomic
def recovery_key_renew(*, user: User, opened: Opened) -> str:
    """A new recovery key for the opened key; the old one stops working at once."""
    stored = JournalKey.objects.select_for_update().get(user=user, generation=opened.generation)
    recovery = _wrap_recovery(stored, opened.key)
    stored.recovery_saved_at = None
    stored.save(update_fields=["recovery_salt", "recovery_wrapped", "recovery_saved_at"])
    return recovery


def _wrap_password(stored: JournalKey, journal_key: bytes, password: str) -> None:
    cost = kdf_cost()
    stored.password_salt = keys.new_salt()
    stored.password_cost = cost.as_dict()
    kek = keys.password_kek(password, stored.password_salt, cost)
    stored.password_wrapped = keys.wrap(
        kek, journal_key, user_id=stored.user_id, purpose=_purpose(stored, PASSWORD)
    )


def _wrap_recovery(stored: JournalKey, journal_key: bytes) -> str:
    recovery = keys.new_recovery_key()
    stored.recovery_salt = keys.new_salt()
    stored.recovery_wrapped = keys.wrap(
        keys.recovery_kek(recovery, stored.recovery_salt),
        journal_key,
        user_id=stored.user_id,
        purpose=_purpose(stored, RECOVERY),
    )
    return keys.recovery_text(recovery)


def _purpose(stored: JournalKey, kind: str) -> str:
    return f"journal-key/{stored.generation}/{kind}"
