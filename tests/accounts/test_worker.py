"""The real background worker (`manage.py worker`, a process of its own) sends what is
due to a real SMTP server on localhost: a reminder at its time, once, even with two
workers at once, and the mail a web request queued.

The worker reads the test's own database (on SQLite, a file: tests/conftest.py)."""

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db import DatabaseBackend

from accounts.models import Reminder, ReminderSent
from accounts.tasks import send_due_reminders
from tests.factories import make_user
from tests.mailserver import body_of

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class WorkerDatabase:
    """The test database, where a worker process opens it: the test's committed rows
    (`transaction=True`) are what the worker reads."""

    @property
    def url(self) -> str:
        params = connection.settings_dict
        if connection.vendor == "sqlite":  # a file of this run's own (tests/conftest.py)
            return f"sqlite:///{params['NAME']}"
        return (
            f"postgres://{params['USER']}:{params['PASSWORD']}@{params['HOST'] or '127.0.0.1'}"
            f":{params['PORT'] or 5432}/{params['NAME']}"
        )


@pytest.fixture
def worker_database() -> WorkerDatabase:
    return WorkerDatabase()


def start_worker(database: WorkerDatabase, server) -> subprocess.Popen:
    """`manage.py worker --batch` with production settings: one tick of its clock, every
    queued task, then it exits."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_EMAIL", "DATABASE"))}
    env |= {"DATABASE_URL": database.url, "DATABASE_CONN_MAX_AGE": "0", **server.env}
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--batch", "--no-reload", "--no-startup-delay"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def run_workers(database: WorkerDatabase, server, count: int = 1) -> list[str]:
    workers = [start_worker(database, server) for _ in range(count)]
    outputs = [worker.communicate(timeout=60)[0] for worker in workers]
    for worker, output in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, output
    return outputs


@pytest.fixture
def due(db) -> Iterator[Reminder]:
    """A reminder whose time is now, on its user's wall clock in Madrid."""
    user = make_user("evening@example.com", time_zone="Europe/Madrid", journal_key=False)
    local = timezone.now().astimezone(user.zone)
    yield Reminder.objects.create(
        user=user,
        enabled=True,
        time=dt.time(local.hour, local.minute),
        only_if_not_written=False,
    )


def test_a_due_reminder_arrives_once_from_the_worker_and_its_link_stops_them(
    worker_database, smtp_server, due, client
):
    run_workers(worker_database, smtp_server)
    [message] = smtp_server.inbox.wait_for(1)
    assert message["To"] == due.user.email
    assert message["Subject"] == "A moment for yourself, whenever you are ready."
    stop = urlsplit(message["List-Unsubscribe"].strip("<>"))
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"List-Unsubscribe: <{stop.geturl()}>".encode() in smtp_server.inbox.raw[0]
    body = body_of(message)
    assert stop.geturl() in body and f"{settings.SITE_URL}/entries/new/" in body
    assert ReminderSent.objects.filter(user=due.user).count() == 1

    cache.clear()  # a new minute's tick: the day is found sent
    run_workers(worker_database, smtp_server)
    assert len(smtp_server.inbox.wait_for(2, timeout=1)) == 1

    assert "Stop reminders" in client.get(stop.path).text  # a link checker's GET asks only
    due.refresh_from_db()
    assert due.enabled
    client.post(stop.path, {"List-Unsubscribe": "One-Click"})  # the mail client's one click
    due.refresh_from_db()
    assert not due.enabled


def test_two_workers_with_a_tick_each_send_a_reminder_once(worker_database, smtp_server, due):
    """As if two clocks both queued the minute (the shared cache lost its mark): the
    database's claim per user and day still lets one mail out."""
    backend = DatabaseBackend("default", {})
    for _ in range(3):
        backend.enqueue(send_due_reminders, (), {})
    run_workers(worker_database, smtp_server, count=2)
    assert len(smtp_server.inbox.wait_for(2, timeout=2)) == 1
    assert ReminderSent.objects.filter(user=due.user).count() == 1


def test_mail_queued_by_a_request_is_sent_by_the_worker(
    worker_database, smtp_server, client, settings
):
    settings.TASKS = DATABASE_TASKS
    user = make_user("forgot@example.com", journal_key=False)
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert smtp_server.inbox.messages == []  # the request only queued it
    run_workers(worker_database, smtp_server)
    [message] = smtp_server.inbox.wait_for(1)
    assert message["Subject"] == "[Mirror] Reset your password"


def test_the_worker_will_not_start_without_knowing_the_sites_address(worker_database):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SITE_URL"}
    result = subprocess.run(
        [sys.executable, "manage.py", "worker", "--batch", "--no-reload"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DJANGO_SITE_URL is not set" in result.stderr
