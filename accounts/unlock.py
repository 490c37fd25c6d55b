"""The journal key of a signed-in request.

At sign-in the password opens the journal key (accounts.journal_keys). Between requests
it is kept in the session only sealed under a random secret that lives in the browser's
cookie alone (JOURNAL_KEY_COOKIE: HttpOnly, SameSite, `__Host-` and Secure behind TLS). A
request that carries both opens it again (`JournalKeyMiddleware`, `request.journal_key`);
the sessions table without the cookie, or the cookie without the session, opens nothing.
Logging out, ending the session from the sessions page or the session expiring makes it
unreadable, and the middleware then drops the cookie.
"""

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from . import keys
from .journal_keys import Opened, current_key, journal_key_create, journal_key_open

SESSION_KEY = "_journal_key"
RECOVERY_TO_SHOW = "_recovery_key_to_show"
# What the pages say without asking the database: the journal is locked in this session,
# the recovery key is still to be kept (set at sign-in, cleared when it changes).
LOCKED = "_journal_locked"
RECOVERY_UNSAVED = "_recovery_unsaved"
_PENDING = "_journal_key_cookie"


def cookie_name() -> str:
    return "__Host-mirror-key" if settings.SESSION_COOKIE_SECURE else "mirror-key"


def unlock(request: HttpRequest, opened: Opened, *, user_id: int) -> None:
    """Keep `opened` for the rest of this session: sealed in the session under a new
    secret that the response gives the browser."""
    setattr(request, _PENDING, keep_in_session(request.session, opened, user_id=user_id))
    request.journal_key = opened


def keep_in_session(session, opened: Opened, *, user_id: int) -> str:
    """Seal `opened` into `session` under a new secret, and return the secret: the
    browser's cookie holds it, the session never."""
    secret = keys.new_session_secret()
    session[SESSION_KEY] = {
        "generation": opened.generation,
        "sealed": keys.seal(secret, opened.key, user_id=user_id),
    }
    session.pop(LOCKED, None)
    return secret


def open_at_sign_in(request: HttpRequest, user, password: str) -> None:
    """Sign-in with a password: open the journal with it and keep the key for the session.
    An account without a key gets one now, and what it wrote before is sealed with it
    (journal.sealing_pass); its recovery key waits, sealed like the
    journal key, to be shown once. A password that no longer opens the key (it was reset
    by email) leaves the journal locked until the recovery key is given."""
    try:
        opened = journal_key_open(user=user, password=password)
    except LookupError:
        opened, recovery = _first_key(user, password)
        unlock(request, opened, user_id=user.pk)
        keep_recovery_to_show(request, recovery, user_id=user.pk)
        request.session[RECOVERY_UNSAVED] = True
        return
    except keys.KeyRefused:
        lock(request)
        return
    unlock(request, opened, user_id=user.pk)


def _first_key(user, password: str) -> tuple[Opened, str]:
    """The first journal key of an account written before encryption came, and its whole
    journal sealed under it, in one transaction: if sealing fails, no key is kept and the
    next sign-in tries again."""
    from journal.sealing import Keyring
    from journal.sealing_pass import seal_journal

    with transaction.atomic():
        opened, recovery = journal_key_create(user=user, password=password)
        seal_journal(user, Keyring.of(opened.key, opened.generation, owner=user.pk))
    return opened, recovery


def start_afresh(request: HttpRequest, user, password: str) -> None:
    """An empty journal under a new key (a new generation), open at once in this session,
    its recovery key waiting to be shown; the earlier key's rows stay, locked."""
    from journal.figures import journal_changed

    opened, recovery = journal_key_create(user=user, password=password)
    journal_changed(user.pk)
    unlock(request, opened, user_id=user.pk)
    keep_recovery_to_show(request, recovery, user_id=user.pk)
    request.session[RECOVERY_UNSAVED] = True


def keep_recovery_to_show(request: HttpRequest, recovery_text: str, *, user_id: int) -> None:
    """Keep a new recovery key until its page shows it, sealed under this session's
    secret: the session table alone never holds it readable."""
    secret = _secret(request)
    raw = keys.parse_recovery_text(recovery_text)
    request.session[RECOVERY_TO_SHOW] = keys.seal(secret, raw, user_id=user_id)


def take_recovery_to_show(request: HttpRequest) -> str | None:
    """The recovery key waiting to be shown, once: it is gone from the session after."""
    sealed = request.session.pop(RECOVERY_TO_SHOW, None)
    secret = _secret(request)
    if not sealed or not secret:
        return None
    try:
        return keys.recovery_text(keys.unseal(secret, sealed, user_id=request.user.pk))
    except keys.KeyRefused:
        return None


def lock(request: HttpRequest) -> None:
    """Forget the journal key for this session (the journal reads as locked)."""
    request.session.pop(SESSION_KEY, None)
    request.session[LOCKED] = True
    request.journal_key = None


def note_recovery_state(request: HttpRequest, user) -> None:
    """Remember for the session whether the recovery key is still to be kept."""
    stored = current_key(user)
    if stored is not None and stored.recovery_saved_at is None:
        request.session[RECOVERY_UNSAVED] = True
    else:
        request.session.pop(RECOVERY_UNSAVED, None)


def on_sign_in(sender, request, user, **kwargs) -> None:
    """Every sign-in (a password, a passkey, a code, a confirmed address): a session that
    did not open the journal with a password says it is locked, and the recovery key's
    state is noted. (A password sign-in opens the journal just after this.)"""
    if request is None or not hasattr(request, "session"):
        return
    if SESSION_KEY not in request.session and current_key(user) is not None:
        request.session[LOCKED] = True
    note_recovery_state(request, user)


def _secret(request: HttpRequest) -> str | None:
    """This session's secret: the one just made for the response, else the browser's."""
    return getattr(request, _PENDING, None) or request.COOKIES.get(cookie_name())


def journal_key_of(request: HttpRequest) -> Opened | None:
    """The journal key this request carries, or None (signed out, locked, or the cookie
    and the session do not belong together)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    stored = request.session.get(SESSION_KEY)
    secret = _secret(request)
    if not stored or not secret:
        return None
    try:
        key = keys.unseal(secret, stored["sealed"], user_id=user.pk)
    except (keys.KeyRefused, KeyError, TypeError):
        return None
    return Opened(key, stored["generation"])


class JournalKeyMiddleware:
    """Gives every request `request.journal_key` (an `Opened`, or None), hands the browser
    the secret of a session just unlocked, and drops the cookie once the session no longer
    holds a key (after logout, or when it ended elsewhere)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # One AES-GCM opening, only for a session that holds a key.
        request.journal_key = journal_key_of(request) if SESSION_KEY in request.session else None
        response = self.get_response(request)
        secret = getattr(request, _PENDING, None)
        name = cookie_name()
        if secret and SESSION_KEY in request.session:
            response.set_cookie(
                name,
                secret,
                max_age=(
                    None
                    if request.session.get_expire_at_browser_close()
                    else request.session.get_expiry_age()
                ),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
                path="/",
            )
        elif name in request.COOKIES and SESSION_KEY not in request.session:
            response.delete_cookie(name, path="/", samesite="Lax")
        return response
