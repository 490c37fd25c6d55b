"""What a user writes stays on the server: messages shown after an action are kept in the
session (in the database), never in a cookie, and never repeat the user's words."""

import base64
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD, make_entry

pytestmark = pytest.mark.django_db

TITLE = "Ümlaut lighthouse confession"


def _encodings(text: str) -> list[str]:
    """The ways a cookie could carry `text`: as is, URL-quoted, JSON-escaped, base64."""
    raw = text.encode()
    forms = [text, urllib.parse.quote(text), text.encode("unicode_escape").decode()]
    forms += [base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()]
    # A base64 stream may start the title at any of three offsets.
    for shift in (1, 2):
        forms.append(base64.urlsafe_b64encode(b"x" * shift + raw).decode()[4:-4])
    return forms


def _cookie_text(response) -> str:
    return "\n".join(f"{name}={morsel.value}" for name, morsel in response.cookies.items())


def test_deleting_an_entry_leaves_its_title_in_no_cookie(alice_client, alice):
    entry = make_entry(alice, title=TITLE)
    response = alice_client.post(reverse("journal:entry-delete", args=[entry.pk]))
    assert response.status_code == 302
    cookies = _cookie_text(response) + "\n".join(
        f"{name}={morsel.value}" for name, morsel in alice_client.cookies.items()
    )
    for form in _encodings(TITLE) + _encodings("lighthouse"):
        assert form not in cookies
    assert "messages" not in alice_client.cookies

    page = alice_client.get(response["Location"])
    assert "The entry is deleted." in page.content.decode()
    assert "lighthouse" not in page.content.decode()


def test_no_message_repeats_what_the_user_wrote(alice_client, alice):
    entry = make_entry(alice, title=TITLE)
    response = alice_client.post(reverse("journal:entry-delete", args=[entry.pk]), follow=True)
    shown = [str(message) for message in response.context["messages"]]
    assert shown == ["The entry is deleted."]


def test_the_account_deletion_message_still_shows_after_the_session_ends(client, alice):
    client.post(reverse("account_login"), {"login": alice.email, "password": PASSWORD})
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert "messages" not in response.cookies
    page = client.get(response["Location"])
    assert "Your account and everything in it are deleted." in page.content.decode()


# --- the access log --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def test_the_access_log_keeps_no_query_string_and_no_referrer(tmp_path):
    """A real gunicorn with config/gunicorn.conf.py, as `make serve` starts it."""
    port = _free_port()
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "EMAIL_"))
    }
    env = clean | {
        "DJANGO_SECRET_KEY": "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_EMAIL_BACKEND": "console",
        "DJANGO_MFA_KEY": "m" * 50,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
    }
    env.pop("REDIS_URL", None)
    log_path = tmp_path / "gunicorn.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--config",
        "config/gunicorn.conf.py",
    ]
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    _get(port, "/healthz", {})
                    break
                except OSError:
                    assert server.poll() is None, log_path.read_text()
                    assert time.monotonic() < deadline, log_path.read_text()
                    time.sleep(0.1)
            referrer = {"Referer": "http://127.0.0.1/entries/?q=Wistfulreferrer"}
            assert _get(port, "/healthz?q=Wistfulsearch", referrer) == 200
            assert _get(port, "/entries/?q=Wistfulquery&tag=Wistfultag", referrer) == 302
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(15)
    text = log_path.read_text()
    assert '"GET /healthz HTTP/1.1" 200' in text
    assert '"GET /entries/ HTTP/1.1" 302' in text
    assert "Wistful" not in text
