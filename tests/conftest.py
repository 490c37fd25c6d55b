"""The cast of every test: alice owns things, bob must never see them, and an
anonymous visitor is sent to log in."""

import datetime as dt

import pytest
from django.conf import settings

from accounts.models import User
from journal.models import Entry, Tag

# Fast hashing, and static files served from the source folders (no collectstatic).
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
settings.WHITENOISE_USE_FINDERS = True
settings.STATIC_ROOT = None

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


@pytest.fixture
def alice(db) -> User:
    return make_user("alice@example.com", display_name="Alice")


@pytest.fixture
def bob(db) -> User:
    return make_user("bob@example.com", display_name="Bob")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(client, bob):
    client.force_login(bob)
    return client


@pytest.fixture
def entry(alice) -> Entry:
    return make_entry(alice, title="The morning after", body="I *woke* early.", tags=["mirror"])
