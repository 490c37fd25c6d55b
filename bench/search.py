"""Search benchmark: 20 different queries over a seeded journal, as the entry list serves them.

    python bench/search.py [--entries 3650] [--repeat 7]

Uses a throw-away SQLite database in a temporary folder, or the PostgreSQL server named by
DATABASE_URL (a throw-away database `mirror_bench_search_<pid>` is created there and dropped
afterwards). Each query is requested through Django's test client as the signed-in owner
(`/entries/?q=…`: search, ranking, one page of results and its highlighted snippets) right
after a change to the journal, so that nothing is remembered from an earlier request, and
the time is measured. Prints the median and 95th percentile per query and overall.
Target: median under 50 ms on PostgreSQL.
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
TARGET_MEDIAN_MS = 50.0
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
    parser.add_argument("--entries", type=int, default=3650)
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
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from journal.demo import create_demo_journal
    from journal.figures import journal_changed
    from journal.models import Entry
    from journal.search import search

    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    user = create_demo_journal("search-bench@example.com", days=args.entries, gaps=0)
    print(
        f"{connection.vendor}: seeded {user.entries.count()} entries "
        f"in {time.perf_counter() - started:.1f} s"
    )

    client = Client()
    client.force_login(user)
    client.get("/entries/")  # warm up: templates, the session, the connection
    rows, everything = [], []
    for query in QUERIES:
        times = []
        for _ in range(args.repeat):
            # As after writing an entry: nothing cached (journal.figures), so every request
            # searches, counts and ranks again.
            journal_changed(user.pk)
            begin = time.perf_counter()
            response = client.get("/entries/", {"q": query})
            times.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200, (query, response.status_code)
        found = search(Entry.objects.for_user(user), query)[0].count()
        everything.extend(times)
        rows.append((query, found, statistics.median(times), percentile(times, 95)))

    print(f"\n{'query':<24} {'found':>6} {'median ms':>10} {'p95 ms':>8}")
    for query, found, median, p95 in rows:
        print(f"{query:<24} {found:>6} {median:>10.1f} {p95:>8.1f}")
    median = statistics.median(everything)
    print(f"{'all 20 queries':<24} {'':>6} {median:>10.1f} {percentile(everything, 95):>8.1f}")
    if connection.vendor == "postgresql":
        verdict = "PASS" if median < TARGET_MEDIAN_MS else "FAIL"
        print(f"{verdict}: median {median:.1f} ms (target under {TARGET_MEDIAN_MS:.0f} ms)")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))
    return ordered[index]


if __name__ == "__main__":
    main()
