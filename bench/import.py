"""Import benchmark: an honest ten-year archive imported, hostile archives refused.

    python bench/import.py [--entries 3650] [--quick]

Seeds a demo journal (`journal.demo`, as `seed_demo` does: an entry a day and a timeline),
exports it with Mirror's own zip export and imports that archive for a new user. Then it
imports each hostile archive of issue 13 (a 10 MB body, a 30 MB title, 500,000 front
matter keys, members that unpack to tens of MB, zip headers that lie about sizes, a YAML
alias bomb, 20,000 entries, and a few more) and checks that each is refused; and, unless
--quick, the largest archive the limits accept (10,000 entries, 12 MB of text).

Every import runs in a fresh Python process, so the memory it reports is its own: the peak
resident size during the import (VmHWM, reset just before) over the size just before it,
the archive opened from a file as Django hands over an upload. (Markdown renders in a
helper process of bounded size, started before the import as on a running server, and not
counted.) Seconds are wall time from opening the archive to the summary or the refusal.

Uses a throw-away SQLite database in a temporary folder, or, when DATABASE_URL names a
PostgreSQL server, a throw-away database `mirror_bench_import_…` there (dropped at the end).
`--quick` (the CI smoke run) imports a 200-entry journal unless --entries says otherwise.
The words are sealed in the database (journal/sealing.py): the demo journal is seeded with a
password that opens its key for the export, and each import's new user gets a journal key
(made before the import is measured), active while it imports, as a signed-in request has.
Then a Day One export of as many entries (a kilobyte of place and weather records each, a
photo every tenth day) is previewed and imported, each in a process of its own.
Targets: the honest 3,650-entry archive in under 15 s; the Day One export previewed in
under 5 s and imported in under 15 s; each hostile one refused in under
3 s and 50 MB. Exits non-zero only on errors (an honest archive refused, a hostile one
accepted, a crash), never on timings.
"""

import argparse
import datetime as dt
import io
import json
import os
import random
import resource
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.zips import lying_sizes  # noqa: E402

TARGET_HONEST_SECONDS = 15.0
TARGET_DAYONE_SECONDS = (5.0, 15.0)  # a 3,650-entry Day One export: its preview, its import
TARGET_REFUSAL_SECONDS = 3.0
TARGET_REFUSAL_MB = 50.0
CHILD_TIMEOUT = 300  # seconds; an import that takes longer is reported as an error
FRONT = "---\ndate: 2025-03-14\n---\n"
PASSWORD = "a-long-import-bench-password"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "0"  # debug would keep every query in memory
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-key-not-used-for-anything-else")
    os.environ.setdefault("DJANGO_MFA_KEY", "bench-only-two-factor-key-not-used-elsewhere")
    os.environ.setdefault("DJANGO_EMAIL_BACKEND", "console")
    import django

    django.setup()


# The archives -----------------------------------------------------------------------------


def zipped(files: Iterable[tuple[str, str]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, text in files:
            archive.writestr(name, text)
    return buffer.getvalue()


def central_directory_bomb(count: int) -> bytes:
    """One empty file listed `count` times: 47 MB of records that a zip reader turns into
    `count` objects before anyone can count them."""
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0x21, 0, 0, 0, 1, 0) + b"a"
    records = bytearray()
    for number in range(count):
        name = b"entries/%07d.md" % number
        records += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0x21, 0, 0, 0, len(name), 0, 0, 0,
            0, 0, 0,
        )  # fmt: skip
        records += name
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, len(records), len(local), 0)
    return local + bytes(records) + end


