"""Page benchmark: every main page of a seeded journal, next to a floor view, on SQLite and
PostgreSQL, in-process and under HTTP load.

    python bench/pages.py [--entries 3650] [--quick] [--databases sqlite,postgresql]

For each database (SQLite: a throw-away file in a temporary folder; PostgreSQL: a throw-away
database created on 127.0.0.1 and dropped again, skipped with a message when none answers)
a worker process with production settings (debug off, a secret key, static files collected
into the temporary folder) migrates, creates the cache table, seeds a demo journal
(`seed_demo`), and then:

1. in-process, through Django's test Client with a signed-in session: the median and 95th
   percentile server time and the SQL query count of each main page and of the floor view
   (bench/floor.py: the base layout with no data), and each page's median as a ratio to the
   floor's;
2. over HTTP: gunicorn (config/gunicorn.conf.py) serving the same database, a bounded load
   on loopback (bench/load.py: `wrk` when installed, else a Python generator), requests/s
   and latency percentiles of the floor, `/` and `/entries/`, as ratios to the floor.

Targets, printed as PASS/FAIL at the end (informational: the exit code is 0 unless the bench
itself failed): at 3,650 entries on PostgreSQL, every page's median at most 15 ms read
again and at most 40 ms on the first read after a change; the home page under load at
least 35% of the floor's requests/s. The ratio to the floor is information, not a target.
"""

import argparse
import io
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import run_load, wrk_available  # noqa: E402
from bench.servers import (  # noqa: E402
    HOST,
    create_postgres_database,
    drop_postgres_database,
    gunicorn,
    postgres_admin_url,
    production_env,
    request,
)

EMAIL = "bench@example.com"
PASSWORD = "a-long-bench-password"
SEARCH_WORD = "heard"  # in nearly every demo entry: the costliest search to rank
TARGET_MS = 15.0
TARGET_COLD_MS = 40.0
TARGET_LOAD_SHARE = 0.35
TARGET_ENTRIES = 3650
FLOOR = "floor"


# The orchestrating process: one worker per database.


def run_database(database: str, args: argparse.Namespace) -> dict | None:
    with tempfile.TemporaryDirectory(prefix="mirror-bench-") as folder:
        drop = None
        if database == "sqlite":
            url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        else:
            url, detail = create_postgres_database(args.postgres, "mirror_bench")
            if url is None:
                print(f"\nPostgreSQL: skipped, no database could be created ({detail}).")
                return None
            drop = detail
        try:
            command = [
                sys.executable, __file__, "--worker",
                "--folder", folder,
                "--entries", str(args.entries), "--rounds", str(args.rounds),
                "--load-seconds", str(args.load_seconds),
                "--connections", str(args.connections), "--workers", str(args.workers),
                "--load-tool", args.load_tool,
            ]  # fmt: skip
            env = production_env(url, Path(folder) / "static")
            done = subprocess.run(command, env=env, cwd=ROOT, check=False)
            result_file = Path(folder) / "result.json"
            if done.returncode != 0 or not result_file.exists():
                raise RuntimeError(f"the {database} run failed (exit code {done.returncode})")
            return json.loads(result_file.read_text())
        finally:
            if drop:
                drop_postgres_database(args.postgres, drop)


def check(ok: bool, text: str) -> str:
    return f"{'PASS' if ok else 'FAIL'}  {text}"


def target_lines(result: dict) -> list[str]:
    label = result["label"]
    pages = [p for p in result["pages"] if p["name"] != FLOOR]
    slowest = max(pages, key=lambda p: p["median_ms"])
    coldest = max(pages, key=lambda p: p["cold_ms"])
    lines = [
        check(
            slowest["median_ms"] <= TARGET_MS,
            f"{label}: every page's median at most {TARGET_MS:.0f} ms read again "
            f"(slowest: {slowest['path']} {slowest['median_ms']:.1f} ms)",
        ),
        check(
            coldest["cold_ms"] <= TARGET_COLD_MS,
            f"{label}: every page's median at most {TARGET_COLD_MS:.0f} ms on the first read "
            f"after a change (slowest: {coldest['path']} {coldest['cold_ms']:.1f} ms)",
        ),
    ]
    load = {row["path"]: row for row in result.get("load", [])}
    if "/" in load:
        share = load["/"]["share"]
        lines.append(
            check(
                share >= TARGET_LOAD_SHARE,
                f"{label}: / under load at least {TARGET_LOAD_SHARE:.0%} of the floor's "
                f"requests/s ({share:.0%}: {load['/']['rps']:.0f} vs "
                f"{result['load'][0]['rps']:.0f} req/s)",
            )
        )
    return lines


