"""The cast of every test: alice owns things, bob must never see them, and an
anonymous visitor is sent to log in."""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

from accounts.models import User
from journal.models import Entry
from journal.sealing import keys_active
from tests.factories import TestKeys, make_entry, make_user, sign_in
from tests.mailserver import MailServer


@pytest.fixture(scope="session")
def django_db_modify_db_settings(tmp_path_factory) -> None:
    """On SQLite, the test database is a file of this run's own, not Django's shared
    in-memory database: the live server's thread then has a connection of its own instead
    of sharing the test's, so a request still running when a browser test ends (a beacon, a
    favicon) waits on SQLite's lock rather than interleaving with the teardown's flush."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tmp_path_factory.mktemp("database")
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")


@pytest.fixture(scope="session", autouse=True)
def _test_settings() -> Iterator[None]:
    """Fast hashing (passwords and journal keys), static files served from the source
    folders (no collectstatic), and background tasks run on the spot, so mail lands in the
    test outbox (tests/accounts/test_worker.py runs the real worker process).

    Applied once for the session through `override_settings`, so Django's setting_changed
    signal resets the hasher and storage caches; a session-scoped autouse fixture runs before
    any other session fixture (the live server among them)."""
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        JOURNAL_KDF={"memory_kib": 1024, "iterations": 1, "lanes": 1},
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        WHITENOISE_USE_FINDERS=True,
        STATIC_ROOT=None,
        TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
    ):
        yield


@pytest.fixture(autouse=True)
def _fresh_journal_cache() -> Iterator[None]:
    """Each test starts with nothing cached in the process (journal.figures): a test must
    not be served what an earlier one derived."""
    caches["journal"].clear()
    caches["journal-words"].clear()
    yield


@pytest.fixture(scope="session", autouse=True)
def _journal_keys() -> Iterator[None]:
    """The test's own code holds the journal keys of the users it made (tests/factories),
    module fixtures included; a request holds only its own. (A user made again under an
    id an earlier test used replaces that one's key.)"""
    with keys_active(TestKeys()):
        yield


@pytest.fixture
def alice(db) -> User:
    return make_user("alice@example.com", display_name="Alice")


@pytest.fixture
def bob(db) -> User:
    return make_user("bob@example.com", display_name="Bob")


@pytest.fixture
def alice_client(client, alice):
    sign_in(client, alice)
    return client


@pytest.fixture
def bob_client(client, bob):
    sign_in(client, bob)
    return client


@pytest.fixture
def entry(alice) -> Entry:
    return make_entry(alice, title="The morning after", body="I *woke* early.", tags=["mirror"])


@pytest.fixture
def smtp_server(settings) -> Iterator[MailServer]:
    """A real SMTP server on localhost, and Django's mail sent to it over SMTP."""
    with MailServer() as server:
        settings.MAILERS = server.mailers
        yield server
