"""Security events, written to the `mirror.security` logger.

Each event is one line: its name and the user's id. Never an email address, never anything
a user wrote, and for a failed login not even the address that was tried — a log is read by
more people, and kept longer, than a diary should be. Receivers are connected in
`AccountsConfig.ready()`.
"""

import logging

from allauth.account import signals as account_signals
from django.contrib.auth import signals as auth_signals

logger = logging.getLogger("mirror.security")


def log_security_event(event: str, user_id: int | None = None, **details: str) -> None:
    """Log one security event. `details` are short fixed words (e.g. the kind of
    authenticator), never user input."""
    parts = [event, f"user_id={user_id if user_id is not None else '-'}"]
    parts += [f"{name}={value}" for name, value in sorted(details.items())]
    logger.info(
        " ".join(parts),
        extra={"security_event": event, "user_id": user_id, **details},
    )


def _user_id(user) -> int | None:
    return getattr(user, "pk", None)


def _on_login(sender, request, user, **kwargs) -> None:
    log_security_event("login", _user_id(user))


def _on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:  # Django sends None when nobody was signed in
        log_security_event("logout", _user_id(user))


def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The credentials (an address, perhaps a password typed into the wrong field) stay out.
    log_security_event("login_failed")


def _on_signup(sender, request, user, **kwargs) -> None:
    log_security_event("signup", _user_id(user))


def _on_password_changed(sender, request, user, **kwargs) -> None:
    log_security_event("password_changed", _user_id(user))


def _on_password_set(sender, request, user, **kwargs) -> None:
    log_security_event("password_set", _user_id(user))


def _on_password_reset(sender, request, user, **kwargs) -> None:
    log_security_event("password_reset", _user_id(user))


def _on_email_added(sender, request, user, email_address, **kwargs) -> None:
    log_security_event("email_added", _user_id(user))


def _on_email_removed(sender, request, user, email_address, **kwargs) -> None:
    log_security_event("email_removed", _user_id(user))


def _on_email_changed(sender, request, user, **kwargs) -> None:
    log_security_event("email_changed", _user_id(user))


def _on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    log_security_event("email_confirmed", email_address.user_id)


def _authenticator_handler(event: str):
    def receiver(sender, request, user, authenticator, **kwargs) -> None:
        log_security_event(event, _user_id(user), type=str(authenticator.type))

    receiver.__name__ = f"_on_{event}"
    return receiver


_on_mfa_added = _authenticator_handler("mfa_added")
_on_mfa_removed = _authenticator_handler("mfa_removed")
_on_mfa_reset = _authenticator_handler("mfa_reset")
_on_mfa_failed = _authenticator_handler("mfa_failed")


def connect() -> None:
    """Connect every receiver. Safe to call more than once (receivers are module-level
    functions, and Django ignores a second connection of the same one)."""
    auth_signals.user_logged_in.connect(_on_login, dispatch_uid="mirror.security.login")
    from .unlock import on_sign_in  # the journal key's state, for the session

    auth_signals.user_logged_in.connect(on_sign_in, dispatch_uid="mirror.journal_key.login")
    auth_signals.user_logged_out.connect(_on_logout, dispatch_uid="mirror.security.logout")
    auth_signals.user_login_failed.connect(
        _on_login_failed, dispatch_uid="mirror.security.login_failed"
    )
    for signal, receiver in [
        (account_signals.user_signed_up, _on_signup),
        (account_signals.password_changed, _on_password_changed),
        (account_signals.password_set, _on_password_set),
        (account_signals.password_reset, _on_password_reset),
        (account_signals.email_added, _on_email_added),
        (account_signals.email_removed, _on_email_removed),
        (account_signals.email_changed, _on_email_changed),
        (account_signals.email_confirmed, _on_email_confirmed),
    ]:
        signal.connect(receiver, dispatch_uid=f"mirror.security{receiver.__name__}")

    # Two-factor events exist only when allauth.mfa is installed; importing its signals
    # module without the app would fail on its settings.
    try:
        from django.apps import apps

        if not apps.is_installed("allauth.mfa"):
            return
        from allauth.mfa.signals import (
            authentication_failed,
            authenticator_added,
            authenticator_removed,
            authenticator_reset,
        )
    except ImportError:
        return
    for signal, receiver in [
        (authenticator_added, _on_mfa_added),
        (authenticator_removed, _on_mfa_removed),
        (authenticator_reset, _on_mfa_reset),
        (authentication_failed, _on_mfa_failed),
    ]:
        signal.connect(receiver, dispatch_uid=f"mirror.security{receiver.__name__}")
