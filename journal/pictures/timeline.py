"""The timeline picture: the whole connection as one SVG, from the first known day on the
left to today on the right.

`build_picture` is plain geometry in a fixed coordinate system (`WIDTH` x `HEIGHT`):
positions and sizes, and the days, periods, counts and moods each shape stands for, never
markup or sentences. templates/journal/pictures/timeline.html draws it and says every word
in the active language (sentences with `blocktranslate`, dates with the `date` filter and a
translatable format, moods with `floatformat`):

- mood (average per bucket) as polylines in the top strip, split where a bucket has none;
- the periods as a row of bands, each a link to its entries; separations are patterned
  (hatched: you ran, dotted: they ran, cross-hatched: mutual), so they read without colour;
- contacts as ticks and urges as triangles, just under the bands;
- entries per bucket as small bars above the axis;
- the axis: days, months or years, never more than about a dozen labels, and today.

A bucket is a day when the picture spans at most 62 days, a calendar week (from Monday) up
to two years, and a calendar month beyond. Everything is one pass over the entries, so ten
years of daily writing are measured out in a few milliseconds.
"""

import datetime
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext, pgettext

from journal.periods import Period
from journal.sealing import keyed_digest
from journal.text import number_text

from .axis import DAILY_MAX_DAYS, AxisFrame, AxisLabel, Line, axis_labels, rounded

__all__ = [
    "AxisLabel",
    "Band",
    "Bar",
    "Description",
    "Line",
    "Marker",
    "MoodLevel",
    "MoodLine",
    "TimelinePicture",
    "build_picture",
]

# The coordinate system (SVG user units). Each shape carries its own coordinates, so the
# template needs none of these.
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
WEEKLY_MAX_DAYS = 731  # two years
NOTE_LENGTH = 80

_PATTERNS = {"me": "tl-pat-runner", "them": "tl-pat-chaser", "mutual": "tl-pat-mutual"}
_STYLES = {"me": "runner", "them": "chaser", "mutual": "mutual"}
_INITIATORS = ("me", "them", "mutual")  # the order the description counts them in


@dataclass(frozen=True, slots=True)
class MoodLevel:
    """A mood (5 or 1) on the scale: its grid line across the plot and its label."""

    mood: int
    line: Line
    label_x: float  # where the label ends
    label_y: float


@dataclass(frozen=True, slots=True)
class Band:
    """One period on the band row, a rectangle; `style` picks its CSS class, `pattern` its
    fill. Its link's name is the period's title, dates and length (`days`, both ends
    counted)."""

    kind: str  # before, together, separation, reunited
    style: str  # before, together, reunited, runner, chaser, mutual, unclear
    pattern: str  # the id of the <pattern> that fills it, "" for a plain fill
    x: float
    y: float
    width: float
    height: float
    slug: str
    title: str  # the period's title, plain text
    start: datetime.date | None  # None: the "before" period, which has no first day
    end: datetime.date | None  # None: it lasts
    days: int


@dataclass(frozen=True, slots=True)
class Marker:
    """A contact, a tick at `x` from `top` to `bottom`, or an urge, a triangle standing on
    `bottom` from `left` to `right` with its tip at (`x`, `top`); on its day, with the first
    words of its note (plain text, one line)."""

    x: float
    left: float
    right: float
    top: float
    bottom: float
    day: datetime.date
    note: str


@dataclass(frozen=True, slots=True)
class MoodLine:
    """A run of buckets that all have a mood, as (x, y) points and as an SVG points list."""

    points: tuple[tuple[float, float], ...]
    points_attr: str


@dataclass(frozen=True, slots=True)
class Bar:
    """The entries of one bucket, named by its first day (a week by its Monday)."""

    x: float
    y: float
    width: float
    height: float
    count: int
    day: datetime.date
    mood: float | None  # the bucket's average, to one decimal: printed as it is ("3.0")


@dataclass(frozen=True, slots=True)
class Description:
    """What the picture shows, for the words of its description (people who do not see it).

    Separations: how many, the years they span (the last one's end, or this year while it
    lasts), (initiator, count) for each who ran when there are several, and the longest one's
    length. Contacts and urges drawn, entries and their average mood, and the current period
    (its title and day number; "" before any meeting)."""

    separations: int
    first_year: int | None
    last_year: int | None
    ran: tuple[tuple[str, int], ...]  # me, them, mutual: the ones with any
    longest_days: int
    longest_open: bool
    contacts: int
    urges: int
    entries: int
    mood: float | None
    now: str
    now_day: int | None

    @property
    def ran_text(self) -> str:
        """`ran` in words, for the description's first sentence: "you ran: 2, mutual: 1"."""
        return ", ".join(_ran_words(who) % {"n": number_text(n)} for who, n in self.ran)


def _ran_words(who: str) -> str:
    if who == "me":
        # Translators: how many separations the user left: "you ran: 2".
        return gettext("you ran: %(n)s")
    if who == "them":
        return gettext("they ran: %(n)s")
    # Translators: how many separations both chose: "mutual: 1".
    return pgettext("separations", "mutual: %(n)s")


