"""The /timeline/ page's parts drawn by templates: the picture
(templates/journal/pictures/timeline.html), the period cards and the event list (partials of
templates/journal/timeline.html). They escape what they must and link where they must, and
their drawn fragments, kept until the journal changes, follow every change."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from journal import timeline as timeline_module
from journal.models import TimelineEvent
from journal.periods import derive_periods
from journal.pictures.timeline import build_picture
from tests.factories import make_entry

pytestmark = pytest.mark.django_db

TIMELINE = reverse("journal:timeline")
SVG = "{http://www.w3.org/2000/svg}"
MARKUP = '<script>alert("x")</script> & <b>bold</b>'


def event(user, kind, day, initiator="", note=""):
    return TimelineEvent.objects.create(
        user=user, kind=kind, occurred_on=day, initiator=initiator, note=note
    )


def items(html: str, list_class: str) -> list[str]:
    """The markup of each item of the page's list with this class (its own items only)."""
    start = re.search(rf'<(ol|ul) class="{list_class}"[^>]*>', html)
    found, depth, opened = [], 0, 0
    for tag in re.finditer(r"<(/?)(li|ol|ul)\b[^>]*>", html[start.end() :]):
        closing, name = tag.group(1), tag.group(2)
        if name != "li":
            if closing and depth == 0:
                return found  # the list's own end
            continue
        if not closing:
            depth += 1
            if depth == 1:
                opened = tag.start()
        else:
            depth -= 1
            if depth == 0:
                found.append(html[start.end() :][opened : tag.end()])
    return found


def text(markup: str) -> str:
    """What a reader sees: tags out, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", markup).split())


def test_an_urge_note_is_escaped_in_the_picture() -> None:
    today = dt.date(2026, 6, 30)
    events = [
        TimelineEvent(kind="meeting", occurred_on=dt.date(2026, 1, 1)),
        TimelineEvent(kind="urge", occurred_on=dt.date(2026, 2, 1), note=MARKUP),
    ]
    picture = build_picture(derive_periods(events, today), today=today, entries=[])

    html = render_to_string("journal/pictures/timeline.html", {"picture": picture})
    root = ET.fromstring(f"<root>{html}</root>")
    (urge,) = [e for e in root.iter(f"{SVG}path") if e.get("class") == "tl-urge" and e.get("d")]
    assert urge.find(f"{SVG}title").text == f"Urge to reach out — 1 Feb 2026: {MARKUP}"
    assert "<script>" not in html and "<b>" not in html
    assert "&amp;lt;" not in html  # escaped once, not twice


def test_each_event_links_to_its_own_edit_and_delete_pages(alice_client, alice):
    met = event(alice, "meeting", dt.date(2024, 3, 9))
    left = event(alice, "separation", dt.date(2025, 11, 4), "me")

    response = alice_client.get(TIMELINE)
    newest, oldest = items(response.text, "event-list")

    for markup, saved, name in [
        (newest, left, "Separation — I left of 4 Nov 2025"),
        (oldest, met, "We met of 9 Mar 2024"),
    ]:
        edit = reverse("journal:event-edit", args=[saved.pk])
        delete = reverse("journal:event-delete", args=[saved.pk])
        assert f'<a href="{edit}">Edit<span class="visually-hidden"> {name}</span></a>' in markup
        assert (
            f'<a class="danger-link" href="{delete}">Delete'
            f'<span class="visually-hidden"> {name}</span></a>'
        ) in markup
        day = saved.occurred_on
        assert f'<time datetime="{day:%Y-%m-%d}">{date_filter(day, "j M Y")}</time>' in markup


def test_an_event_note_is_shown_sanitized_and_escaped_in_the_tooltip(alice_client, alice):
    today = alice.today()
    event(alice, "meeting", today - dt.timedelta(days=30))
    event(alice, "separation", today - dt.timedelta(days=20), "them")
    saved = event(alice, "contact", today - dt.timedelta(days=10), note=MARKUP)

    html = alice_client.get(TIMELINE).text

    assert 'alert("x")</script>' not in html
    (contact,) = [i for i in items(html, "event-list") if "Contact" in i]
    # The note as the sanitizer stored it: the script tag escaped, the bold kept.
    assert saved.note_html == '&lt;script&gt;alert("x")&lt;/script&gt;\n<p>&amp; <b>bold</b></p>'
    assert f'<div class="event-note prose" dir="auto">{saved.note_html}</div>' in contact
    # The tooltip on the picture quotes the note as text.
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html


def test_period_cards_give_dates_lengths_and_facts(alice_client, alice):
    today = alice.today()
    event(alice, "meeting", today - dt.timedelta(days=1))
    event(alice, "separation", today, "mutual")
    event(alice, "contact", today)
    event(alice, "urge", today)

    cards = items(alice_client.get(TIMELINE).text, "period-list")

    current, together, before = cards
    assert current.startswith('<li class="period-card period-card--separation period-card--both">')
    assert f'href="{reverse("journal:entry-list")}?period=separation-1"' in current
    assert text(current) == (
        f"Separation 1 — mutual {date_filter(today, 'j M Y')} – today · 1 day 0 entries "
        "1 contact 0 days without contact 1 urge to reach out, written through"
    )
    yesterday = date_filter(today - dt.timedelta(days=1), "j M Y")
    assert text(together) == f"Together {yesterday} – {yesterday} · 1 day 0 entries"
    assert (
        text(before)
        == f"Before we met Until {date_filter(today - dt.timedelta(days=2), 'j M Y')} 0 entries"
    )


def picture_of(html: str) -> ET.Element:
    """The page's picture, parsed: from its frame to the end of its hint."""
    start = html.index('<div class="tl-picture">')
    end = html.index("</div>", html.index('class="tl-hint"')) + len("</div>")
    return ET.fromstring(f"<root>{html[start:end]}</root>")


