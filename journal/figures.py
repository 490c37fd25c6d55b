"""Figures derived from a whole journal, kept in Django's cache until the journal changes.

A few figures read every entry or every event: the timeline's periods and their rows, a
calendar year, a search's ranking, the rendered pictures. They change only when the
journal does, so they are kept under the user's **journal stamp**: the user's id, when the
account was made (a new account may be given a deleted one's id) and `journal_version`, a
random value that every change to the journal renews. A change needs no invalidation: the
next request reads the new version with the user and finds nothing under it.

The version is renewed in one place, `journal_changed`, called by the journal models
(`JournalPart.save` and `delete`, and `JournalQuerySet`'s `update`, `delete`,
`bulk_create` and `bulk_update`, so no bulk path can skip it) and by the tag links'
`m2m_changed` receiver.

The figures go to the cache alias `journal` (config/settings.py), a `LocMemCache` inside
each server process, and never to Redis or the database: a cache shared between processes
is readable by anything that reaches it (and, for the database cache, by every backup).
Those that hold what a user wrote (a tag, a timeline note, a drawn list of entries) go to
`journal-words`, where they are sealed under the request's journal key
(journal.sealing.SealedLocMemCache): only a request carrying that key reads them, so even
the process keeps no readable words between requests. A figure is
either derived from committed rows under the version committed with them, or under a
version that no later change will reuse, so no server answers from figures older than the
journal.

    cached(user, ("timeline", today), derive, words=True)     # in Python
    {% cache None "timeline-lists" request.user.journal_stamp today using="journal-words" %}

Keep here only what is worth keeping: a figure one query would give is read again.
"""

import hashlib
import secrets
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Any

from django.core.cache import caches
from django.core.signals import request_started
from django.dispatch import receiver

ALIAS = "journal"
WORDS_ALIAS = "journal-words"
_MISSING = object()

# The users whose journal changed during this request (or every user, after a bulk change
# whose users were not read): their stamp is read again before a figure is looked up, so
# a page drawn after a change in the same request shows it.
_changed: ContextVar[frozenset[int] | None] = ContextVar("journal_changed", default=frozenset())
_EVERYONE = None


def new_version() -> int:
    return secrets.randbits(63)


def journal_changed(*user_ids: int) -> None:
    """Record that these users' journals changed (one UPDATE). With no user ids, the caller
    does not know whose: see `journal_changed_where`."""
    from django.contrib.auth import get_user_model

    ids = {pk for pk in user_ids if pk is not None}
    if not ids:
        return
    get_user_model().objects.filter(pk__in=ids).update(journal_version=new_version())
    _note_changed(ids)


def journal_changed_where(user_ids) -> None:
    """As `journal_changed`, for the users a subquery selects (`qs.values("user_id")`): a
    bulk change renews their version in the same statement, without reading them."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(pk__in=user_ids).update(journal_version=new_version())
    _changed.set(_EVERYONE)


def _note_changed(ids: set[int]) -> None:
    changed = _changed.get()
    if changed is not _EVERYONE:
        _changed.set(changed | ids)


def journal_stamp(user) -> str:
    """The key of the user's journal as it is now: id, account, version."""
    changed = _changed.get()
    if changed is _EVERYONE or user.pk in changed:
        user.refresh_from_db(fields=["journal_version"])
        # A request serves one user: after a bulk change, that user is read again once.
        _changed.set(frozenset() if changed is _EVERYONE else changed - {user.pk})
    joined = int(user.date_joined.timestamp() * 1_000_000)
    return f"{user.pk}.{joined}.{user.journal_version}"


def cached(user, name: Hashable, compute: Callable[[], Any], *, words: bool = False) -> Any:
    """`compute()`, or what it gave for this user's journal as it is now. `name` says
    everything else the value depends on (today's date, a year, a digest of a query…); the
    key holds a digest of it. A value that holds what the user wrote (`words`) is kept
    sealed under the request's journal key (WORDS_ALIAS): without it, it is computed."""
    key = f"figure:{journal_stamp(user)}:{hashlib.sha256(repr(name).encode()).hexdigest()[:32]}"
    cache = caches[WORDS_ALIAS if words else ALIAS]
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value)
    return value


@receiver(request_started)
def _new_request(**kwargs) -> None:
    _changed.set(frozenset())
