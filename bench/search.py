"""Search benchmark: 20 different queries over a seeded journal, as the entry list serves them.

    python bench/search.py [--entries 3650] [--repeat 7]

Uses a throw-away SQLite database in a temporary folder, or the PostgreSQL server named by
DATABASE_URL (a throw-away database `mirror_bench_search_<pid>` is created there and dropped
afterwards). Each query is requested through Django's test client as the signed-in owner
(`/entries/?q=…`: search, ranking, one page of results and its highlighted snippets) right
after an entry is saved again (as after writing one), so that nothing is remembered from an
earlier request, and the time is measured. Prints the median and 95th percentile per query
and overall.

The words are sealed in the database (journal/sealing.py), so the bench signs in as a person
does, through the sign-in form with the demo journal's password (its address confirmed):
that opens the journal key for the session. A client signed in any other way has a locked
journal, and the entry list answers 423. The matches of each query are counted with
`journal.search` under the same key, outside the timed requests.

Target (issue 16): at 3,650 entries, the median at most 100 ms on the first search after a
change, on SQLite and on PostgreSQL. It is printed as PASS/FAIL for the database of the run
and never changes the exit code.
"""

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
TARGET_MEDIAN_MS = 100.0
TARGET_ENTRIES = 3650
EMAIL = "search-bench@example.com"
PASSWORD = "a-long-search-bench-password"
QUERIES = [
    "lighthouse", "patience", "window", "quiet", "fear", "walk", "memory", "phone",
    '"the same memory"', '"sharp the next"', "rain tea", "stay hard", "friend heard",
    "distance teaching", "breathe write", "nothing-matches-this", "sea", "tide",
    "person close", "shoulders",
]  # fmt: skip


def database_url(folder: str) -> tuple[str, str | None]:
    """The URL to benchmark on, and the PostgreSQL database to drop afterwards (if any)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return f"sqlite:///{Path(folder) / 'bench.sqlite3'}", None
    name = f"mirror_bench_search_{os.getpid()}"
    parts = urlsplit(url)
    import psycopg

    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), admin


def drop(admin: str, url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=TARGET_ENTRIES)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url, admin = database_url(folder)
        os.environ["DATABASE_URL"] = url
        os.environ["DJANGO_DEBUG"] = "0"
        os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-key-not-used-for-anything-else")
        os.environ.setdefault("DJANGO_MFA_KEY", "bench-only-two-factor-key-not-used-elsewhere")
        os.environ.setdefault("DJANGO_EMAIL_BACKEND", "console")
        os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        try:
            run(args)
        finally:
            from django.db import connections

            connections.close_all()
            if admin:
                drop(admin, url)


def run(args) -> None:
    import django

    django.setup()
    logging.disable(logging.INFO)  # the security log's "login" line is noise here
    warnings.filterwarnings("ignore", message="No directory at")  # static files: not measured
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from accounts.journal_keys import journal_key_open
    from journal.demo import create_demo_journal
    from journal.models import Entry
    from journal.sealing import Keyring, keys_active
    from journal.search import parse, ranked_ids

    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    user = create_demo_journal(EMAIL, days=args.entries, gaps=0, password=PASSWORD)
    # A confirmed address (production asks for one), so the bench signs in through the form.
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    # Fresh planner statistics, as a live database has them soon after a bulk load
    # (autovacuum's ANALYZE on PostgreSQL), as bench/pages.py does.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"{connection.vendor}: seeded {user.entries.count()} entries "
        f"in {time.perf_counter() - started:.1f} s"
    )

    client = Client()
    # Signed in as a person is: the password opens the journal key, which the session keeps
    # sealed under the browser's own cookie (accounts/unlock.py).
    signed_in = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    if signed_in.status_code != 302:
        raise RuntimeError(f"signing in answered {signed_in.status_code}")
    warm = client.get("/entries/")  # warm up: templates, the session, the connection
    if warm.status_code != 200:
        raise RuntimeError(f"/entries/ answered {warm.status_code} (423: the journal is locked)")
    # The same key, to count each query's matches outside the timed requests.
    opened = journal_key_open(user=user, password=PASSWORD)
    keyring = Keyring.of(opened.key, opened.generation, owner=user.pk)
    with keys_active(keyring):
        edited = Entry.objects.for_user(user).newest_first().first()
    rows, everything = [], []
    for query in QUERIES:
        times = []
        for _ in range(args.repeat):
            # Right after an entry is saved again: nothing cached (journal.figures), so
            # every request searches, counts and ranks again.
            with keys_active(keyring):
                edited.save()
            begin = time.perf_counter()
            response = client.get("/entries/", {"q": query})
            times.append((time.perf_counter() - begin) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"/entries/?q={query} answered {response.status_code}")
        parsed = parse(query)
        with keys_active(keyring):
            found = len(ranked_ids(Entry.objects.for_user(user), parsed)) if parsed else 0
        everything.extend(times)
        rows.append((query, found, statistics.median(times), percentile(times, 95)))

    print(f"\n{'query':<24} {'found':>6} {'median ms':>10} {'p95 ms':>8}")
    for query, found, median, p95 in rows:
        print(f"{query:<24} {found:>6} {median:>10.1f} {p95:>8.1f}")
    median = statistics.median(everything)
    print(f"{'all 20 queries':<24} {'':>6} {median:>10.1f} {percentile(everything, 95):>8.1f}")
    label = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    verdict = "PASS" if median <= TARGET_MEDIAN_MS else "FAIL"
    print(
        f"\n{verdict}  {label}: median {median:.1f} ms over {args.entries:,} entries on the "
        f"first search after a change (target at most {TARGET_MEDIAN_MS:.0f} ms at "
        f"{TARGET_ENTRIES:,} entries, on SQLite and PostgreSQL; informational)"
    )
    if args.entries != TARGET_ENTRIES:
        print(f"  (this run has {args.entries:,} entries, so it checks the shape only)")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))
    return ordered[index]


if __name__ == "__main__":
    main()
