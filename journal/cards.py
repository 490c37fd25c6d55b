"""The lists that pages repeat many times, drawn in Python: entry cards and prompt items.

A list page shows up to 20 entry cards and the prompt page more than a hundred prompts; as
template includes each cost about a quarter of a millisecond, most of a page's time. Here
each is one `format_html` call, which escapes every value it is given exactly as the
template's autoescaping would: the only HTML that passes through unescaped is what is
already safe (a search snippet, marked up by `journal.markdown.highlight` from escaped text).

    {% load journal %}{% entry_cards entries level=2 %}   {% prompt_items prompts %}
"""

from collections.abc import Iterable
from urllib.parse import quote

from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .models import MOOD_LABELS, Entry, Kind, Prompt, PromptPerspective, Stage

KIND_LABELS = dict(Kind.choices)
STAGE_LABELS = dict(Stage.choices)
PERSPECTIVE_LABELS = dict(PromptPerspective.choices)

_CARD = """<article class="entry-card">
  <h{level} class="entry-card-title"><a href="{url}">{title}</a></h{level}>
  <p class="entry-meta">
    <time datetime="{iso}">{date}</time>
    <span class="badge badge--{kind}">{kind_label}</span>{mood}{stage}
  </p>
  {excerpt}{tags}
</article>
"""


def entry_cards(entries: Iterable[Entry], level: int = 3) -> SafeString:
    """The cards of `entries` (with their tags prefetched), headed at `level` (2 or 3)."""
    level = 2 if level == 2 else 3
    tag_url = reverse("journal:entry-list") + "?tag="
    return format_html_join("", "{}", ((_entry_card(entry, level, tag_url),) for entry in entries))


def _entry_card(entry: Entry, level: int, tag_url: str) -> SafeString:
    day = entry.written_on
    mood = ""
    if entry.mood:
        mood = format_html(
            '\n    <span class="mood mood--{}">Mood {}/5 · {}</span>',
            entry.mood,
            entry.mood,
            MOOD_LABELS.get(entry.mood, ""),
        )
    stage = ""
    if entry.stage:
        stage = format_html(
            '\n    <span class="stage">{}</span>', STAGE_LABELS.get(entry.stage, entry.stage)
        )
    snippet = getattr(entry, "snippet", None)
    if snippet:
        excerpt = format_html('<p class="excerpt snippet">{}</p>', snippet)
    elif entry.excerpt:
        excerpt = format_html('<p class="excerpt">{}</p>', entry.excerpt)
    else:
        excerpt = ""
    tags = entry.tags.all()
    tag_list = ""
    if tags:
        tag_list = format_html(
            '\n  <ul class="tag-list" aria-label="Tags">{}</ul>',
            format_html_join(
                "",
                '<li><a class="tag" href="{}">#{}</a></li>',
                ((tag_url + quote(tag.name, safe="/"), tag.name) for tag in tags),
            ),
        )
    return format_html(
        _CARD,
        level=level,
        url=entry.get_absolute_url(),
        title=entry.display_title,
        iso=day.isoformat(),
        date=format_date(day, "l, j F Y"),
        kind=entry.kind,
        kind_label=KIND_LABELS.get(entry.kind, entry.kind),
        mood=mood,
        stage=stage,
        excerpt=excerpt,
        tags=tag_list,
    )


_PROMPT = """<li class="prompt-item">
  <p class="prompt-item-text">{text}</p>
  <p class="entry-meta">
    <span class="badge badge--{perspective}">{perspective_label}</span>{stage}{theme}
  </p>
  <p class="prompt-actions">
    <a href="{write_url}{pk}">Write about this<span class="visually-hidden">: {text}</span></a>{own}
  </p>
</li>
"""

_OWN_PROMPT_ACTIONS = """
    <a href="{edit}">Edit<span class="visually-hidden"> this prompt</span></a>
    <a href="{delete}" class="danger-link">Delete<span class="visually-hidden"> this prompt</span></a>"""  # noqa: E501


def prompt_items(prompts: Iterable[Prompt]) -> SafeString:
    """The list items of `prompts`, each with a link to write about it (and, for the user's
    own prompts, to edit or delete it)."""
    write_url = reverse("journal:entry-create") + "?prompt="
    return format_html_join("", "{}", ((_prompt_item(prompt, write_url),) for prompt in prompts))


def _prompt_item(prompt: Prompt, write_url: str) -> SafeString:
    own = ""
    if not prompt.is_builtin:
        own = format_html(
            _OWN_PROMPT_ACTIONS,
            edit=reverse("journal:prompt-edit", args=[prompt.pk]),
            delete=reverse("journal:prompt-delete", args=[prompt.pk]),
        )
    return format_html(
        _PROMPT,
        text=prompt.text,
        perspective=prompt.perspective,
        perspective_label=PERSPECTIVE_LABELS.get(prompt.perspective, prompt.perspective),
        stage=format_html("\n    <span>{}</span>", STAGE_LABELS.get(prompt.stage, prompt.stage))
        if prompt.stage
        else "",
        theme=format_html("\n    <span>{}</span>", prompt.theme) if prompt.theme else "",
        write_url=write_url,
        pk=prompt.pk,
        own=own,
    )
