"""The timeline picture: the whole connection as one SVG drawn on the server.

Plain Python computes the geometry, and `TimelinePicture.html()` draws it as markup (a
template drawing hundreds of shapes cost most of the timeline page's time). The picture
holds only numbers and short strings, in a fixed coordinate system (`WIDTH` x `HEIGHT`),
from the first known day on the left to today on the right:

- mood (average per bucket) as polylines in the top strip, split where a bucket has none;
- the periods as a row of bands, each a link to its entries; separations are patterned
  (hatched: you ran, dotted: they ran, cross-hatched: mutual), so they read without colour;
- contacts as ticks and urges as triangles, just under the bands;
- entries per bucket as small bars above the axis;
- the axis: days, months or years, never more than about a dozen labels, and today.

A bucket is a day when the picture spans at most 62 days, a calendar week (from Monday) up
to two years, and a calendar month beyond. Everything is one pass over the entries, so ten
years of daily writing draw in a few milliseconds.
"""

import datetime
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString

from journal.drawn import drawn
from journal.periods import Period

__all__ = ["Band", "Bar", "Marker", "MoodLine", "Tick", "TimelinePicture", "build_picture"]

# The coordinate system (SVG user units). `TimelinePicture.html` reads them from the picture.
WIDTH = 1000
HEIGHT = 220
PLOT_LEFT = 30  # room for the mood scale's labels
PLOT_RIGHT = 988
MOOD_TOP = 14  # y of mood 5
MOOD_BOTTOM = 88  # y of mood 1
BAND_TOP = 100
BAND_HEIGHT = 38
CONTACT_TOP = BAND_TOP + BAND_HEIGHT - 10  # a contact's tick crosses the bands' lower edge
CONTACT_BOTTOM = BAND_TOP + BAND_HEIGHT + 14
URGE_TOP = BAND_TOP + BAND_HEIGHT + 3  # an urge is a small triangle pointing up at its day
URGE_BOTTOM = BAND_TOP + BAND_HEIGHT + 15
URGE_HALF_WIDTH = 5
AXIS_Y = 190  # density bars stand on the axis
DENSITY_HEIGHT = 28
TICK_BOTTOM = AXIS_Y + 6
LABEL_Y = AXIS_Y + 22

MIN_BAND_WIDTH = 2  # a one-day period stays visible in a picture of many years
DAILY_MAX_DAYS = 62
WEEKLY_MAX_DAYS = 731  # two years
MONTH_LABELS_MAX_DAYS = 550  # about 18 months
MAX_TICKS = 10  # plus the first day and "Today": never more than 12 labels
LABEL_CHAR_WIDTH = 7.7  # an estimate for the 14-unit axis font, to keep labels apart
LABEL_GAP = 10
NOTE_LENGTH = 80

_PATTERNS = {"me": "tl-pat-runner", "them": "tl-pat-chaser", "mutual": "tl-pat-mutual"}
_STYLES = {"me": "runner", "them": "chaser", "mutual": "mutual"}
_RAN = {"me": "you ran", "them": "they ran", "mutual": "mutual"}


@dataclass(frozen=True, slots=True)
class Band:
    """One period on the band row; `style` picks its CSS class, `pattern` its fill."""

    kind: str  # before, together, separation, reunited
    style: str  # before, together, reunited, runner, chaser, mutual, unclear
    pattern: str  # the id of the <pattern> that fills it, "" for a plain fill
    x: float
    width: float
    slug: str
    label: str  # title, dates and length, for the tooltip and the link's name


@dataclass(frozen=True, slots=True)
class Marker:
    """A contact (a tick at `x`) or an urge (a triangle, `path`)."""

    kind: str  # contact, urge
    x: float
    path: str
    label: str


@dataclass(frozen=True, slots=True)
class MoodLine:
    """A run of buckets that all have a mood, as (x, y) points and as an SVG points list."""

    points: tuple[tuple[float, float], ...]
    points_attr: str


@dataclass(frozen=True, slots=True)
class Bar:
    """The entries of one bucket."""

    x: float
    y: float
    width: float
    height: float
    count: int
    label: str


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str
    anchor: str  # start, middle, end (SVG text-anchor)
    mark: bool  # draw a tick mark on the axis


