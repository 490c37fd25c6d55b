"""The lists that pages repeat many times, drawn in Python: entry cards and prompt items.

A list page shows up to 20 entry cards and the prompt page more than a hundred prompts; as
template includes each cost about a quarter of a millisecond, most of a page's time. Here
each is an f-string, with every value escaped as the template's autoescaping would (the
standard library's `html.escape`, which Django's `escape` wraps); the only HTML passed
through is a search snippet, already safe (`journal.markdown.highlight` marks it up from
escaped text), through `conditional_escape`. See journal.drawn.

    {% load journal %}{% entry_cards entries level=2 %}   {% prompt_items prompts %}
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape as _text  # plain strings: as Django's escape, without its wrapper
from urllib.parse import quote

from django.urls import reverse
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.html import conditional_escape as _e
from django.utils.safestring import SafeString

from .drawn import drawn
from .models import (
    MOOD_LABELS,
    Entry,
    Kind,
    Prompt,
    PromptDays,
    PromptPerspective,
    PromptPhase,
    Stage,
)

KIND_LABELS = dict(Kind.choices)
STAGE_LABELS = dict(Stage.choices)
PERSPECTIVE_LABELS = dict(PromptPerspective.choices)
PHASE_LABELS = dict(PromptPhase.choices)
DAYS_LABELS = dict(PromptDays.choices)


def entry_cards(entries: Iterable[Entry], level: int = 3) -> SafeString:
    """The cards of `entries` (read with `for_list`), headed at `level` (2 or 3)."""
    level = 2 if level == 2 else 3
    context = _CardContext(
        level=level,
        entry_url=[
            _text(part)
            for part in reverse("journal:entry-detail", args=[_SAMPLE_ID]).split(str(_SAMPLE_ID))
        ],
        tag_url=reverse("journal:entry-list") + "?tag=",
        weekdays=[str(WEEKDAYS[i]) for i in range(7)],
        months=[str(MONTHS[i]) for i in range(1, 13)],
    )
    return drawn(_entry_card(entry, context) for entry in entries)


_SAMPLE_ID = uuid.UUID(int=0)


@dataclass(frozen=True)
class _CardContext:
    level: int
    entry_url: list[str]  # an entry's URL before and after its id, escaped
    tag_url: str
    weekdays: list[str]
    months: list[str]


def _entry_card(entry: Entry, c: _CardContext) -> str:
    day = entry.written_on
    date = f"{c.weekdays[day.weekday()]}, {day.day} {c.months[day.month - 1]} {day.year}"
    meta = ""
    if entry.mood:
        meta += (
            f'\n    <span class="mood mood--{entry.mood}">Mood {entry.mood}/5 · '
            f"{_text(MOOD_LABELS.get(entry.mood, ''))}</span>"
        )
    if entry.stage:
        meta += (
            f'\n    <span class="stage">{_text(STAGE_LABELS.get(entry.stage, entry.stage))}</span>'
        )
    snippet = getattr(entry, "snippet", None)
    if snippet:
        excerpt = f'<p class="excerpt snippet" dir="auto">{_e(snippet)}</p>'
    elif entry.excerpt:
        excerpt = f'<p class="excerpt" dir="auto">{_text(entry.excerpt)}</p>'
    else:
        excerpt = ""
    tags = entry.tag_names
    if tags:
        links = "".join(
            f'<li><a class="tag" dir="auto" href="{_text(c.tag_url + quote(name, safe="/"))}">'
            f"#{_text(name)}</a></li>"
            for name in tags
        )
        excerpt += f'\n  <ul class="tag-list" aria-label="Tags">{links}</ul>'
    return f"""<article class="entry-card">
  <h{c.level} class="entry-card-title" dir="auto"><a href="{c.entry_url[0]}{entry.pk}{c.entry_url[1]}">{_text(entry.display_title)}</a></h{c.level}>
  <p class="entry-meta">
    <time datetime="{day.isoformat()}">{date}</time>
    <span class="badge badge--{_text(entry.kind)}">{_text(KIND_LABELS.get(entry.kind, entry.kind))}</span>{meta}
  </p>
  {excerpt}
</article>
"""  # noqa: E501


def prompt_items(prompts: Iterable[Prompt]) -> SafeString:
    """The list items of `prompts`, each with a link to write about it (and, for the user's
    own prompts, to edit or delete it)."""
    write_url = _text(reverse("journal:entry-create") + "?prompt=")
    return drawn(_prompt_item(prompt, write_url) for prompt in prompts)


def _prompt_item(prompt: Prompt, write_url: str) -> str:
    text = _text(prompt.text)
    meta = ""
    # Where it fits: the phase (unless any), the days of a separation, the kind of entry.
    fit = [
        PHASE_LABELS[prompt.phase] if prompt.phase != "any" else "",
        DAYS_LABELS.get(prompt.days, ""),
        KIND_LABELS[prompt.kind] if prompt.kind else "",
        "For the urge" if prompt.group == "urge" else "",
    ]
    meta += "".join(f"\n    <span>{_text(label)}</span>" for label in fit if label)
    if prompt.stage:
        meta += f"\n    <span>{_text(STAGE_LABELS.get(prompt.stage, prompt.stage))}</span>"
    if prompt.theme:
        meta += f'\n    <span dir="auto">{_text(prompt.theme)}</span>'
    own = ""
    if not prompt.is_builtin:
        edit = _text(reverse("journal:prompt-edit", args=[prompt.pk]))
        delete = _text(reverse("journal:prompt-delete", args=[prompt.pk]))
        own = (
            f'\n    <a href="{edit}">Edit<span class="visually-hidden"> this prompt</span></a>'
            f'\n    <a href="{delete}" class="danger-link">Delete'
            '<span class="visually-hidden"> this prompt</span></a>'
        )
    perspective = _text(PERSPECTIVE_LABELS.get(prompt.perspective, prompt.perspective))
    return f"""<li class="prompt-item">
  <p class="prompt-item-text" dir="auto">{text}</p>
  <p class="entry-meta">
    <span class="badge badge--{_text(prompt.perspective)}">{perspective}</span>{meta}
  </p>
  <p class="prompt-actions">
    <a href="{write_url}{prompt.pk}">Write about this<span class="visually-hidden" dir="auto">: {text}</span></a>{own}
  </p>
</li>
"""  # noqa: E501
