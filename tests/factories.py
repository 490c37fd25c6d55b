"""Small helpers that create objects explicitly; the fixtures in `tests/conftest.py` use them."""

import datetime as dt

from accounts.models import User
from journal.models import Entry, Tag

PASSWORD = "a-long-and-quiet-password"


def make_user(email: str, **fields) -> User:
    return User.objects.create_user(email=email, password=PASSWORD, **fields)


def make_entry(user: User, body: str = "Today I noticed the quiet.", **fields) -> Entry:
    tags = fields.pop("tags", [])
    fields.setdefault("written_on", dt.date(2025, 3, 14))
    entry = Entry.objects.create(user=user, body=body, **fields)
    if tags:
        entry.tags.set([Tag.objects.get_or_create(user=user, name=name)[0] for name in tags])
    return entry