def test_the_drawn_picture_and_lists_follow_every_change(alice_client, alice, monkeypatch):
    today = alice.today()
    event(alice, "meeting", today - dt.timedelta(days=30))
    html = alice_client.get(TIMELINE).text
    assert text(items(html, "period-list")[0]).endswith("0 entries")
    assert not [e for e in picture_of(html).iter(f"{SVG}rect") if e.get("class") == "tl-bar"]

    make_entry(alice, written_on=today - dt.timedelta(days=1), mood=4)
    html = alice_client.get(TIMELINE).text
    assert text(items(html, "period-list")[0]).endswith("1 entry average mood 4.0/5")
    assert [e.get("class") for e in picture_of(html).iter(f"{SVG}rect")].count("tl-bar") == 1

    contact = event(alice, "contact", today - dt.timedelta(days=2), note="First words")
    html = alice_client.get(TIMELINE).text
    assert "First words" in items(html, "event-list")[0]
    assert [e.get("class") for e in picture_of(html).iter(f"{SVG}line")].count("tl-contact") == 1

    contact.note = "Second words"
    contact.save()
    html = alice_client.get(TIMELINE).text
    assert "Second words" in items(html, "event-list")[0]
    assert "First words" not in html

    contact.delete()
    html = alice_client.get(TIMELINE).text
    assert len(items(html, "event-list")) == 1
    assert "Second words" not in html

    # A new day: the periods count to it, and the picture ends on it.
    tomorrow = today + dt.timedelta(days=1)
    monkeypatch.setattr(User, "today", lambda self: tomorrow)
    html = alice_client.get(TIMELINE).text
    assert "· 32 days" in items(html, "period-list")[0]
    (link,) = picture_of(html).iter(f"{SVG}a")
    assert link.find(f"{SVG}title").text.endswith("(32 days so far)")


def test_the_picture_is_built_only_to_be_drawn(alice_client, alice, monkeypatch):
    event(alice, "meeting", alice.today() - dt.timedelta(days=30))
    built = []
    real = timeline_module.build_picture
    monkeypatch.setattr(
        timeline_module, "build_picture", lambda *a, **k: built.append(1) or real(*a, **k)
    )

    first = alice_client.get(TIMELINE).text
    again = alice_client.get(TIMELINE).text

    assert len(built) == 1
    assert ET.tostring(picture_of(first)) == ET.tostring(picture_of(again))
    event(alice, "urge", alice.today())
    alice_client.get(TIMELINE)
    assert len(built) == 2


def test_each_card_and_event_is_drawn_again_when_what_it_shows_changes(alice_client, alice):
    """The lists keep each card and event drawn under a digest of what it shows: a new
    entry redraws the period it falls in, an edited note its event, and nothing else
    changes."""
    met = event(alice, "meeting", dt.date(2025, 1, 1), note="First light.")
    event(alice, "separation", dt.date(2025, 2, 1), initiator="them")
    make_entry(alice, written_on=dt.date(2025, 1, 5))
    before = alice_client.get(TIMELINE).text
    periods, events = items(before, "period-list"), items(before, "event-list")
    assert "1 entry" in text(periods[-2])  # newest first: together, before we met last

    make_entry(alice, written_on=dt.date(2025, 1, 9))  # in the first period
    met.note = "First light, and the sea."
    met.save()
    after = alice_client.get(TIMELINE).text
    redrawn = items(after, "period-list")
    assert "2 entries" in text(redrawn[-2])
    assert redrawn[:-2] + redrawn[-1:] == periods[:-2] + periods[-1:]  # the others unchanged
    assert "and the sea" in text(items(after, "event-list")[-1])
    assert items(after, "event-list")[:-1] == events[:-1]
