"""/readyz tells a load balancer whether this app server can serve: 200 when the database
and the shared cache answer, 503 naming the one that does not. /healthz stays a liveness
check that asks neither."""

import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = settings.BASE_DIR


def test_ready_when_the_database_and_cache_answer(client, db):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.text == "ready\n"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_readyz_answers_get_only(client, db):
    assert client.post(reverse("readyz")).status_code == 405


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PROBE = """
import django
django.setup()
from django.test import Client
for path in ("/readyz", "/healthz"):
    response = Client().get(path)
    print(path, response.status_code, response.content.decode().strip())
"""


def probe(tmp_path, **env: str) -> dict[str, str]:
    """/readyz and /healthz, answered by an app server started with production settings
    and `env`: {path: "status text"}."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "EMAIL_")) and k != "REDIS_URL"
    }
    production = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "s" * 50,
        "DJANGO_MFA_KEY": "m" * 50,
        "DJANGO_EMAIL_BACKEND": "console",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_LOG_LEVEL": "ERROR",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean | production | env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return dict(line.split(" ", 1) for line in result.stdout.splitlines())


def test_not_ready_when_the_database_does_not_answer(tmp_path):
    answers = probe(tmp_path, DATABASE_URL=f"postgres://postgres@127.0.0.1:{_closed_port()}/x")
    assert answers["/readyz"].startswith("503 not ready: database")
    assert "127.0.0.1" not in answers["/readyz"]
    assert answers["/healthz"] == "200 ok"


def test_not_ready_when_redis_does_not_answer(tmp_path):
    # The database (a new SQLite file) answers; the cache does not.
    answers = probe(tmp_path, REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0")
    assert answers["/readyz"] == "503 not ready: cache"
    assert answers["/healthz"] == "200 ok"


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_answers(), reason="no Redis answers at 127.0.0.1:6379")
def test_ready_with_redis_as_the_cache(tmp_path):
    answers = probe(tmp_path, REDIS_URL="redis://127.0.0.1:6379/15")
    assert answers["/readyz"] == "200 ready"
