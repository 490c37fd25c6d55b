"""The home page (signed out: what Mirror is; signed in: today), and the probes of a load
balancer: liveness (/healthz) and readiness (/readyz)."""

import logging
from typing import NamedTuple
from uuid import UUID

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..figures import cached
from ..models import Entry
from ..prompts import MAX_PRESSES, todays_prompt
from ..shortcuts import timeline_for

logger = logging.getLogger("mirror.readyz")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The process answers: no database, no cache, so a restart is never caused by either."""
    return HttpResponse("ok\n", content_type="text/plain")


def _database_answers() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache_answers() -> None:
    # Redis, or the database's cache table (whose absence breaks every login's rate limit).
    cache.get("readyz")


@require_GET
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Whether this app server can serve requests: the database and the shared cache answer.
    503 names what does not, and nothing more (no host, no error text)."""
    failing = []
    for name, check in (("database", _database_answers), ("cache", _cache_answers)):
        # Whatever goes wrong (refused, timed out, a missing table), the answer is "not ready".
        try:
            check()
        except Exception as error:
            failing.append(name)
            logger.warning("readyz: the %s does not answer (%s)", name, type(error).__name__)
    if failing:
        return HttpResponse(
            f"not ready: {', '.join(failing)}\n", content_type="text/plain", status=503
        )
    return HttpResponse("ready\n", content_type="text/plain")


def _another(request: HttpRequest) -> int:
    try:
        return max(0, min(int(request.GET.get("another", 0)), MAX_PRESSES))
    except ValueError:
        return 0


class HomeLists(NamedTuple):
    """The ids of the entries the home page lists, and the prompts of today's entries
    (whether the user wrote today, and whether they answered today's question)."""

    recent: list[UUID]
    on_this_day: list[UUID]
    last_separation: list[UUID]
    today_prompts: list[int | None]


def _home_lists(entries, today, earlier) -> HomeLists:
    ids = entries.newest_first().values_list("pk", flat=True)
    return HomeLists(
        recent=list(ids[:5]),
        on_this_day=list(ids.on_this_day(today)[:6]),
        last_separation=list(ids.filter(written_on=earlier[0][1])) if earlier else [],
        today_prompts=list(entries.filter(written_on=today).values_list("prompt_id", flat=True)),
    )


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "journal/landing.html")
    user = request.user
    today = user.today()
    entries = Entry.objects.for_user(user)
    situation = timeline_for(request).situation
    another = _another(request)
    prompt = cached(
        user,
        ("todays-prompt", today, situation, another),
        lambda: todays_prompt(user, today, situation=situation, another=another),
        words=True,  # it may be one of the user's own prompts
    )
    timeline = timeline_for(request)
    current = timeline.current
    earlier = timeline.earlier_separation_days()
    # The page's three lists of entries: which entries they hold is cached for the day
    # (until the journal changes); the entries and their tags come in two queries.
    lists = cached(user, ("home-lists", today), lambda: _home_lists(entries, today, earlier))

    # The lists are drawn in a fragment cached for the day until the journal changes
    # (templates/journal/home.html): their entries are read only to be drawn.
    def read_shown() -> dict:
        ids = [pk for ids in (lists.recent, lists.on_this_day, lists.last_separation) for pk in ids]
        return Entry.objects.for_user_with_ids(user, ids).for_list().in_bulk()

    shown = SimpleLazyObject(read_shown)

    def listed(ids: list) -> SimpleLazyObject:
        return SimpleLazyObject(lambda: [shown[pk] for pk in ids if pk in shown])

    context = {
        "today": today,
        "timeline": timeline,
        "period": current if timeline.has_events else None,
        "period_day": (day := timeline.day_number(current, today)),
        "period_day_text": current.day_text(day) if day else "",
        "last_separation_day_text": earlier[0][0].day_text(day) if earlier and day else "",
        "days_without_contact": current.days_without_contact(today),
        "last_separation_day": earlier[0] if earlier else None,
        "last_separation_entries": listed(lists.last_separation),
        "prompt": prompt,
        "situation": situation,
        "another": another + 1,
        "answered_today": prompt is not None and prompt.pk in lists.today_prompts,
        # A long streak walks back through years of days: cached until the journal changes.
        "streak": cached(user, ("streak", today), lambda: entries.streak(today)),
        "wrote_today": bool(lists.today_prompts),
        "recent": listed(lists.recent),
        "on_this_day": listed(lists.on_this_day),
        "entry_count": entries.count(),
    }
    return render(request, "journal/home.html", context)