def alias_bomb() -> str:
    """A "billion laughs": ten lines of front matter that stand for 10^10 values."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{n}: &a{n} [{','.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 10)]
    return "---\ndate: 2025-03-14\n" + "\n".join(lines) + "\n---\nBody.\n"


def many_keys(count: int) -> str:
    return "---\ndate: 2025-03-14\n" + "".join(f"k{n}: v\n" for n in range(count)) + "---\nB\n"


def at_the_limits() -> bytes:
    """The most an import accepts: 10,000 entries of demo text, 12 MB unpacked."""
    from journal.demo import demo_body

    rng = random.Random(13)
    first = dt.date(1999, 1, 1)
    return zipped(
        (
            f"entries/{n:05}.md",
            f"---\ndate: {first + dt.timedelta(days=n)}\n---\n{demo_body(rng, 300)[:1230]}",
        )
        for n in range(10_000)
    )


HOSTILE: dict[str, Callable[[], bytes]] = {
    "a 10 MB body": lambda: zipped([("entries/body.md", FRONT + "word " * 2_000_000)]),
    "a 30 MB title": lambda: zipped(
        [("entries/title.md", "---\ndate: 2025-03-14\ntitle: " + "x" * 30_000_000 + "\n---\nB")]
    ),
    "500,000 keys in one file": lambda: zipped([("entries/keys.md", many_keys(500_000))]),
    "500,000 keys over 5,000 files": lambda: zipped(
        (f"entries/{n:05}.md", many_keys(99)) for n in range(5_000)
    ),
    "a YAML alias bomb": lambda: zipped([("entries/laughs.md", alias_bomb())]),
    "40 members of 500 KB (20 MB)": lambda: zipped(
        (f"entries/{n:02}.md", FRONT + "All work and no play. " * 23_000) for n in range(40)
    ),
    "10 members of 5 MB said to be 1 KB": lambda: lying_sizes(
        zipped((f"entries/{n}.md", FRONT + "x" * 5_000_000) for n in range(10)), 1024
    ),
    "20,000 entries": lambda: zipped(
        ((f"entries/{n:05}.md", FRONT + "Hi.") for n in range(20_000)), zipfile.ZIP_STORED
    ),
    "a zip listing 1,000,000 files": lambda: central_directory_bomb(1_000_000),
    "a timeline of 200,000 events": lambda: zipped(
        [("timeline.md", "- 2025-03-14 urge\n" * 200_000)]
    ),
    "3 bodies of 100,001 characters": lambda: zipped(
        (f"entries/{n}.md", FRONT + "é" * 100_001) for n in range(3)
    ),
}


def honest_archive(entries: int, path: Path) -> str:
    """Mirror's own export of a seeded journal, written to `path`; says what it holds."""
    from accounts.journal_keys import journal_key_open
    from journal.archive.selection import Selection
    from journal.archive.writing import stream_zip
    from journal.demo import create_demo_journal
    from journal.sealing import Keyring, keys_active
    from journal.timeline import Timeline

    email = f"bench-import-{os.getpid()}@example.com"
    user = create_demo_journal(email, days=entries, gaps=0, password=PASSWORD)
    opened = journal_key_open(user=user, password=PASSWORD)
    with keys_active(Keyring.of(opened.key, opened.generation, owner=user.pk)):
        try:
            with open(path, "wb") as file:
                for chunk in stream_zip(user, Selection(), timeline=Timeline(user, user.today())):
                    file.write(chunk)
            count, events = user.entries.count(), user.timeline_events.count()
        finally:
            user.delete()
    return f"honest: {count:,} entries, {events} events"


