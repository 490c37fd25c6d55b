"""Export benchmark: a seeded journal, both streamed exports, next to the floor.

    python bench/export.py [--entries 3650] [--repeat 5]

Uses a throw-away SQLite database in a temporary folder (or DATABASE_URL when it is set,
where the bench user is deleted again afterwards), migrates it and seeds a demo journal
with a timeline. For the Markdown document and the zip it measures the seconds to consume
the streaming generator (best of --repeat rounds) and the peak memory growth while doing so
(tracemalloc, in a separate run so tracing does not slow the timing), next to the floor:
reading the same rows from the database, both as plain tuples and as the entries the export
reads (model instances, tags prefetched per chunk). Target: each export within 3x the floor,
peak memory growth under 50 MB.

The words are sealed in the database (journal/sealing.py): the demo journal is seeded with a
password, which opens its key as sign-in does, and everything that reads or writes words
(the seeding of the timeline, the floors, the exports, deleting the user) runs with that key
active, as a signed-in request runs. The tuple floor reads the stored columns, sealed, and
opens nothing; the entries' floor opens them as the export does.
"""

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 3.0
TARGET_MEMORY_MB = 50.0
FIELDS = (
    "id", "title", "body", "written_on", "kind", "mood", "feelings", "stage", "prompt_text",
    "created_at", "updated_at",
)  # fmt: skip
PASSWORD = "a-long-export-bench-password"


def setup_django(folder: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "0"  # debug would keep every query in memory
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-key-not-used-for-anything-else")
    os.environ.setdefault("DJANGO_MFA_KEY", "bench-only-two-factor-key-not-used-elsewhere")
    os.environ.setdefault("DJANGO_EMAIL_BACKEND", "console")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
    import django

    django.setup()


def seed(entries: int):
    """The bench user, seeded, and the keyring its password opens (the caller makes it
    active, as a signed-in request is)."""
    from accounts.journal_keys import journal_key_open
    from journal.demo import create_demo_journal
    from journal.sealing import Keyring, keys_active

    email = f"bench-{os.getpid()}-{time.time_ns()}@example.com"
    # The demo journal skips about one day in seven; seed enough days, then trim to size.
    user = create_demo_journal(email, days=int(entries / 0.8) + 30, password=PASSWORD)
    opened = journal_key_open(user=user, password=PASSWORD)
    keyring = Keyring.of(opened.key, opened.generation, owner=user.pk)
    with keys_active(keyring):
        trim_and_add_timeline(user, entries)
    return user, keyring


def trim_and_add_timeline(user, entries: int):
    from journal.models import Entry, TimelineEvent

    extra = Entry.objects.filter(user=user).order_by("written_on")[
        : max(0, Entry.objects.filter(user=user).count() - entries)
    ]
    Entry.objects.filter(pk__in=list(extra.values_list("pk", flat=True))).delete()
    if TimelineEvent.objects.filter(user=user).exists():
        return user  # the demo journal brought its own timeline
    first = Entry.objects.filter(user=user).order_by("written_on").first().written_on
    today = user.today()
    day, number = first, 0
    TimelineEvent.objects.create(user=user, kind="meeting", occurred_on=first)
    while (day := day + dt.timedelta(days=200)) < today:
        number += 1
        kind = "separation" if number % 2 else "reunion"
        initiator = ["me", "them", "mutual"][number % 3] if kind == "separation" else ""
        TimelineEvent.objects.create(
            user=user, kind=kind, occurred_on=day, initiator=initiator, note=f"Event {number}."
        )
    return user


def consume(chunks) -> int:
    """What a server does with a streamed body: write each chunk out and let it go."""
    size = 0
    for chunk in chunks:
        size += len(chunk)
    return size


def best_seconds(runs: dict, repeat: int) -> dict[str, float]:
    """The best time of each run. Rounds are interleaved, so a burst of load on the machine
    slows the floor and the exports alike instead of skewing their ratio."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def peak_growth_mb(run) -> float:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        run()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return (peak - before) / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=3650)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="mirror-bench-") as folder:
        setup_django(folder)
        from django.core.management import call_command
        from django.db import connection
        from django.db.models import QuerySet

        from journal.archive.document import stream_markdown
        from journal.archive.selection import Selection, entries_with_tags, export_entries
        from journal.archive.writing import stream_zip
        from journal.models import Entry
        from journal.sealing import keys_active
        from journal.timeline import Timeline

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        user, keyring = seed(args.entries)
        # As a signed-in request: the words are read and written with the journal's key.
        with keys_active(keyring):
            try:
                count = Entry.objects.filter(user=user).count()
                print(
                    f"{connection.vendor}: {count:,} entries seeded in "
                    f"{time.perf_counter() - started:.1f} s"
                )
                timeline = Timeline(user, user.today())
                selection = Selection()

                def floor_rows() -> None:
                    rows = Entry.objects.filter(user=user).order_by("written_on")
                    # The stored columns, words still sealed: the manager's values_list
                    # refuses sealed fields, so the floor asks the plain QuerySet for them
                    # (as journal/search.py does) and opens nothing.
                    list(QuerySet.values_list(rows, *FIELDS))

                def floor_entries() -> None:
                    for _ in entries_with_tags(export_entries(user, selection)):
                        pass

                runs = {
                    "floor: read the rows (tuples)": floor_rows,
                    "floor: read the entries as the export does": floor_entries,
                    "journal.md": lambda: consume(
                        stream_markdown(user, selection, timeline=timeline)
                    ),
                    "journal.zip": lambda: consume(stream_zip(user, selection, timeline=timeline)),
                }
                for run in runs.values():
                    run()  # warm up caches, as a running server would have them
                seconds = best_seconds(runs, args.repeat)
                results = {name: (seconds[name], peak_growth_mb(run)) for name, run in runs.items()}
                sizes = {
                    "journal.md": consume(stream_markdown(user, selection, timeline=timeline)),
                    "journal.zip": consume(stream_zip(user, selection, timeline=timeline)),
                }
            finally:
                user.delete()

    rows_floor = results["floor: read the rows (tuples)"][0]
    entries_floor = results["floor: read the entries as the export does"][0]
    print()
    print(f"{'':44} {'seconds':>8} {'peak MB':>8} {'x rows':>7} {'x entries':>9} {'size':>9}")
    for name, (seconds, memory) in results.items():
        size = f"{sizes[name] / 2**20:.1f} MB" if name in sizes else ""
        print(
            f"{name:44} {seconds:8.3f} {memory:8.1f} {seconds / rows_floor:7.1f} "
            f"{seconds / entries_floor:9.1f} {size:>9}"
        )
    ok = all(
        results[name][0] <= TARGET_RATIO * entries_floor and results[name][1] < TARGET_MEMORY_MB
        for name in ("journal.md", "journal.zip")
    )
    print()
    print(
        f"Target: each export within {TARGET_RATIO:.0f}x the floor of reading the entries, "
        f"peak memory growth under {TARGET_MEMORY_MB:.0f} MB: {'met' if ok else 'NOT met'}."
    )
    if args.entries < 1000:
        print("(with so few entries the fixed cost of an export outweighs the floor)")
    # Informational, like every bench: the exit code says the run worked, not how fast it was.
    return 0


if __name__ == "__main__":
    sys.exit(main())