def orchestrate(args: argparse.Namespace) -> int:
    tool = args.load_tool
    if tool == "auto":
        tool = "wrk" if wrk_available() else "python"
    print(
        f"Mirror page benchmark: {args.entries:,} entries, {args.rounds} rounds per page, "
        f"load {args.load_seconds:g} s x {args.connections} connections per path on "
        f"{args.workers} gunicorn workers ({tool})."
    )
    if tool == "python" and args.load_tool == "auto":
        print(
            "wrk is not installed (as root: apt-get install -y wrk); the load run uses the "
            "built-in Python generator instead, which shares the CPU with the server."
        )
    results, failed = [], []
    for database in args.databases.split(","):
        try:
            result = run_database(database.strip(), args)
        except Exception as error:
            print(f"\nERROR: {error}", file=sys.stderr)
            failed.append(database)
            continue
        if result:
            results.append(result)
    if results:
        print("\nTargets (informational; they are defined at 3,650 entries on PostgreSQL):")
        if args.entries != TARGET_ENTRIES:
            print(f"  (this run has {args.entries:,} entries, so it checks the shape only)")
        for result in results:
            for line in target_lines(result):
                print(f"  {line}")
    return 1 if failed else 0


# The worker: one database, production settings from the environment.


def median_p95(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def get(port: int, path: str, cookie: str) -> tuple[int, bytes]:
    status, _, body = request(port, "GET", path, headers={"Cookie": cookie})
    return status, body


def seed(entries: int):
    from allauth.account.models import EmailAddress
    from django.core.management import call_command

    from accounts.models import User

    call_command(
        "seed_demo", email=EMAIL, days=entries, gaps=0.0, password=PASSWORD, stdout=io.StringIO()
    )
    user = User.objects.get(email=EMAIL)
    # A confirmed address, so the bench signs in through the form as a person does.
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def choose_pages(user) -> list[tuple[str, str]]:
    """(name, path) of the floor and of every main page, with real values for the
    parameters: a search word that occurs, the separation with the most entries, an entry
    from the middle of the journal (so it has neighbours in its period)."""
    from bench.floor import FLOOR_PATH
    from journal.models import Entry
    from journal.search import parse, ranked_ids
    from journal.timeline import Timeline

    timeline = Timeline(user, user.today())
    rows = [row for row in timeline.rows() if row.period.kind == "separation"]
    if not rows:
        raise RuntimeError("the seeded journal has no separation")
    period = max(rows, key=lambda row: row.entries).period
    entries = Entry.objects.filter(user=user).order_by("written_on")
    middle = entries[entries.count() // 2]
    matches = len(ranked_ids(Entry.objects.for_user(user), parse(SEARCH_WORD)))
    if not matches:
        raise RuntimeError(f"no entry contains {SEARCH_WORD!r}")
    return [
        (FLOOR, FLOOR_PATH),
        ("today", "/"),
        ("entries", "/entries/"),
        (f"search ({matches:,} matches)", f"/entries/?q={SEARCH_WORD}"),
        (f"one period ({period.title})", f"/entries/?period={period.slug}"),
        ("an entry", middle.get_absolute_url()),
        ("timeline", "/timeline/"),
        ("prompts", "/prompts/"),
        ("calendar", "/calendar/"),
    ]


def measure_in_process(client, pages, rounds: int, user_id: int, keyring) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from journal.sealing import keys_active

    for _, path in pages:
        for _ in range(2):  # warm-up: templates, the session, the database's caches
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
    queries = {}
    for _, path in pages:
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        queries[path] = len(captured.captured_queries)
    # Server time: from the request entering the middleware to the rendered response,
    # without the test client's own work around it (building the request, cookies).
    inner, elapsed = client.handler.get_response, [0.0]

    def timed(request):
        started = time.perf_counter()
        try:
            return inner(request)
        finally:
            elapsed[0] = time.perf_counter() - started

    client.handler.get_response = timed
    samples: dict[str, list[float]] = {path: [] for _, path in pages}
    # Rounds are interleaved, so a burst of load on the machine slows every page alike.
    for _ in range(rounds):
        for _, path in pages:
            client.get(path)
            samples[path].append(elapsed[0] * 1000)
    # Cold: the first request after the user wrote a new entry today, when every figure
    # cached under the journal stamp is derived again and every drawing that shows today
    # (the calendar's month, the timeline's last bar, the home page's lists) is redrawn.
    from accounts.models import User
    from journal.models import Entry

    user = User.objects.get(pk=user_id)
    cold: dict[str, list[float]] = {path: [] for _, path in pages}
    for n in range(max(3, rounds // 4)):
        for i, (_, path) in enumerate(pages):
            with keys_active(keyring):  # the words are sealed under the journal's key
                Entry(
                    user=user, written_on=user.today(), mood=1 + (n + i) % 5, body="Tonight."
                ).save()
            client.get(path)
            cold[path].append(elapsed[0] * 1000)
    floor_median = statistics.median(samples[pages[0][1]])
    rows = []
    for name, path in pages:
        median, p95 = median_p95(samples[path])
        rows.append(
            {
                "name": name,
                "path": path,
                "median_ms": median,
                "p95_ms": p95,
                "ratio": median / floor_median,
                "cold_ms": statistics.median(cold[path]),
                "queries": queries[path],
            }
        )
    return rows


def measure_load(args, cookie: str, pages) -> list[dict]:
    floor_path = pages[0][1]
    targets = [(FLOOR, floor_path), ("today", "/"), ("entries", "/entries/")]
    rows = []
    log = Path(args.folder) / "gunicorn.log"
    with gunicorn(dict(os.environ), log, workers=args.workers) as port:
        for _, path in targets:
            status, body = get(port, path, cookie)
            if status != 200 or b"Log out" not in body:
                raise RuntimeError(f"gunicorn: {path} is not signed in (status {status})")
            for _ in range(12):  # every worker warm
                get(port, path, cookie)
        for name, path in targets:
            result = run_load(
                port,
                path,
                seconds=args.load_seconds,
                connections=args.connections,
                headers={"Cookie": cookie},
                tool=args.load_tool,
            )
            if result.errors or result.non_2xx or not result.requests:
                raise RuntimeError(
                    f"load on {path}: {result.requests} answers, {result.errors} errors, "
                    f"{result.non_2xx} not 2xx"
                )
            rows.append({"name": name, "path": path, **result.as_dict()})
    floor_rps = rows[0]["rps"]
    for row in rows:
        row["share"] = row["rps"] / floor_rps
    return rows


def print_tables(result: dict) -> None:
    print()
    print(f"== {result['label']} · {result['entries']:,} entries · {result['rounds']} rounds ==")
    print(
        f"{'page':34} {'path':34} {'median ms':>9} {'p95 ms':>7} {'x floor':>7} "
        f"{'queries':>7} {'cold ms':>7}"
    )
    for row in result["pages"]:
        path = row["path"] if len(row["path"]) <= 34 else row["path"][:31] + "..."
        print(
            f"{row['name'][:34]:34} {path:34} {row['median_ms']:9.1f} {row['p95_ms']:7.1f} "
            f"{row['ratio']:7.1f} {row['queries']:7d} {row['cold_ms']:7.1f}"
        )
    if result.get("load"):
        load = result["load"]
        print()
        print(
            f"HTTP load: gunicorn, {result['workers']} sync workers, {load[0]['tool']}, "
            f"{result['connections']} connections, {result['load_seconds']:g} s per path"
        )
        print(
            f"{'path':34} {'req/s':>8} {'x floor':>7} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'p99 ms':>7} {'requests':>8}"
        )
        for row in load:
            print(
                f"{row['path']:34} {row['rps']:8.1f} {row['share']:7.2f} {row['p50_ms']:7.1f} "
                f"{row['p95_ms']:7.1f} {row['p99_ms']:7.1f} {row['requests']:8d}"
            )


def work(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from accounts.journal_keys import journal_key_open
    from accounts.unlock import cookie_name
    from journal.sealing import Keyring, keys_active

    # The same two bench-only overrides as bench/floor_wsgi.py, which gunicorn serves.
    override_settings(
        ROOT_URLCONF="bench.floor", STATIC_ROOT=os.environ["MIRROR_BENCH_STATIC_ROOT"]
    ).enable()
    assert not settings.DEBUG
    label = (
        f"PostgreSQL {connection.cursor().connection.info.server_version // 10000}"
        if connection.vendor == "postgresql"
        else f"SQLite {connection.Database.sqlite_version}"
    )
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    prepared = time.perf_counter()
    user = seed(args.entries)
    # Fresh planner statistics, as a live database has them soon after a bulk load:
    # autovacuum's ANALYZE on PostgreSQL (without them it guesses a handful of rows per
    # user), `PRAGMA optimize` on SQLite (without them it looks a page's entries up by the
    # user's date index instead of by their ids).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seeded = time.perf_counter()
    print(
        f"\n{label}: migrated and collected static files in {prepared - started:.1f} s, "
        f"seeded {user.entries.count():,} entries and {user.timeline_events.count()} timeline "
        f"events in {seeded - prepared:.1f} s."
    )
    # The journal's key, opened by its password as sign-in opens it: choosing the pages
    # (a search's matches) and the cold column's new entries read and write sealed words.
    opened = journal_key_open(user=user, password=PASSWORD)
    keyring = Keyring.of(opened.key, opened.generation, owner=user.pk)
    with keys_active(keyring):
        pages = choose_pages(user)
    logging.getLogger("mirror.security").setLevel(logging.WARNING)  # the bench's own login
    client = Client(HTTP_HOST=HOST)
    # Signed in as a person is, through the form: the password opens the journal key,
    # which the session keeps sealed under the browser's own cookie (accounts/unlock.py).
    signed_in = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    if signed_in.status_code != 302:
        raise RuntimeError(f"signing in answered {signed_in.status_code}")
    rows = measure_in_process(client, pages, args.rounds, user.pk, keyring)
    cookie = "; ".join(
        f"{name}={client.cookies[name].value}"
        for name in (settings.SESSION_COOKIE_NAME, cookie_name())
        if name in client.cookies
    )
    result = {
        "label": label,
        "vendor": connection.vendor,
        "entries": args.entries,
        "rounds": args.rounds,
        "pages": rows,
        "workers": args.workers,
        "connections": args.connections,
        "load_seconds": args.load_seconds,
    }
    connection.close()  # gunicorn's workers open their own
    if args.load_seconds > 0:
        result["load"] = measure_load(args, cookie, pages)
    print_tables(result)
    (Path(args.folder) / "result.json").write_text(json.dumps(result))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=TARGET_ENTRIES)
    parser.add_argument("--quick", action="store_true", help="a smoke run: fewer repetitions")
    parser.add_argument("--rounds", type=int, help="requests per page in-process (default 40)")
    parser.add_argument("--load-seconds", type=float, help="per path; 0 skips (default 10)")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument(
        "--workers", type=int, default=3, help="gunicorn workers (3, as config/gunicorn.conf.py)"
    )
    parser.add_argument("--load-tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--postgres",
        default=postgres_admin_url(),
        help="an administrator's URL, to create and drop the throw-away database",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rounds is None:
        args.rounds = 5 if args.quick else 40
    if args.load_seconds is None:
        args.load_seconds = 2 if args.quick else 10
    args.load_seconds = min(args.load_seconds, 60)
    args.connections = max(1, min(args.connections, 64))
    return work(args) if args.worker else orchestrate(args)


if __name__ == "__main__":
    sys.exit(main())
