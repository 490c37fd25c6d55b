"""journal.md keeps what a user typed as plain text (their name, titles, prompts, tags,
timeline notes) as text in any Markdown viewer: a title that looks like HTML or Markdown is
shown as typed, never turned into markup. Bodies stay Markdown, exactly as written."""

import datetime as dt
import io
import zipfile
from html.parser import HTMLParser

import markdown
import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.archive.plain import markdown_text
from journal.archive.timeline_file import parse_timeline
from journal.models import Prompt, TimelineEvent
from tests.factories import make_entry

pytestmark = pytest.mark.django_db

MD = reverse("journal:export-md")
ZIP = reverse("journal:export-zip")
HOSTILE = "<img src=x onerror=alert(1)>"


class _Page(HTMLParser):
    """The elements, the elements inside headings, and the visible text of rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.in_headings: list[str] = []
        self.text: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if {"h1", "h2", "h3"} & set(self.open):
            self.in_headings.append(tag)
        self.tags.append(tag)
        self.open.append(tag)

    def handle_endtag(self, tag) -> None:
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]

    def handle_data(self, data) -> None:
        self.text.append(data)


def rendered(document: str) -> _Page:
    page = _Page()
    page.html = markdown.markdown(document)
    page.feed(page.html)
    page.close()
    return page


def visible(page: _Page) -> str:
    return " ".join("".join(page.text).split())


def journal_md(client) -> str:
    return b"".join(client.get(MD).streaming_content).decode()


def test_plain_text_fields_that_look_like_html_stay_text(alice_client, alice):
    alice.display_name = f"Alice {HOSTILE}"
    alice.save()
    prompt = Prompt.objects.create(user=alice, text="Why? <script>alert(2)</script>")
    make_entry(
        alice,
        title=HOSTILE,
        body="The body is *Markdown*.",
        prompt=prompt,
        tags=["<b>bold</b>", "[link](http://x.example)"],
    )
    TimelineEvent.objects.create(
        user=alice, kind="contact", occurred_on=dt.date(2025, 3, 1), note=f"He wrote {HOSTILE}"
    )
    page = rendered(journal_md(alice_client))
    assert not {"img", "script", "b", "a"} & set(page.tags)
    assert page.in_headings == []
    text = visible(page)
    assert f"Mirror journal of Alice {HOSTILE}" in text
    assert f"He wrote {HOSTILE}" in text
    assert "Why? <script>alert(2)</script>" in text
    assert "<b>bold</b>, [link](http://x.example)" in text
    assert text.count(HOSTILE) == 3  # the name, the title and the note
    # The body is still Markdown: its emphasis is emphasis.
    assert "<p>The body is <em>Markdown</em>.</p>" in page.html


def test_markdown_in_a_title_is_shown_as_typed(alice_client, alice):
    title = "# not a *heading*, `code` or [a link](http://x.example) & &amp; ~~ok~~ \\"
    make_entry(alice, title=title)
    page = rendered(journal_md(alice_client))
    assert page.in_headings == []
    assert page.tags.count("h1") == 1  # the document's own title
    assert not {"code", "a", "del", "s"} & set(page.tags)
    assert title in visible(page)


def test_a_multi_line_note_stays_one_list_item_of_text(alice_client, alice):
    note = "First line\n# not a heading\n- not a list\n1. nor this\n===\n    not code <i>"
    TimelineEvent.objects.create(
        user=alice, kind="contact", occurred_on=dt.date(2025, 3, 1), note=note
    )
    page = rendered(journal_md(alice_client))
    # The document's title and its "Timeline" heading; the note adds nothing but text.
    assert set(page.tags) <= {"h1", "h2", "ul", "li", "p"}
    assert page.tags.count("h1") == 1
    assert page.tags.count("li") == 1
    assert " ".join(line.strip() for line in note.split("\n")) in visible(page)


def test_the_zips_timeline_keeps_notes_as_typed_for_the_import(alice_client, alice):
    note = "At the *station*, <i>finally</i> #1"
    TimelineEvent.objects.create(
        user=alice, kind="meeting", occurred_on=dt.date(2025, 3, 1), note=note
    )
    data = b"".join(alice_client.get(ZIP).streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        timeline = archive.read("timeline.md").decode()
    assert f"- 2025-03-01 meeting: {note}\n" in timeline
    events, problems = parse_timeline(timeline)
    assert problems == []
    assert [event.note for event in events] == [note]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))))
def test_any_single_line_renders_as_itself(text):
    line = " ".join(text.split())
    for document, shown in [
        (f"### {markdown_text(line)}", line),
        (f"- **Tags:** {markdown_text(line)}", " ".join(f"Tags: {line}".split())),
    ]:
        page = rendered(document)
        assert visible(page) == shown
        assert set(page.tags) <= {"h3", "ul", "li", "strong"}