@dataclass(frozen=True, slots=True)
class TimelinePicture:
    """Everything `html()` draws; the layout constants ride along for it."""

    title: str
    desc: str
    bucket: str  # day, week, month
    bands: tuple[Band, ...]
    contacts: tuple[Marker, ...]
    urges: tuple[Marker, ...]
    mood_lines: tuple[MoodLine, ...]  # runs of two or more buckets
    mood_dots: tuple[tuple[float, float], ...]  # a bucket with a mood but none beside it
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    today_x: float
    has_before: bool
    has_unclear_separation: bool
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = PLOT_LEFT
    plot_right: int = PLOT_RIGHT
    mood_top: int = MOOD_TOP
    mood_bottom: int = MOOD_BOTTOM
    band_top: int = BAND_TOP
    band_height: int = BAND_HEIGHT
    contact_top: int = CONTACT_TOP
    contact_bottom: int = CONTACT_BOTTOM
    axis_y: int = AXIS_Y
    tick_bottom: int = TICK_BOTTOM
    label_y: int = LABEL_Y

    def html(self) -> SafeString:
        """The picture as inline SVG, with its legend; styles in static/css/timeline.css.

        The drawing is an svg[role=img] named by its title and described in words by its
        desc. The bands' links lie over it in the outer svg: interactive content must not
        sit inside role=img, where assistive technology would not reach it.

        Every string is escaped here as a template's autoescaping would escape it (a
        tooltip can quote an event's note); numbers are printed as Python prints them,
        never localized. The markup has no whitespace between tags.
        """
        w, h = self.width, self.height
        band_top, band_height = self.band_top, self.band_height
        axis_y, tick_bottom = self.axis_y, self.tick_bottom
        left, right = self.plot_left, self.plot_right
        entries_url = escape(reverse("journal:entry-list"))
        parts = [
            '<div class="tl-picture"><div class="tl-scroll" data-scroll-to-recent="true" '
            'tabindex="0" role="region" aria-label="Timeline picture (scrolls sideways)">'
            f'<svg class="tl-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
            'role="group" aria-label="Periods: select one to read its entries">'
            '<svg role="img" aria-labelledby="tl-title tl-desc" x="0" y="0" '
            f'width="{w}" height="{h}" viewBox="0 0 {w} {h}">'
            f'<title id="tl-title">{escape(self.title)}</title>'
            f'<desc id="tl-desc">{escape(self.desc)}</desc>',
            _PATTERN_DEFS,
            f'<g class="tl-grid"><line x1="{left}" x2="{right}" y1="{self.mood_top}" '
            f'y2="{self.mood_top}"/><line x1="{left}" x2="{right}" y1="{self.mood_bottom}" '
            f'y2="{self.mood_bottom}"/></g>'
            f'<text class="tl-scale-label" x="{left - 8}" y="{self.mood_top + 5}" '
            'text-anchor="end">5</text>'
            f'<text class="tl-scale-label" x="{left - 8}" y="{self.mood_bottom + 5}" '
            'text-anchor="end">1</text>'
            '<g class="tl-bands">',
        ]
        parts.extend(
            f'<rect class="tl-band tl-band--{escape(band.style)}" x="{band.x}" y="{band_top}" '
            f'width="{band.width}" height="{band_height}"'
            + (f' fill="url(#{escape(band.pattern)})"/>' if band.pattern else "/>")
            for band in self.bands
        )
        parts.append('</g><g class="tl-density">')
        parts.extend(
            f'<rect class="tl-bar" x="{bar.x}" y="{bar.y}" width="{bar.width}" '
            f'height="{bar.height}"><title>{escape(bar.label)}</title></rect>'
            for bar in self.bars
        )
        parts.append('</g><g class="tl-moods">')
        parts.extend(
            f'<polyline class="tl-mood" points="{escape(line.points_attr)}"/>'
            for line in self.mood_lines
        )
        parts.extend(
            f'<circle class="tl-mood-dot" cx="{x}" cy="{y}" r="2.5"/>' for x, y in self.mood_dots
        )
        parts.append(
            f'</g><line class="tl-axis" x1="{left}" x2="{right}" y1="{axis_y}" y2="{axis_y}"/>'
            '<g class="tl-ticks">'
        )
        for tick in self.ticks:
            if tick.mark:
                parts.append(
                    f'<line class="tl-tick" x1="{tick.x}" x2="{tick.x}" y1="{axis_y}" '
                    f'y2="{tick_bottom}"/>'
                )
            parts.append(
                f'<text class="tl-label" x="{tick.x}" y="{self.label_y}" '
                f'text-anchor="{escape(tick.anchor)}">{escape(tick.label)}</text>'
            )
        parts.append(
            f'</g><line class="tl-today" data-today="true" x1="{self.today_x}" x2="{self.today_x}" '
            f'y1="{self.mood_top - 8}" y2="{tick_bottom}"/><g class="tl-markers">'
        )
        parts.extend(
            f'<line class="tl-contact" x1="{m.x}" x2="{m.x}" y1="{self.contact_top}" '
            f'y2="{self.contact_bottom}"><title>{escape(m.label)}</title></line>'
            for m in self.contacts
        )
        parts.extend(
            f'<path class="tl-urge" d="{escape(m.path)}"><title>{escape(m.label)}</title></path>'
            for m in self.urges
        )
        parts.append('</g></svg><g class="tl-links">')
        parts.extend(
            f'<a class="tl-band-link" href="{entries_url}?period={escape(quote(band.slug))}">'
            f'<title>{escape(band.label)}</title><rect class="tl-hit" x="{band.x}" '
            f'y="{band_top}" width="{band.width}" height="{band_height}"/></a>'
            for band in self.bands
        )
        parts += [
            '</g></svg></div><ul class="tl-legend">',
            _LEGEND_SEPARATIONS,
            _LEGEND_UNCLEAR if self.has_unclear_separation else "",
            _LEGEND_BEFORE if self.has_before else "",
            _LEGEND_MARKERS,
            _swatch('<polyline class="tl-mood" points="2,11 9,5 15,8 22,3"/>')
            + f"Mood, average per {escape(self.bucket)} (1–5)</li>",
            _swatch(
                '<rect class="tl-bar" x="3" y="7" width="5" height="7"/>'
                '<rect class="tl-bar" x="10" y="2" width="5" height="12"/>'
                '<rect class="tl-bar" x="17" y="9" width="5" height="5"/>'
            )
            + f"Entries per {escape(self.bucket)}</li>",
            '</ul><p class="tl-hint">Each band links to the entries you wrote in that period.</p>'
            "</div>",
        ]
        # Safe: every string above is a literal, a number or escaped.
        return drawn(parts)


