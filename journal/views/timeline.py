"""The timeline of separations and reunions, its events, and the urge button."""

import datetime
from collections.abc import Iterable
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..forms import TimelineEventForm
from ..models import EventKind, TimelineEvent
from ..prompts import urge_prompt
from ..timeline import PeriodRow, timeline_for
from .owned import event_or_404


@login_required
@require_GET
def timeline(request: HttpRequest) -> HttpResponse:
    timeline = timeline_for(request)
    rows = timeline.rows()
    newest_first = list(reversed(rows))
    context = {
        "timeline": timeline,
        "rows": newest_first,
        "summary": timeline.summary(),
        "picture": timeline.picture(),
        "period_items": _period_items(newest_first),
        "event_items": _event_items(reversed(timeline.events)),
        "notes": [(row.period, note) for row in rows for note in row.period.notes],
    }
    return render(request, "journal/timeline.html", context)


def _event_form_page(request: HttpRequest, event: TimelineEvent | None) -> HttpResponse:
    form = TimelineEventForm(
        request.POST or None, instance=event, user=request.user, today=request.user.today()
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your timeline is updated.")
        return redirect("journal:timeline")
    return render(request, "journal/event_form.html", {"form": form, "event": event})


@sensitive_post_parameters()  # diary text never reaches error reports
@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    return _event_form_page(request, None)


@sensitive_post_parameters()  # diary text never reaches error reports
@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _event_form_page(request, event_or_404(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_or_404(request.user, pk)
    if request.method == "POST":
        event.delete()
        messages.success(request, "The event is removed from your timeline.")
        return redirect("journal:timeline")
    return render(request, "journal/event_confirm_delete.html", {"event": event})


@login_required
@require_POST
def urge(request: HttpRequest) -> HttpResponse:
    """One tap: record the urge to reach out, then offer a question to write to instead."""
    today = request.user.today()
    TimelineEvent.objects.create(user=request.user, kind=EventKind.URGE, occurred_on=today)
    messages.success(
        request,
        "The urge is noted on your timeline. It will pass; while it is here, write it down.",
    )
    prompt = urge_prompt(request.user, today, situation=timeline_for(request).situation)
    url = reverse("journal:entry-create")
    return redirect(f"{url}?prompt={prompt.pk}" if prompt else url)


# The page's two long lists are drawn here, not in the template: a timeline of years has
# dozens of periods and events, and as template loops they cost more than the rest of the
# page. `format_html` escapes every value as the template would; the only markup passed
# through is an event's note, the sanitizer's stored output.

_PERIOD_ITEM = """<li class="period-card period-card--{kind}{perspective}">
      <h3><a href="{url}">{title}</a></h3>
      <p class="period-dates">
        {start}
        {end}{days}
      </p>
      <ul class="period-facts">
        <li>{entries} entr{entries_suffix}</li>{facts}
      </ul>
    </li>"""
_FACT = "\n        <li>{}</li>"
# {name} says what the links act on, for a screen reader: " We met of 4 Nov 2026".
_EVENT_ITEM = """<li>
      <div>
        <time datetime="{iso}">{date}</time>
        <strong>{label}</strong>{note}
      </div>
      <p class="prompt-actions">
        <a href="{edit}">Edit<span class="visually-hidden">{name}</span></a>
        <a class="danger-link" href="{delete}">Delete<span class="visually-hidden">{name}</span></a>
      </p>
    </li>"""
_EVENT_NOTE = '\n        <div class="event-note prose" dir="auto">{}</div>'
_BETWEEN = "\n    "  # between two items, to indent them as the template does
_URL_PK = 2_147_483_647  # stands for an event's id while its URLs are reversed once


def _period_items(rows: Iterable[PeriodRow]) -> SafeString:
    """The period cards of the list "Periods", in the order given."""
    url = reverse("journal:entry-list") + "?period="
    return format_html_join(_BETWEEN, "{}", ((_period_item(row, url),) for row in rows))


def _period_item(row: PeriodRow, entries_url: str) -> SafeString:
    period = row.period
    start = _time(period.start) if period.start else "Until"
    if period.end:
        end = format_html("– {}", _time(period.end))
    else:
        end = "– today" if period.start else ""
    facts = []
    if row.average_mood:
        facts.append(f"average mood {row.average_mood}/5")
    if period.kind == "separation":
        facts.append(f"{row.contacts} contact{_s(row.contacts)}")
        if period.is_open:
            facts.append(
                f"{row.days_without_contact} day{_s(row.days_without_contact)} without contact"
            )
    if row.urges:
        facts.append(f"{row.urges} urge{_s(row.urges)} to reach out, written through")
    return format_html(
        _PERIOD_ITEM,
        kind=period.kind,
        perspective=f" period-card--{period.perspective}" if period.perspective else "",
        url=entries_url + quote(period.slug),
        title=period.title,
        start=start,
        end=end,
        days=f"\n         · {row.days} day{_s(row.days)}" if row.days else "",
        entries=row.entries,
        entries_suffix="y" if row.entries == 1 else "ies",
        facts=format_html_join("", _FACT, ((fact,) for fact in facts)),
    )


def _event_items(events: Iterable[TimelineEvent]) -> SafeString:
    """The items of the list "Events", in the order given, each with its edit and delete
    links (their URLs reversed once for all: a reverse per item cost more than the item)."""
    edit = reverse("journal:event-edit", args=[_URL_PK]).split(str(_URL_PK))
    delete = reverse("journal:event-delete", args=[_URL_PK]).split(str(_URL_PK))
    return format_html_join(_BETWEEN, "{}", ((_event_item(e, edit, delete),) for e in events))


def _event_item(event: TimelineEvent, edit: list[str], delete: list[str]) -> SafeString:
    pk = str(event.pk)
    label = event.label
    date = _date_text(event.occurred_on)
    return format_html(
        _EVENT_ITEM,
        iso=event.occurred_on.isoformat(),
        date=date,
        label=label,
        note=format_html(_EVENT_NOTE, event.note_safe) if event.note_html else "",
        edit=pk.join(edit),
        delete=pk.join(delete),
        name=f" {label} of {date}",
    )


def _time(day: datetime.date) -> SafeString:
    return format_html('<time datetime="{}">{}</time>', day.isoformat(), _date_text(day))


def _date_text(day: datetime.date) -> str:
    """The day as the template filter `date:"j M Y"` writes it ("4 Nov 2026"), in a third
    of the time (the filter parses its format string on every call)."""
    return f"{day.day} {MONTHS_3[day.month].title()} {day.year:04d}"


def _s(n: int | None) -> str:
    """The plural ending, as the template filter `pluralize` gives it."""
    return "" if n == 1 else "s"
