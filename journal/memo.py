"""Figures derived from a whole journal, remembered by each server process until the journal
changes.

A few figures read every entry: the timeline's counts and moods per period read each entry's
date and mood, the streak walks back through every consecutive day written, the entry count
counts them all. They change only when the journal does, so each process keeps them under
the user's `journal_version`, which every change to an entry, its tags, a timeline event or
one of the user's own prompts sets to a new random value (the signals in journal.models;
bulk writers call `journal_changed`). The version is read with the user at the start of
every request, so no server ever answers from figures older than the journal, wherever the
change was made: app servers share nothing but the database, and nothing is kept outside it
for longer than a process lives.

What is kept: dates, moods, counts, entry ids (which entries a list shows, a search's
ranking), tag names, today's prompt and the timeline (its events with their notes, the
periods, the picture), never what an entry says. At most `MAX_USERS` users per process and
`MAX_NAMES` figures per user, the least recently used forgotten first: a ten-year journal's
figures take about a third of a megabyte, so a worker holds some 70 MB at most.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.contrib.auth import get_user_model

MAX_USERS = 200
MAX_NAMES = 40

_lock = threading.Lock()
# (user id, date joined) -> (journal version, {name: value}). The date joined tells apart
# a new account that is given the id of a deleted one (SQLite reuses the highest id).
_memo: OrderedDict[tuple, tuple[int, dict[Hashable, Any]]] = OrderedDict()


def remember(user, name: Hashable, compute: Callable[[], Any]) -> Any:
    """`compute()`, or what it gave for this user's journal at its current version. `name`
    must say everything else the value depends on (today's date, a year…)."""
    key, version = (user.pk, user.date_joined), user.journal_version
    with _lock:
        held = _memo.get(key)
        if held is not None and held[0] == version:
            _memo.move_to_end(key)
            if name in held[1]:
                return held[1][name]
    value = compute()
    with _lock:
        held = _memo.get(key)
        if held is None or held[0] != version:
            held = (version, {})
            _memo[key] = held
        figures = held[1]
        figures[name] = value
        while len(figures) > MAX_NAMES:
            del figures[next(iter(figures))]
        _memo.move_to_end(key)
        while len(_memo) > MAX_USERS:
            _memo.popitem(last=False)
    return value


def journal_changed(user_id: int) -> None:
    """Record that a user's journal changed: what was remembered is derived again. This
    process also forgets at once, for the rest of a request that still holds the user as
    loaded before the change."""
    get_user_model().bump_journal_version(user_id)
    with _lock:
        for key in [key for key in _memo if key[0] == user_id]:
            del _memo[key]