def dayone_archive(entries: int, path: Path) -> str:
    """A Day One export zip of `entries` daily entries as Day One writes them: a heading for
    a title, escaped punctuation, a photo reference every tenth day, tags, a place and the
    weather (a kilobyte of records an entry), in its writer's time zone."""
    from journal.demo import TITLES, demo_body

    rng = random.Random(7)
    start = dt.datetime(2016, 1, 1, 21, 30, tzinfo=dt.UTC)
    center = {"latitude": 51.5, "longitude": -0.12}
    place = {"placeName": "Home", **center, "region": {"radius": 75, "center": center}}
    weather = {"conditionsDescription": "Cloudy", "temperatureCelsius": 9, "windSpeedKPH": 12}
    records = []
    for day in range(entries):
        created = start + dt.timedelta(days=day)
        photos = [{"identifier": f"P{day:05d}", "type": "jpeg"}] if day % 10 == 0 else []
        text = f"# {rng.choice(TITLES)}\n\n" + demo_body(rng, words=rng.randint(150, 740))
        text = text.replace(".", "\\.", 3)
        if photos:
            text += f"\n\n![](dayone-moment://{photos[0]['identifier']})"
        records.append(
            {
                "uuid": f"{day:032X}",
                "creationDate": created.isoformat().replace("+00:00", "Z"),
                "modifiedDate": (created + dt.timedelta(hours=1)).isoformat(),
                "timeZone": "Europe/London",
                "starred": day % 30 == 0,
                "tags": rng.sample(["mirror", "sea", "night", "family", "work"], rng.randint(0, 2)),
                "text": text,
                "photos": photos,
                "location": place,
                "weather": weather,
            }
        )
    document = json.dumps({"metadata": {"version": "1.0"}, "entries": records}, indent=2)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Journal.json", document)
    return f"Day One: {entries:,} entries, {len(document) / 2**20:.1f} MB of JSON"


# Importing, one process each --------------------------------------------------------------


def _status_mb(field: str) -> float | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return None


def resident_mb() -> float:
    """The process's resident size now (Linux; elsewhere its peak so far)."""
    now = _status_mb("VmRSS")
    return now if now is not None else peak_mb()