_LEVELS = tuple(
    MoodLevel(mood, Line(PLOT_LEFT, y, PLOT_RIGHT, y), PLOT_LEFT - 8, y + 5)
    for mood, y in ((5, MOOD_TOP), (1, MOOD_BOTTOM))
)
_AXIS = Line(PLOT_LEFT, AXIS_Y, PLOT_RIGHT, AXIS_Y)
_FRAME = AxisFrame(PLOT_LEFT, PLOT_RIGHT, AXIS_Y, TICK_BOTTOM, LABEL_Y)
_TODAY = Line(PLOT_RIGHT, MOOD_TOP - 8, PLOT_RIGHT, TICK_BOTTOM)  # through every row


@dataclass(frozen=True, slots=True)
class TimelinePicture:
    """Everything the template draws, in a `width` x `height` box."""

    start: datetime.date  # the first day drawn; the last is `today`
    today: datetime.date
    bucket: str  # day, week, month
    bands: tuple[Band, ...]
    contacts: tuple[Marker, ...]
    urges: tuple[Marker, ...]
    mood_lines: tuple[MoodLine, ...]  # runs of two or more buckets
    mood_dots: tuple[tuple[float, float], ...]  # a bucket with a mood but none beside it
    bars: tuple[Bar, ...]
    ticks: tuple[AxisLabel, ...]
    has_before: bool
    has_unclear_separation: bool
    description: Description
    levels: tuple[MoodLevel, ...] = _LEVELS
    axis: Line = _AXIS
    today_line: Line = _TODAY
    width: int = WIDTH
    height: int = HEIGHT

    # Keys the template keeps the costly groups under, each a digest of all it shows: a
    # change to the journal draws again only the groups it changed (a new entry, the bars;
    # a new event, the bands and markers).
    @property
    def bars_key(self) -> str:
        return _digest(self.bucket, self.bars)

    @property
    def bands_key(self) -> str:
        return _digest(self.bands)

    @property
    def markers_key(self) -> str:
        # Their notes are words: keyed by the journal, never a digest one could guess.
        return keyed_digest(repr((self.contacts, self.urges)))


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
        start=start,
        today=today,
        bucket=bucket,
        bands=tuple(bands),
        contacts=tuple(contacts),
        urges=tuple(urges),
        mood_lines=tuple(mood_lines),
        mood_dots=tuple(mood_dots),
        bars=tuple(bars),
        ticks=tuple(axis_labels(start, today, scale, _FRAME)),
        has_before=any(band.kind == "before" for band in bands),
        has_unclear_separation=any(band.style == "unclear" for band in bands),
        description=_describe(periods, today, len(contacts), len(urges), len(entry_days), moods),
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
        x = rounded(left)
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
                y=BAND_TOP,
                width=rounded(rounded(right) - x),
                height=BAND_HEIGHT,
                slug=period.slug,
                title=period.title,
                start=period.start,
                end=period.end,
                days=period.days(today) or 0,
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
            x = rounded(scale.mid(day))
            note = _short(getattr(event, "note", "") or "")
            if kind == "contact":
                contacts.append(Marker(x, x, x, CONTACT_TOP, CONTACT_BOTTOM, day, note))
            else:
                left, right = rounded(x - URGE_HALF_WIDTH), rounded(x + URGE_HALF_WIDTH)
                urges.append(Marker(x, left, right, URGE_TOP, URGE_BOTTOM, day, note))
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
            runs[-1].append((rounded((left + right) / 2), rounded(y)))
        gap = min(1.0, (right - left) * 0.2)
        height = max(1.0, entries_in[i] / most * DENSITY_HEIGHT)
        bars.append(
            Bar(
                x=rounded(left + gap / 2),
                y=rounded(AXIS_Y - height),
                width=rounded(max(0.5, right - left - gap)),
                height=rounded(height),
                count=entries_in[i],
                day=named,
                mood=None if average is None else round(average, 1),
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


# What the description says


def _describe(
    periods: Sequence[Period],
    today: datetime.date,
    contacts: int,
    urges: int,
    entries: int,
    moods: list[int],
) -> Description:
    separations = [p for p in periods if p.kind == "separation" and p.start is not None]
    n = len(separations)
    ran: tuple[tuple[str, int], ...] = ()
    longest = None
    if separations:
        who = Counter(p.initiator for p in separations)
        if n > 1:
            ran = tuple((key, who[key]) for key in _INITIATORS if who[key])
        longest = max(separations, key=lambda p: p.days(today) or 0)
    rated = sum(moods)
    current = periods[-1] if periods and periods[-1].start is not None else None
    return Description(
        separations=n,
        first_year=separations[0].start.year if separations else None,
        last_year=(separations[-1].end or today).year if separations else None,
        ran=ran,
        longest_days=(longest.days(today) or 0) if longest else 0,
        longest_open=longest.is_open if longest else False,
        contacts=contacts,
        urges=urges,
        entries=entries,
        mood=sum(v * k for v, k in enumerate(moods, start=1)) / rated if rated else None,
        now=current.title if current else "",
        now_day=current.days(today) if current else None,
    )


# Small helpers


def _as_date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):  # a datetime does not compare with a date
        return value.date()
    return value if isinstance(value, datetime.date) else None


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()
