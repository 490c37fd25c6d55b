"""Small helpers that create objects explicitly; the fixtures in `tests/conftest.py` use them.

A user made here has a journal key, as after sign-up, and the test holds it (`OPENED`):
outside a request the test's own code reads and writes every such journal (conftest's
`_journal_keys`), while a request opens only its signed-in, unlocked user's (`sign_in`).
"""

import datetime as dt

from accounts.journal_keys import Opened, journal_key_create, journal_key_open
from accounts.models import User
from accounts.unlock import cookie_name, keep_in_session
from journal.models import Entry, Tag
from journal.sealing import Keyring

PASSWORD = "a-long-and-quiet-password"

# The journal keys of the users this test made, by user id.
OPENED: dict[int, Opened] = {}
RECOVERY: dict[int, str] = {}


class TestKeys:
    """The keyring of any user this test made: what a test's own code runs with."""

    def for_owner(self, owner: int) -> Keyring | None:
        opened = OPENED.get(owner)
        return Keyring.of(opened.key, opened.generation, owner) if opened else None


def make_user(email: str, *, journal_key: bool = True, **fields) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, **fields)
    if journal_key:
        OPENED[user.pk], RECOVERY[user.pk] = journal_key_create(user=user, password=PASSWORD)
    return user


def where(rows, **conditions) -> list:
    """The `rows` whose words match `conditions` (`title="…"`, `body__startswith="…"`,
    `__endswith`, `__contains`): sealed words are compared once read, never in SQL."""
    tests = {
        "exact": lambda value, wanted: value == wanted,
        "startswith": lambda value, wanted: value.startswith(wanted),
        "endswith": lambda value, wanted: value.endswith(wanted),
        "contains": lambda value, wanted: wanted in value,
    }

    def keeps(row) -> bool:
        for lookup, wanted in conditions.items():
            name, _, test = lookup.partition("__")
            if not tests[test or "exact"](getattr(row, name), wanted):
                return False
        return True

    return [row for row in rows if keeps(row)]


def the(rows, **conditions):
    """The one row of `rows` that `where` keeps."""
    (row,) = where(rows, **conditions)
    return row


def make_demo_journal(email: str, **options) -> User:
    """A demo journal (journal.demo) whose key this test holds, as `make_user` does."""
    from journal.demo import create_demo_journal

    user = create_demo_journal(email, password=PASSWORD, **options)
    OPENED[user.pk] = journal_key_open(user=user, password=PASSWORD)
    return user


def sign_in(client, user: User) -> None:
    """Sign `client` in as `user` with the journal unlocked, as a password sign-in does."""
    client.force_login(user)
    session = client.session
    secret = keep_in_session(session, OPENED[user.pk], user_id=user.pk)
    session.save()
    client.cookies[cookie_name()] = secret


def make_entry(user: User, body: str = "Today I noticed the quiet.", **fields) -> Entry:
    tags = fields.pop("tags", [])
    fields.setdefault("written_on", dt.date(2025, 3, 14))
    entry = Entry.objects.create(user=user, body=body, **fields)
    if tags:
        entry.tags.set(Tag.objects.for_names(user, tags).values())
    return entry