class _Scale:
    """Days to x: each day is a slot from x(day) to x(day + 1); today's slot ends the plot."""

    def __init__(self, start: datetime.date, today: datetime.date) -> None:
        self.origin = start.toordinal()
        self.days = today.toordinal() - self.origin + 1
        self.per_day = (PLOT_RIGHT - PLOT_LEFT) / self.days

    def x(self, day: datetime.date) -> float:
        """The left edge of the day's slot."""
        return PLOT_LEFT + (day.toordinal() - self.origin) * self.per_day

    def mid(self, day: datetime.date) -> float:
        return self.x(day) + self.per_day / 2


def build_picture(
    periods: Sequence[Period],
    *,
    today: datetime.date,
    entries: Sequence[tuple[datetime.date, int | None]],
) -> TimelinePicture | None:
    """The picture of `periods` (as `derive_periods` returns them) and of the journal's
    (written_on, mood) pairs, up to `today`; None when there is nothing to draw.

    Its first day is the earliest known one: the first period's start, the first event
    (a contact can come before any meeting) or the first entry. Entries after today are not
    drawn, nor are moods outside 1-5.
    """
    entry_days = [(day, mood) for raw, mood in entries if (day := _as_date(raw)) and day <= today]
    event_days = [
        day
        for p in periods
        for e in p.events
        if (day := _as_date(getattr(e, "occurred_on", None))) and day <= today
    ]
    starts = [p.start for p in periods if p.start is not None and p.start <= today]
    if not starts and not event_days and not entry_days:
        return None
    start = min(
        min(starts, default=today),
        min(event_days, default=today),
        min((day for day, _ in entry_days), default=today),
    )
    scale = _Scale(start, today)
    bucket = _bucket_size(scale.days)

    bands = _bands(periods, start, today, scale)
    contacts, urges = _markers(periods, start, today, scale)
    mood_lines, mood_dots, bars, moods = _entry_strips(entry_days, start, today, scale, bucket)
    return TimelinePicture(
        title=_title(start, today),
        desc=_describe(periods, today, contacts, urges, len(entry_days), moods),
        bucket=bucket,
        bands=tuple(bands),
        contacts=tuple(contacts),
        urges=tuple(urges),
        mood_lines=tuple(mood_lines),
        mood_dots=tuple(mood_dots),
        bars=tuple(bars),
        ticks=tuple(_ticks(start, today, scale)),
        today_x=PLOT_RIGHT,
        has_before=any(band.kind == "before" for band in bands),
        has_unclear_separation=any(band.style == "unclear" for band in bands),
    )


