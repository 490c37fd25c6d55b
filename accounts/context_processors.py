"""What every page may say about the journal's key, without asking the database: whether
this session holds it, and whether the recovery key is still to be kept
(accounts/unlock.py keeps both in the session)."""

from .unlock import LOCKED, RECOVERY_UNSAVED


def journal_key(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    session = request.session
    return {
        "journal_locked": bool(session.get(LOCKED)) and request.journal_key is None,
        "recovery_unsaved": bool(session.get(RECOVERY_UNSAVED)),
    }
