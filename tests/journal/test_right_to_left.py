"""Hebrew or Arabic a user writes reads right to left wherever it is shown: each piece of
their plain text sits in an element with dir="auto", so the browser sets its direction from
its first letter, and the page around it (English, left to right) is left as it is."""

import datetime as dt
import uuid
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from journal.models import Draft, EntryRevision, EventKind, Prompt, TimelineEvent
from tests.factories import make_entry

pytestmark = pytest.mark.django_db

HEBREW = "שלום עולם"
ARABIC = "مرحبا بالعالم"
WORDS = "كلمات كثيرة"  # in a body: its excerpt and search snippet are plain text (the body
# itself is rendered Markdown, journal.markdown's part)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _DirectionOfText(HTMLParser):
    """For each piece of text holding `word`: the `dir` of the nearest element around it
    that has one ("" when none has). Not the page's <title>, nor a select's options."""

    def __init__(self, word: str) -> None:
        super().__init__()
        self.word = word
        self.open: list[tuple[str, str | None]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append((tag, dict(attrs).get("dir")))

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.word in data and not any(tag in {"title", "option"} for tag, _ in self.open):
            self.found.append(next((d for _, d in reversed(self.open) if d is not None), ""))


def directions(html: str, word: str) -> list[str]:
    parser = _DirectionOfText(word)
    parser.feed(html)
    return parser.found


def assert_auto(client, url: str, word: str, times: int = 1) -> None:
    response = client.get(url)
    assert response.status_code == 200
    found = directions(response.text, word)
    assert len(found) >= times, (url, word, found)
    assert set(found) == {"auto"}, (url, word, found)


@pytest.fixture
def written(alice):
    """Alice writes in Hebrew and Arabic: a title, a body, tags, her own prompt, a note."""
    alice.display_name = ARABIC
    alice.save()
    today = alice.today()
    TimelineEvent.objects.create(
        user=alice,
        kind=EventKind.MEETING,
        occurred_on=today - dt.timedelta(days=20),
        note=f"{ARABIC} note",
    )
    prompt = Prompt.objects.create(user=alice, text=f"{HEBREW}?", theme=ARABIC)
    first = make_entry(
        alice,
        title=HEBREW,
        body=f"{WORDS} body",
        tags=[HEBREW],
        prompt=prompt,
        written_on=today - dt.timedelta(days=2),
    )
    second = make_entry(alice, title=ARABIC, body="Plain.", written_on=today - dt.timedelta(days=1))
    EntryRevision.objects.create(
        entry=first, user=alice, title=ARABIC, body=HEBREW, version=1, saved_at=first.updated_at
    )
    Draft.objects.create(user=alice, key=uuid.uuid4().hex, title=ARABIC, body="words")
    return {"first": first, "second": second, "prompt": prompt}


def test_titles_bodies_excerpts_and_tags_get_dir_auto(alice_client, written):
    first, second, prompt = written["first"], written["second"], written["prompt"]
    entry_page = first.get_absolute_url()
    assert_auto(alice_client, entry_page, HEBREW, times=3)  # the title, the prompt, the tag
    assert_auto(alice_client, entry_page, ARABIC)  # the next entry's title
    assert_auto(alice_client, second.get_absolute_url(), HEBREW, times=1)  # the previous
    assert_auto(alice_client, reverse("journal:entry-list"), HEBREW, times=3)  # cloud, card
    assert_auto(alice_client, reverse("journal:entry-list"), ARABIC)  # the title
    assert_auto(alice_client, reverse("journal:entry-list"), WORDS)  # the excerpt
    search = reverse("journal:entry-list") + f"?q={WORDS.split()[0]}"
    assert_auto(alice_client, search, WORDS.split()[1])  # the snippet
    assert_auto(alice_client, reverse("journal:entry-history", args=[first.pk]), HEBREW, 2)
    assert_auto(alice_client, reverse("journal:entry-history", args=[first.pk]), ARABIC)
    assert_auto(alice_client, reverse("journal:entry-delete", args=[first.pk]), HEBREW)
    assert_auto(alice_client, reverse("journal:entry-delete", args=[first.pk]), WORDS)
    assert_auto(alice_client, reverse("journal:export-print"), HEBREW, times=3)
    assert_auto(alice_client, reverse("journal:export-print"), ARABIC, times=2)  # title, note
    assert_auto(alice_client, reverse("journal:entry-edit", args=[first.pk]), HEBREW, 2)
    assert_auto(alice_client, f"{reverse('journal:entry-create')}?prompt={prompt.pk}", HEBREW, 2)
    assert_auto(alice_client, reverse("journal:entry-create"), ARABIC)  # a draft's title


def test_prompts_notes_and_the_display_name_get_dir_auto(alice_client, written):
    prompt = written["prompt"]
    prompts = reverse("journal:prompt-list")
    assert_auto(alice_client, prompts + f"?theme={ARABIC}", HEBREW)  # own prompt's text
    assert_auto(alice_client, prompts + f"?theme={ARABIC}", ARABIC)  # and its theme
    assert_auto(alice_client, reverse("journal:prompt-delete", args=[prompt.pk]), HEBREW)
    assert_auto(alice_client, reverse("journal:timeline"), f"{ARABIC} note")
    assert_auto(alice_client, reverse("home"), ARABIC)  # Hello, <name>.