def _bucket_size(days: int) -> str:
    if days <= DAILY_MAX_DAYS:
        return "day"
    if days <= WEEKLY_MAX_DAYS:
        return "week"
    return "month"


# Bands


def _bands(
    periods: Sequence[Period], start: datetime.date, today: datetime.date, scale: _Scale
) -> list[Band]:
    spans: list[tuple[Period, datetime.date, datetime.date]] = []
    for period in periods:
        first = start if period.start is None else max(period.start, start)
        last = today if period.end is None else min(period.end, today)
        if first <= last:
            spans.append((period, first, last))
    if not spans:
        return []
    edges = _widen([(scale.x(first), scale.x(last) + scale.per_day) for _, first, last in spans])
    bands = []
    for (period, _, _), (left, right) in zip(spans, edges, strict=True):
        x = _r(left)
        initiator = period.initiator if period.kind == "separation" else ""
        if period.kind == "separation":
            style = _STYLES.get(initiator, "unclear")
        else:
            style = period.kind
        bands.append(
            Band(
                kind=period.kind,
                style=style,
                pattern=_PATTERNS.get(initiator, ""),
                x=x,
                width=_r(_r(right) - x),
                slug=period.slug,
                label=_band_label(period, today),
            )
        )
    return bands


def _widen(edges: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Make every band at least MIN_BAND_WIDTH wide, keeping them in order and apart.

    A narrow band grows to the right and pushes its neighbour's edge; a pass back from the
    right end pulls the last ones in again. Only edges next to narrow bands move, a unit or
    two, and the next wide band takes up the difference, so every band stays where its dates
    are (spreading the difference over all bands would shift years of them).
    """
    lefts = [left for left, _ in edges]
    rights = [right for _, right in edges]
    n = len(edges)
    if n * MIN_BAND_WIDTH > PLOT_RIGHT - PLOT_LEFT:  # cannot happen with real timelines
        return edges
    for i in range(n):
        if i:
            lefts[i] = max(lefts[i], rights[i - 1])
        rights[i] = max(rights[i], lefts[i] + MIN_BAND_WIDTH)
    rights[-1] = min(rights[-1], PLOT_RIGHT)
    for i in reversed(range(n)):
        if i < n - 1:
            rights[i] = min(rights[i], lefts[i + 1])
        lefts[i] = min(lefts[i], rights[i] - MIN_BAND_WIDTH)
    return list(zip(lefts, rights, strict=True))


def _band_label(period: Period, today: datetime.date) -> str:
    if period.start is None:
        if period.end is None:
            return f"{period.title} — until today"
        return f"{period.title} — until {_date(period.end)}"
    days = period.days(today) or 0
    if period.end is None:
        return f"{period.title} — since {_date(period.start)} ({_days(days)} so far)"
    return f"{period.title} — {_date(period.start)} to {_date(period.end)} ({_days(days)})"


# Contacts and urges


def _markers(
    periods: Sequence[Period], start: datetime.date, today: datetime.date, scale: _Scale
) -> tuple[list[Marker], list[Marker]]:
    contacts: list[Marker] = []
    urges: list[Marker] = []
    for period in periods:
        for event in period.events:
            kind = str(getattr(event, "kind", "") or "").strip().lower()
            if kind not in {"contact", "urge"}:
                continue
            day = _as_date(getattr(event, "occurred_on", None))
            if day is None or not start <= day <= today:
                continue
            x = _r(scale.mid(day))
            name = "Contact" if kind == "contact" else "Urge to reach out"
            label = f"{name} — {_date(day)}"
            note = _short(getattr(event, "note", "") or "")
            if note:
                label += f": {note}"
            if kind == "contact":
                contacts.append(Marker("contact", x, "", label))
            else:
                path = (
                    f"M{_r(x - URGE_HALF_WIDTH)} {URGE_BOTTOM}L{_r(x + URGE_HALF_WIDTH)} "
                    f"{URGE_BOTTOM}L{x} {URGE_TOP}Z"
                )
                urges.append(Marker("urge", x, path, label))
    return contacts, urges


def _short(note: str) -> str:
    """A note's first words on one line, for a tooltip."""
    text = " ".join("".join(c if c.isprintable() else " " for c in note[:400]).split())
    if len(text) <= NOTE_LENGTH:
        return text
    return text[: NOTE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


# Mood and entries per bucket


def _entry_strips(
    entry_days: list[tuple[datetime.date, int | None]],
    start: datetime.date,
    today: datetime.date,
    scale: _Scale,
    bucket: str,
) -> tuple[list[MoodLine], list[tuple[float, float]], list[Bar], list[int]]:
    """Mood polylines, isolated mood dots and density bars, in one pass over the entries.
    Also returns every valid mood's value count (for the description), as [n1, ..., n5]."""
    if bucket == "day":
        origin = start.toordinal()
        count = today.toordinal() - origin + 1
    elif bucket == "week":
        origin = start.toordinal() - start.weekday()  # the Monday of the first week
        count = (today.toordinal() - origin) // 7 + 1
    else:
        origin = start.year * 12 + start.month - 1
        count = today.year * 12 + today.month - 1 - origin + 1

    entries_in = [0] * count
    mood_sum = [0] * count
    mood_n = [0] * count
    moods = [0] * 5
    for day, mood in entry_days:
        if bucket == "day":
            i = day.toordinal() - origin
        elif bucket == "week":
            i = (day.toordinal() - origin) // 7
        else:
            i = day.year * 12 + day.month - 1 - origin
        entries_in[i] += 1
        if type(mood) is int and 1 <= mood <= 5:
            mood_sum[i] += mood
            mood_n[i] += 1
            moods[mood - 1] += 1

    most = max(entries_in, default=0)
    runs: list[list[tuple[float, float]]] = [[]]
    bars: list[Bar] = []
    mood_span = MOOD_BOTTOM - MOOD_TOP
    for i in range(count):
        if not entries_in[i]:
            if runs[-1]:
                runs.append([])
            continue
        first, last = _bucket_days(bucket, origin, i, start, today)
        # A week is named by its Monday, even when the picture starts later in it.
        named = datetime.date.fromordinal(origin + 7 * i) if bucket == "week" else first
        left = scale.x(first)
        right = scale.x(last) + scale.per_day
        average = mood_sum[i] / mood_n[i] if mood_n[i] else None
        if average is None:
            if runs[-1]:
                runs.append([])
        else:
            y = MOOD_BOTTOM - (average - 1) / 4 * mood_span
            runs[-1].append((_r((left + right) / 2), _r(y)))
        gap = min(1.0, (right - left) * 0.2)
        height = max(1.0, entries_in[i] / most * DENSITY_HEIGHT)
        bars.append(
            Bar(
                x=_r(left + gap / 2),
                y=_r(AXIS_Y - height),
                width=_r(max(0.5, right - left - gap)),
                height=_r(height),
                count=entries_in[i],
                label=_bar_label(bucket, named, entries_in[i], average),
            )
        )
    lines = [
        MoodLine(tuple(run), " ".join(f"{x},{y}" for x, y in run)) for run in runs if len(run) > 1
    ]
    dots = [run[0] for run in runs if len(run) == 1]
    return lines, dots, bars, moods


def _bucket_days(
    bucket: str, origin: int, i: int, start: datetime.date, today: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The first and last day of bucket `i`, inside the picture."""
    if bucket == "day":
        first = last = datetime.date.fromordinal(origin + i)
    elif bucket == "week":
        first = datetime.date.fromordinal(origin + 7 * i)
        last = datetime.date.fromordinal(origin + 7 * i + 6)
    else:
        year, month = divmod(origin + i, 12)
        first = datetime.date(year, month + 1, 1)
        following = datetime.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
        last = following - datetime.timedelta(days=1)
    return max(first, start), min(last, today)


def _bar_label(bucket: str, first: datetime.date, entries: int, mood: float | None) -> str:
    if bucket == "day":
        when = _date(first)
    elif bucket == "week":
        when = f"Week of {_date(first)}"
    else:
        when = f"{first:%B %Y}"
    text = f"{when}: {entries} entr{'y' if entries == 1 else 'ies'}"
    return f"{text}, mood {mood:.1f}" if mood is not None else text


# The axis


def _ticks(start: datetime.date, today: datetime.date, scale: _Scale) -> list[Tick]:
    """Labels along the axis: the first day, today, and between them days or weeks, months
    or years, thinned so that none overlaps another. A label names its year when the year
    changes from the label before it ("Feb" after "13 Dec 2025" reads "Feb 2026")."""
    last = Tick(float(PLOT_RIGHT), "Today", "end", False)
    if start == today:
        return [last]
    kept = [Tick(float(PLOT_LEFT), _date(start), "start", False)]
    limit = _label_box(last)[0] - LABEL_GAP
    year = start.year
    for day, short, long in _tick_candidates(start, today, scale):
        tick = Tick(_r(scale.x(day)), short if day.year == year else long, "middle", True)
        left, right = _label_box(tick)
        if left >= _label_box(kept[-1])[1] + LABEL_GAP and right <= limit:
            kept.append(tick)
            year = day.year
    if _label_box(kept[-1])[1] + LABEL_GAP > _label_box(last)[0]:  # short: "Today" wins
        kept.pop()
    return [*kept, last]


def _label_box(tick: Tick) -> tuple[float, float]:
    """Where a label's text lies along the axis, roughly."""
    width = len(tick.label) * LABEL_CHAR_WIDTH
    if tick.anchor == "start":
        return tick.x, tick.x + width
    if tick.anchor == "end":
        return tick.x - width, tick.x
    return tick.x - width / 2, tick.x + width / 2


def _tick_candidates(
    start: datetime.date, today: datetime.date, scale: _Scale
) -> list[tuple[datetime.date, str, str]]:
    """(day, label, label with its year): every day of a picture of up to MAX_TICKS days,
    else Mondays, month starts or new years, at regular steps (every 2nd month falls on odd
    months, every 5th year on years ending in 0 and 5)."""
    days = scale.days
    if days <= DAILY_MAX_DAYS:
        if days <= MAX_TICKS:
            stops = [start + datetime.timedelta(days=n) for n in range(1, days)]
        else:
            monday = start + datetime.timedelta(days=-start.weekday() % 7 or 7)
            weeks = (today - monday).days // 7 + 1
            stops = [monday + datetime.timedelta(weeks=n) for n in range(weeks)]
            stops = stops[:: max(1, math.ceil(len(stops) / MAX_TICKS))]
        return [(day, f"{day.day} {day:%b}", _date(day)) for day in stops]
    if days <= MONTH_LABELS_MAX_DAYS:
        first = start.year * 12 + start.month  # the month after the first day's
        last = today.year * 12 + today.month - 1
        step = next(s for s in (1, 2, 3, 4, 6, 12) if (last - first + 1) / s <= MAX_TICKS)
        stops = [
            datetime.date(n // 12, n % 12 + 1, 1)
            for n in range(first, last + 1)
            if (n % 12) % step == 0
        ]
        return [(day, f"{day:%b}", f"{day:%b %Y}") for day in stops]
    years = range(start.year + 1, today.year + 1)
    step = next(s for s in _steps() if len(years) / s <= MAX_TICKS)
    return [(datetime.date(year, 1, 1), str(year), str(year)) for year in years if year % step == 0]


def _steps() -> Iterable[int]:
    yield from (1, 2, 5)
    power = 10
    while True:
        yield from (power, 2 * power, 5 * power)
        power *= 10


# Words


def _title(start: datetime.date, today: datetime.date) -> str:
    if start.year == today.year:
        return f"Your connection over time, {today.year}"
    return f"Your connection over time, {start.year}–{today.year}"


def _describe(
    periods: Sequence[Period],
    today: datetime.date,
    contacts: list[Marker],
    urges: list[Marker],
    entries: int,
    moods: list[int],
) -> str:
    """The picture in words, for people who do not see it."""
    sentences = []
    separations = [p for p in periods if p.kind == "separation" and p.start is not None]
    if not separations:
        sentences.append("No separations recorded.")
    else:
        first_year = separations[0].start.year
        last_year = (separations[-1].end or today).year
        when = (
            f"in {first_year}"
            if first_year == last_year
            else (f"between {first_year} and {last_year}")
        )
        n = len(separations)
        text = f"{n} separation{'s' if n != 1 else ''} {when}"
        who = Counter(p.initiator for p in separations if p.initiator in _RAN)
        if n > 1 and who:
            text += " (" + ", ".join(f"{_RAN[k]}: {who[k]}" for k in _RAN if who[k]) + ")"
        longest = max(separations, key=lambda p: p.days(today) or 0)
        length = _days(longest.days(today) or 0)
        if n == 1:
            text += f", {'lasting so far' if longest.is_open else 'lasting'} {length}"
        elif longest.is_open:
            text += f"; the longest is the current one, {length} so far"
        else:
            text += f"; the longest lasted {length}"
        sentences.append(text + ".")
    if contacts or urges:
        parts = []
        if contacts:
            parts.append(f"{len(contacts)} contact{'s' if len(contacts) != 1 else ''}")
        if urges:
            parts.append(f"{len(urges)} urge{'s' if len(urges) != 1 else ''} to reach out")
        sentences.append(" and ".join(parts).capitalize() + ".")
    if entries:
        text = f"{entries:,} entr{'y' if entries == 1 else 'ies'}"
        rated = sum(moods)
        if rated:
            average = sum(value * n for value, n in enumerate(moods, start=1)) / rated
            text += f"; mood averaged {average:.1f} out of 5"
        sentences.append(text + ".")
    else:
        sentences.append("No entries yet.")
    if periods and periods[-1].start is not None:
        current = periods[-1]
        sentences.append(f"Now: {current.title}, day {current.days(today):,}.")
    return " ".join(sentences)


# Small helpers


def _as_date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):  # a datetime does not compare with a date
        return value.date()
    return value if isinstance(value, datetime.date) else None


def _r(value: float) -> float:
    """A coordinate with one decimal at most (an int-valued float prints without one)."""
    rounded = round(value, 1)
    return int(rounded) if rounded == int(rounded) else rounded


def _date(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _days(n: int) -> str:
    return f"{n:,} day{'s' if n != 1 else ''}"


# The markup's fixed parts


def _swatch(shapes: str) -> str:
    """The start of a legend item: its sample drawing, hidden from assistive technology."""
    return (
        '<li><svg class="tl-swatch" viewBox="0 0 24 14" aria-hidden="true" focusable="false">'
        f"{shapes}</svg>"
    )


_PATTERN_DEFS = (
    "<defs>"
    '<pattern id="tl-pat-runner" patternUnits="userSpaceOnUse" width="6" height="6" '
    'patternTransform="rotate(45)"><rect class="tl-pat-bg tl-pat-bg--runner" width="6" '
    'height="6"/><line class="tl-pat-ink tl-pat-ink--runner" x1="3" y1="0" x2="3" y2="6" '
    'stroke-width="1.6"/></pattern>'
    '<pattern id="tl-pat-chaser" patternUnits="userSpaceOnUse" width="5" height="5">'
    '<rect class="tl-pat-bg tl-pat-bg--chaser" width="5" height="5"/><circle '
    'class="tl-pat-dot tl-pat-dot--chaser" cx="2.5" cy="2.5" r="1.2"/></pattern>'
    '<pattern id="tl-pat-mutual" patternUnits="userSpaceOnUse" width="6" height="6" '
    'patternTransform="rotate(45)"><rect class="tl-pat-bg tl-pat-bg--mutual" width="6" '
    'height="6"/><path class="tl-pat-ink tl-pat-ink--mutual" d="M3 0V6M0 3H6" '
    'stroke-width="1.1"/></pattern>'
    "</defs>"
)
_LEGEND_SEPARATIONS = (
    _swatch('<rect class="tl-band tl-band--together" width="24" height="14"/>')
    + "Together</li>"
    + _swatch(
        '<rect class="tl-band tl-band--runner" width="24" height="14" fill="url(#tl-pat-runner)"/>'
    )
    + "You ran</li>"
    + _swatch(
        '<rect class="tl-band tl-band--chaser" width="24" height="14" fill="url(#tl-pat-chaser)"/>'
    )
    + "They ran</li>"
    + _swatch(
        '<rect class="tl-band tl-band--mutual" width="24" height="14" fill="url(#tl-pat-mutual)"/>'
    )
    + "Mutual</li>"
)
_LEGEND_UNCLEAR = (
    _swatch('<rect class="tl-band tl-band--unclear" width="24" height="14"/>')
    + "Separation (who left not said)</li>"
)
_LEGEND_BEFORE = (
    _swatch('<rect class="tl-band tl-band--before" width="24" height="14"/>') + "Before</li>"
)
_LEGEND_MARKERS = (
    _swatch('<line class="tl-contact" x1="12" x2="12" y1="0" y2="14"/>')
    + "Contact</li>"
    + _swatch('<path class="tl-urge" d="M6 13L18 13L12 2Z"/>')
    + "Urge to reach out</li>"
)