def peak_mb() -> float:
    """The process's peak resident size: VmHWM on Linux (ru_maxrss keeps the parent's peak
    across fork and exec), else ru_maxrss."""
    peak = _status_mb("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    """Start the peak afresh (Linux 4.0+: writing 5 to clear_refs resets VmHWM)."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        pass


def child(path: str, *, preview: bool = False) -> None:
    """Import (or only preview) the archive at `path` for a new user; print what happened
    as JSON."""
    setup_django()
    from accounts.journal_keys import journal_key_create
    from accounts.models import User
    from journal.archive.importing import journal_import
    from journal.archive.preview import import_preview
    from journal.archive.reading import ImportRejected
    from journal.markdown import render_markdown
    from journal.sealing import Keyring, keys_active

    render_markdown("*Warm* up.")  # as a running server has: its Markdown helper started
    user = User.objects.create_user(email=f"import-{os.getpid()}-{time.time_ns()}@example.com")
    # The new user's journal key, as sign-up makes it (Argon2id: before the measured part).
    opened, _ = journal_key_create(user=user, password=PASSWORD)
    with keys_active(Keyring.of(opened.key, opened.generation, owner=user.pk)):
        before = resident_mb()
        reset_peak()
        started = time.perf_counter()
        try:
            with open(path, "rb") as archive:
                if preview:
                    seen = import_preview(user=user, archive_file=archive)
                else:
                    result = journal_import(user=user, archive_file=archive)
        except ImportRejected as rejected:
            outcome = {"refused": rejected.problems[0]}
        else:
            if preview:
                outcome = {"previewed": seen.new}
            else:
                outcome = {"imported": result.created, "events": result.events_created}
        seconds = time.perf_counter() - started
        grown = peak_mb() - before
        user.delete()
    print(json.dumps({"seconds": seconds, "mb": grown, **outcome}))


def run_child(path: Path, *, preview: bool = False) -> dict:
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(path), *(["--preview"] if preview else [])],
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish in {CHILD_TIMEOUT} s"}
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def database(folder: Path) -> tuple[str, str | None]:
    """The URL to import into, and the PostgreSQL database to drop afterwards (if any)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{folder / 'bench.sqlite3'}", None
    from bench.servers import create_postgres_database, postgres_admin_url

    created, name = create_postgres_database(postgres_admin_url(), "mirror_bench_import")
    if created is None:
        raise SystemExit(f"cannot create a PostgreSQL database: {name}")
    return created, name


def measure(entries: int, quick: bool, folder: Path) -> list[tuple[str, dict, bool]]:
    """(what, outcome, whether it should be imported) for each archive."""
    setup_django()
    from django.core.management import call_command
    from django.db import connection, connections

    call_command("migrate", verbosity=0)
    print(f"{connection.vendor}: import benchmark")
    path = folder / "archive.zip"
    label = honest_archive(entries, path)
    connections.close_all()  # the children use the database from here on
    sized = f"{label} ({path.stat().st_size / 2**20:.1f} MB zipped)"
    rows = [(sized, run_child(path), True)]
    dayone = folder / "dayone.zip"
    label = dayone_archive(entries, dayone)
    rows.append((f"{label}, preview", run_child(dayone, preview=True), True))
    rows.append((f"{label}, import", run_child(dayone), True))
    cases = [(label, build, False) for label, build in HOSTILE.items()]
    if not quick:
        cases.append(("the most the limits accept: 10,000 entries, 12 MB", at_the_limits, True))
    for label, build, honest in cases:
        data = build()
        path.write_bytes(data)
        del data
        sized = f"{label} ({path.stat().st_size / 2**20:.1f} MB zipped)"
        rows.append((sized, run_child(path), honest))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=None, help="of the honest journal")
    parser.add_argument("--quick", action="store_true", help="a small honest archive (CI)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--preview", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, preview=args.preview)
        return 0
    entries = args.entries or (200 if args.quick else 3650)

    with tempfile.TemporaryDirectory(prefix="mirror-bench-") as name:
        url, postgres = database(Path(name))
        os.environ["DATABASE_URL"] = url
        try:
            rows = measure(entries, args.quick, Path(name))
        finally:
            if postgres:
                from bench.servers import drop_postgres_database, postgres_admin_url

                drop_postgres_database(postgres_admin_url(), postgres)

    errors = []
    print()
    print(f"{'archive':62} {'seconds':>8} {'peak MB':>8}  outcome")
    for label, outcome, honest in rows:
        if "error" in outcome:
            errors.append(f"{label}: {outcome['error']}")
            print(f"{label:62} {'':>8} {'':>8}  ERROR {outcome['error']}")
            continue
        if "imported" in outcome:
            said = f"imported {outcome['imported']:,} entries, {outcome['events']} events"
        elif "previewed" in outcome:
            said = f"previewed {outcome['previewed']:,} new entries"
        else:
            said = f"refused: {outcome['refused']}"
        print(f"{label:62} {outcome['seconds']:8.2f} {outcome['mb']:8.1f}  {said}")
        if honest != ("imported" in outcome or "previewed" in outcome):
            errors.append(f"{label}: {'refused' if honest else 'ACCEPTED'}")

    print()
    first = rows[0][1]
    if "seconds" in first:
        met = first["seconds"] < TARGET_HONEST_SECONDS
        print(
            f"Target: the honest archive imports in under {TARGET_HONEST_SECONDS:.0f} s: "
            f"{'met' if met else 'NOT met'}" + ("" if entries == 3650 else f" (at {entries:,})")
        )
    for (label, outcome, _), target in zip(rows[1:3], TARGET_DAYONE_SECONDS, strict=True):
        if "seconds" in outcome:
            met = outcome["seconds"] < target
            print(
                f"Target: {label.split(', ')[-1]} of the Day One export in under {target:.0f} s: "
                f"{'met' if met else 'NOT met'}" + ("" if entries == 3650 else f" (at {entries:,})")
            )
    refused = [outcome for _, outcome, honest in rows if not honest and "refused" in outcome]
    met = all(
        o["seconds"] < TARGET_REFUSAL_SECONDS and o["mb"] < TARGET_REFUSAL_MB for o in refused
    )
    print(
        f"Target: each hostile archive refused in under {TARGET_REFUSAL_SECONDS:.0f} s and "
        f"{TARGET_REFUSAL_MB:.0f} MB: {'met' if met else 'NOT met'}."
    )
    for error in errors:
        print(f"ERROR {error}", file=sys.stderr)
    # Informational, like every bench: the exit code says the run worked, not how fast it was.
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
