"""A page's query count does not grow with the journal: every main page makes the same
number of queries for a journal of 10 entries as for one of 500, and no more than its
stated maximum. Counts, never times (bench/pages.py measures the times). And reading a
page never renders Markdown: entries show the HTML stored when they were saved."""

import markdown
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from journal.figures import journal_changed
from journal.models import Entry, Prompt
from journal.timeline import Timeline
from tests.factories import make_demo_journal, make_entry, sign_in

pytestmark = pytest.mark.django_db

WORD = "lighthouse"  # in one entry of each journal, so a search finds something in both

# The most queries each page may make, the session and the user included: the first
# request after a change to the journal (when journal.figures derives its figures again), and
# the next one. The home page makes one more on a day that falls inside an earlier
# separation as long as this one. Today's prompt reads the library and the user's own
# prompts apart (their words are sealed: journal/sealed.py).
MAX_QUERIES = {
    "today": 15,
    "entries": 6,
    "search": 6,
    "period": 6,
    "entry": 6,
    "timeline": 4,
    "prompts": 4,
    "calendar": 4,
    "export": 4,
    "write to a prompt": 7,
    "own prompt": 3,
}
# Read again, what one query gives (counts, the streak, the tag cloud, the first year) is
# read again: only figures that cost more are cached (journal.figures).
MAX_QUERIES_AGAIN = {
    "today": 6,
    "entries": 5,
    "search": 5,
    "period": 5,
    "entry": 5,
    "timeline": 2,
    "prompts": 4,
    "calendar": 3,
    "export": 3,
    "write to a prompt": 7,
    "own prompt": 3,
}


def journal_pages(entries: int) -> tuple[Client, dict[str, str]]:
    """A signed-in client for a new demo journal of `entries` daily entries with a timeline,
    and the path of each main page, with real values for its parameters."""
    user = make_demo_journal(f"journal-{entries}@example.com", days=entries, gaps=0)
    make_entry(user, body=f"The {WORD} at the end of the pier.", written_on=user.today())
    own = Prompt.objects.create(user=user, text="What did the sea say today?", theme="signs")
    builtin = Prompt.objects.filter(user__isnull=True, retired=False).first()
    timeline = Timeline(user, user.today())
    period = next(
        row.period for row in timeline.rows() if row.period.kind == "separation" and row.entries
    )
    middle = Entry.objects.filter(user=user).order_by("written_on")[entries // 2]
    client = Client()
    sign_in(client, user)
    return client, {
        "today": "/",
        "entries": "/entries/",
        "search": f"/entries/?q={WORD}",
        "period": f"/entries/?period={period.slug}",
        "entry": middle.get_absolute_url(),
        "timeline": "/timeline/",
        "prompts": "/prompts/",
        "calendar": "/calendar/",
        "export": "/export/",
        "write to a prompt": f"/entries/new/?prompt={builtin.pk}",
        "own prompt": f"/prompts/{own.pk}/edit/",
    }


def count_queries(client: Client, path: str) -> tuple[int, int]:
    """(queries of the first request after a change to the journal, of the next one)."""
    client.get(path)  # warm-up: the first request after a login may write the session
    journal_changed(int(client.session["_auth_user_id"]))
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, path
        counts.append(len(captured.captured_queries))
    return counts[0], counts[1]


@pytest.fixture(scope="module")
def measured(django_db_blocker, django_db_setup):
    """{page: (queries with 10 entries, queries with 500)}, and how many times Markdown was
    rendered while the pages were read; measured once for the module."""
    renders = []
    convert = markdown.Markdown.convert

    def counting_convert(self, source):
        renders.append(source)
        return convert(self, source)

    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            small, small_pages = journal_pages(10)
            large, large_pages = journal_pages(500)
            markdown.Markdown.convert = counting_convert
            try:
                result = {
                    name: (count_queries(small, small_pages[name]), count_queries(large, path))
                    for name, path in large_pages.items()
                }
            finally:
                markdown.Markdown.convert = convert
            transaction.set_rollback(True)
    return result, len(renders)


@pytest.fixture
def counts(measured):
    return measured[0]


@pytest.mark.parametrize("page", MAX_QUERIES)
def test_query_count_does_not_grow_with_the_journal(counts, page):
    small, large = counts[page]
    assert small == large, f"{page}: {small} queries with 10 entries, {large} with 500"


@pytest.mark.parametrize("page", MAX_QUERIES)
def test_query_count_stays_under_the_pages_maximum(counts, page):
    (first, again) = counts[page][1]
    assert first <= MAX_QUERIES[page], f"{page}: {first} queries after a change"
    assert again <= MAX_QUERIES_AGAIN[page], f"{page}: {again} queries read again"


def test_reading_pages_never_renders_markdown(measured):
    assert measured[1] == 0
