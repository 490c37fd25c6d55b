"""Scale-out check: two app servers, one PostgreSQL database, nothing kept on a server.

    python bench/scale_out.py

Creates a throw-away PostgreSQL database on 127.0.0.1 (dropped again at the end), migrates
it, creates the cache table and one user, then starts two gunicorn servers (A and B) on two
free loopback ports with the same production environment: the same DATABASE_URL, the same
DJANGO_SECRET_KEY, the database cache. Then, as a browser would:

1. signs in through A (the allauth login form, with its CSRF token);
2. shows that the session cookie A set is signed in on B;
3. writes an entry through A (POST /entries/new/, with CSRF);
4. reads that entry through B, on its own page and in the list.

tests/test_scale_out.py runs the same check (skipped when no PostgreSQL answers).
"""

import datetime as dt
import html
import re
import secrets
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.servers import (  # noqa: E402
    ROOT,
    create_postgres_database,
    drop_postgres_database,
    gunicorn,
    postgres_admin_url,
    production_env,
    request,
)

EMAIL = "two-servers@example.com"
PASSWORD = "a-long-and-quiet-password"
SESSION_COOKIE = "mirror-session"  # the names with DJANGO_SECURE off (plain HTTP on loopback)
CSRF_COOKIE = "mirror-csrf"
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

PREPARE = """
import os
os.makedirs(os.environ["MIRROR_BENCH_STATIC_ROOT"], exist_ok=True)
import bench.floor_wsgi  # production settings plus the bench's static folder
from django.core.management import call_command
from accounts.models import User
call_command("migrate", verbosity=0)
call_command("createcachetable", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from allauth.account.models import EmailAddress
user = User.objects.create_user(email={email!r}, password={password!r}, display_name="Robin")
# Production confirms addresses before the first sign-in; Robin's is confirmed.
EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
"""


class Browser:
    """Cookies and CSRF tokens, carried from one server to another like a browser behind a
    load balancer would carry them (same host name, so the same cookies)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers | (extra or {})

    def _keep(self, found: dict[str, list[str]]) -> None:
        for line in found.get("set-cookie", []):
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0]
            if value and "max-age=0" not in line.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)

    def get(self, port: int, path: str) -> tuple[int, dict, str]:
        status, found, body = request(port, "GET", path, headers=self._headers())
        self._keep(found)
        return status, found, body.decode()

    def post(self, port: int, path: str, fields: dict[str, str]) -> tuple[int, dict, str]:
        _, _, page = self.get(port, path)
        token = _TOKEN.search(page)
        if not token:
            raise AssertionError(f"no CSRF token in the form at {path}")
        data = urlencode({"csrfmiddlewaretoken": html.unescape(token.group(1)), **fields})
        headers = self._headers({"Content-Type": "application/x-www-form-urlencoded"})
        status, found, body = request(port, "POST", path, headers=headers, body=data.encode())
        self._keep(found)
        return status, found, body.decode()


def signed_in(page: str) -> bool:
    return "Log out" in page and 'Hello, <span dir="auto">Robin</span>.' in page


def check_two_servers(a: int, b: int, say=print) -> None:
    """The four steps of the module docstring, against servers on ports `a` and `b`."""
    browser = Browser()
    status, found, _ = browser.post(a, "/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    if status != 302 or SESSION_COOKIE not in browser.cookies:
        raise AssertionError(f"signing in through A answered {status}, no session cookie")
    say(f"1. signed in through A (:{a}): {status} to {found['location'][0]}")

    status, _, page = browser.get(b, "/")
    if status != 200 or not signed_in(page):
        raise AssertionError(f"B (:{b}) does not know A's session: {status}")
    anonymous = Browser()
    if signed_in(anonymous.get(b, "/")[2]):
        raise AssertionError("B shows a signed-in page without a session cookie")
    say(f"2. the same session cookie is signed in on B (:{b}); without it, B shows the landing")

    marker = f"written through A, read through B {secrets.token_hex(4)}"
    status, found, _ = browser.post(
        a,
        "/entries/new/",
        {
            "title": "Two servers",
            "body": f"One journal, {marker}.",
            "written_on": dt.date.today().isoformat(),
            "kind": "reflection",
        },
    )
    location = found.get("location", [""])[0]
    if status != 302 or "/entries/" not in location:
        raise AssertionError(f"writing through A answered {status}")
    say(f"3. wrote an entry through A: {status} to {location}")

    entry_path = urlsplit(location).path
    status, _, page = browser.get(b, entry_path)
    if status != 200 or marker not in page:
        raise AssertionError(f"B does not show the entry written through A: {status}")
    status, _, page = browser.get(b, "/entries/")
    if status != 200 or "Two servers" not in page:
        raise AssertionError("B's entry list does not show the entry written through A")
    say(f"4. read it through B: {entry_path} and /entries/ show it")


def run(admin_url: str | None = None, say=print) -> None:
    """Create the database, prepare it, start A and B, check, stop, drop. Raises on failure."""
    admin_url = admin_url or postgres_admin_url()
    started = time.perf_counter()
    url, name = create_postgres_database(admin_url, "mirror_scale_out")
    if url is None:
        raise RuntimeError(f"no PostgreSQL database could be created: {name}")
    try:
        with (
            tempfile.TemporaryDirectory(prefix="mirror-scale-out-") as folder,
            ExitStack() as stack,
        ):
            env = production_env(url, Path(folder) / "static")
            subprocess.run(
                [sys.executable, "-c", PREPARE.format(email=EMAIL, password=PASSWORD)],
                cwd=ROOT,
                env=env,
                check=True,
                timeout=60,
            )
            prepared = time.perf_counter() - started
            say(f"database {name} migrated, one user created ({prepared:.1f} s)")
            a = stack.enter_context(gunicorn(env, Path(folder) / "a.log", workers=1))
            b = stack.enter_context(gunicorn(env, Path(folder) / "b.log", workers=1))
            say(f"servers A on :{a} and B on :{b}, one database, the database cache")
            check_two_servers(a, b, say=say)
    finally:
        drop_postgres_database(admin_url, name)
    say(f"done in {time.perf_counter() - started:.1f} s; database {name} dropped")


def main() -> int:
    from bench.servers import postgres_answers

    if not postgres_answers():
        print(f"Skipped: no PostgreSQL answers at {postgres_admin_url()}.")
        return 0
    run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
