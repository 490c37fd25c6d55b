"""Entry cards and prompt items (templates/journal/includes/): what they show, and that
everything the user wrote comes out escaped."""

import datetime as dt

from django.template.loader import render_to_string

from journal.models import Entry, Prompt
from tests.factories import make_entry

HOSTILE = '<img src=x onerror=alert(1)> & "q"'


def entry_cards(entries, level=3) -> str:
    return "".join(
        render_to_string("journal/includes/entry_card.html", {"entry": entry, "level": level})
        for entry in entries
    )


def prompt_items(prompts) -> str:
    return "".join(
        render_to_string("journal/includes/prompt_item.html", {"prompt": prompt})
        for prompt in prompts
    )


def test_a_card_shows_the_entry_and_escapes_what_the_user_wrote(alice):
    entry = make_entry(
        alice,
        title=HOSTILE,
        body=f"Body {HOSTILE}",
        written_on=dt.date(2025, 3, 14),
        kind="dream",
        mood=2,
        stage="surrender",
        tags=["night sky", "a&b"],
    )
    html = entry_cards(Entry.objects.for_list().filter(pk=entry.pk), level=2)
    assert "<img" not in html
    escaped = "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;"
    assert f'<a href="/entries/{entry.pk}/">{escaped}</a></h2>' in html
    assert '<time datetime="2025-03-14">Friday, 14 March 2025</time>' in html
    assert '<span class="badge badge--dream">Dream</span>' in html
    assert "Mood 2/5 · Low" in html
    assert '<span class="stage">Surrender</span>' in html
    assert f'<p class="excerpt" dir="auto">Body {escaped}</p>' in html
    assert '<a class="tag" dir="auto" href="/entries/?tag=a%26b">#a&amp;b</a>' in html
    assert '<a class="tag" dir="auto" href="/entries/?tag=night%20sky">#night sky</a>' in html


def test_a_card_without_title_mood_or_tags_says_what_it_is(alice):
    entry = make_entry(alice, written_on=dt.date(2025, 1, 5))
    html = entry_cards([Entry.objects.for_list().get(pk=entry.pk)])
    assert '<h3 class="entry-card-title" dir="auto">' in html
    assert ">Reflection of 5 January 2025</a>" in html
    assert "mood" not in html and "tag-list" not in html


def test_prompt_items_link_to_writing_and_offer_edits_only_for_own_prompts(alice):
    own = Prompt.objects.create(user=alice, text=HOSTILE, perspective="any", theme="x<y")
    builtin = Prompt.objects.filter(user=None).first()
    html = prompt_items([own, builtin])
    assert "<img" not in html
    assert f'href="/entries/new/?prompt={own.pk}"' in html
    assert f'href="/entries/new/?prompt={builtin.pk}"' in html
    assert html.count("Edit<span") == 1
    assert f"/prompts/{own.pk}/edit/" in html
    assert '<span dir="auto">x&lt;y</span>' in html
