"""Looking back over a year: the calendar heat map and the mood by month."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from ..figures import cached
from ..models import Entry
from ..pictures.calendar import (
    SHADES,
    build_heatmap,
    build_mood_picture,
    first_year,
    parse_year,
    year_of_entries,
)


def _query(year: int, shade: str) -> str:
    return f"?year={year}" + ("&shade=mood" if shade == "mood" else "")


@login_required
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """`?year=YYYY` (this year by default; bounded by the first entry's year and this one)
    and `?shade=count|mood`."""
    today = request.user.today()
    entries = Entry.objects.for_user(request.user)
    user = request.user
    earliest = first_year(entries, today)
    year = parse_year(request.GET.get("year"), first=earliest, last=today.year, default=today.year)
    shade = request.GET.get("shade", "")
    if shade not in SHADES:
        shade = SHADES[0]
    # A year's figures are cached until the journal changes (journal.figures).
    data = cached(user, ("calendar-year", year), lambda: year_of_entries(entries, year))
    context = {
        "year": year,
        "shade": shade,
        "data": data,
        "is_current_year": year == today.year,
        "today": today,  # the pictures mark it, and are cached per day
        # The pictures are drawn in fragments cached until the journal changes
        # (templates/journal/calendar.html): their geometry is built only to draw them.
        "heatmap": SimpleLazyObject(lambda: build_heatmap(data, today=today, shade=shade)),
        "mood_picture": SimpleLazyObject(lambda: build_mood_picture(data, today=today)),
        # The table stops at this month: later months have nothing to say yet.
        "months": [m for m in data.months if year < today.year or m.number <= today.month],
        "previous_url": _query(year - 1, shade) if year > earliest else "",
        "next_url": _query(year + 1, shade) if year < today.year else "",
        "count_url": _query(year, "count"),
        "mood_url": _query(year, "mood"),
    }
    return render(request, "journal/calendar.html", context)
