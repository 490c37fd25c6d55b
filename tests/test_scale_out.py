"""Two app servers share one PostgreSQL database and keep nothing of their own: a user
signed in through one is signed in on the other, and an entry written through one is read
through the other (bench/scale_out.py does the work; this runs it, bounded in time).

Skipped when no PostgreSQL answers (MIRROR_BENCH_POSTGRES, the server of a PostgreSQL
DATABASE_URL, or postgres@127.0.0.1:5432)."""

import signal

import pytest

from bench.scale_out import run
from bench.servers import postgres_admin_url, postgres_answers

TIME_LIMIT = 28  # seconds: start-up, two servers, a login and an entry take about five

pytestmark = pytest.mark.skipif(
    not postgres_answers(), reason=f"no PostgreSQL answers at {postgres_admin_url()}"
)


def _too_slow(signum, frame):
    raise TimeoutError(f"the two-server check took more than {TIME_LIMIT} s")


def test_two_app_servers_share_sessions_and_entries():
    steps: list[str] = []
    previous = signal.signal(signal.SIGALRM, _too_slow)
    signal.alarm(TIME_LIMIT)
    try:
        run(say=steps.append)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert [step[:2] for step in steps if step[:1].isdigit()] == ["1.", "2.", "3.", "4."]
