"""The calendar page: a year of days as a heat map, and the year's mood by month with the
feelings most often named.

`year_of_entries` reads one year of a user's journal in one query, whatever its size: each
entry's day, mood and feelings (a JSON list, which the database cannot count portably),
counted here. `build_heatmap` and `build_mood_picture` are plain geometry in fixed
coordinate systems; `Heatmap.html()` and `MoodPicture.html()` draw them as markup, escaping
every word (a template drawing a year of days took most of the page's time).

The heat map has a column per week (Monday first) and a row per weekday. Days are shaded by
the number of entries, where the shaded square also grows with the count (readable without
colour), or by the average mood, where days with entries but no mood are hatched. Every
day's words (date, entries, mood) are in its tooltip, and the month table says it again.
"""

import datetime
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape  # what django.utils.html.escape runs, without its slower wrapper
from math import floor

from django.db.models import Min
from django.urls import reverse
from django.utils.safestring import SafeString

from .drawn import drawn
from .models import MOOD_LABELS, EntryQuerySet, Feeling

__all__ = [
    "SHADES",
    "Day",
    "DayCell",
    "Heatmap",
    "LegendItem",
    "Month",
    "MoodPicture",
    "MoodPoint",
    "YearOfEntries",
    "build_heatmap",
    "build_mood_picture",
    "first_year",
    "parse_year",
    "year_of_entries",
]

SHADES = ("count", "mood")
TOP_FEELINGS = 3
YEAR_DIGITS = 6  # anything longer is not a year; it is answered with the default

# The heat map's coordinate system (SVG user units).
CELL = 14
STEP = 17  # a cell and the gap after it
HM_LEFT = 40  # room for the weekday labels
HM_TOP = 24  # room for the month labels
HM_COLUMNS = 54  # a leap year that starts on a Sunday spans 54 weeks
HM_WIDTH = HM_LEFT + HM_COLUMNS * STEP + 4
HM_HEIGHT = HM_TOP + 7 * STEP + 2
# The side of the shaded square for 1, 2 and 3+ entries.
COUNT_SIZES = {1: 6, 2: 10, 3: CELL}

# The mood picture's coordinate system.
MO_WIDTH = 960
MO_HEIGHT = 220
MO_LEFT = 40
MO_RIGHT = 950
MO_TOP = 16  # y of mood 5
MO_BOTTOM = 176  # y of mood 1
MO_LABEL_Y = 204

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


# The year's numbers


@dataclass(frozen=True, slots=True)
class Day:
    """What was written on one day."""

    entries: int
    rated: int = 0  # entries with a mood
    mood_sum: int = 0

    @property
    def mood(self) -> float | None:
        return self.mood_sum / self.rated if self.rated else None


@dataclass(frozen=True, slots=True)
class Month:
    """One month of the year, for the mood picture and the table."""

    number: int  # 1-12
    name: str
    first: datetime.date
    last: datetime.date
    entries: int
    rated: int
    mood_sum: int
    feelings: tuple[tuple[str, int], ...]  # the most often named, as (label, entries)

    @property
    def mood(self) -> float | None:
        return self.mood_sum / self.rated if self.rated else None

    @property
    def mood_text(self) -> str:
        """The average with one decimal, so a column of them lines up."""
        return f"{self.mood:.1f}" if self.rated else ""


@dataclass(frozen=True, slots=True)
class YearOfEntries:
    year: int
    days: Mapping[datetime.date, Day]
    months: tuple[Month, ...]

    @property
    def entries(self) -> int:
        return sum(day.entries for day in self.days.values())

    @property
    def is_empty(self) -> bool:
        return not self.days

    @property
    def rated(self) -> int:
        return sum(day.rated for day in self.days.values())

    @property
    def mood(self) -> float | None:
        rated = self.rated
        return sum(day.mood_sum for day in self.days.values()) / rated if rated else None


def first_year(entries: EntryQuerySet, today: datetime.date) -> int:
    """The year of the earliest entry, or this year for an empty journal (one query)."""
    first = entries.aggregate(first=Min("written_on"))["first"]
    return min(first.year, today.year) if first else today.year


def parse_year(value: str | None, *, first: int, last: int, default: int) -> int:
    """The `?year=` parameter as a year from `first` to `last`: a number outside is brought
    inside, anything else (empty, words, a negative or endless number) means `default`."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > YEAR_DIGITS:
        return default
    return min(max(int(value), first), last)


def year_of_entries(entries: EntryQuerySet, year: int) -> YearOfEntries:
    """The days and months of `year` in `entries` (already the user's own), in one query.
    A day is the entry's `written_on`, which is already the user's local date."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    rows = (
        entries.filter(written_on__gte=start, written_on__lte=end)
        .order_by("written_on")
        .values_list("written_on", "mood", "feelings")
    )
    # The feelings are read per entry anyway, so the days are counted along with them.
    tally: dict[datetime.date, tuple[int, int, int]] = {}  # entries, rated, mood sum
    named = [Counter() for _ in MONTHS]
    for day, mood, feelings in rows.iterator():
        n, rated, mood_sum = tally.get(day, (0, 0, 0))
        if mood is None:
            tally[day] = (n + 1, rated, mood_sum)
        else:
            tally[day] = (n + 1, rated + 1, mood_sum + mood)
        if isinstance(feelings, list):  # an entry names each feeling once
            named[day.month - 1].update({f for f in feelings if isinstance(f, str) and f})
    days = {day: Day(*counts) for day, counts in tally.items()}

    by_month: list[list[Day]] = [[] for _ in MONTHS]
    for day, stats in days.items():
        by_month[day.month - 1].append(stats)
    labels = dict(Feeling.choices)
    months = []
    for number, name in enumerate(MONTHS, start=1):
        in_month = by_month[number - 1]
        counts = sorted(
            ((labels.get(value, value), n) for value, n in named[number - 1].items()),
            key=lambda item: (-item[1], item[0]),
        )
        months.append(
            Month(
                number=number,
                name=name,
                first=datetime.date(year, number, 1),
                last=_month_end(year, number),
                entries=sum(d.entries for d in in_month),
                rated=sum(d.rated for d in in_month),
                mood_sum=sum(d.mood_sum for d in in_month),
                feelings=tuple(counts[:TOP_FEELINGS]),
            )
        )
    return YearOfEntries(year=year, days=days, months=tuple(months))


# The heat map


# Not frozen: a page makes a year of them, and a frozen dataclass's __init__ takes three
# times as long (a third of the time building the heat map took).
@dataclass(slots=True)
class DayCell:
    """One day on the grid: its cell at (x, y) and the shaded square inside it."""

    day: datetime.date
    x: int
    y: int
    shade: str  # CSS modifier: "" (no entry), c1-c3 (entries), m1-m5 (mood), unrated
    fill_x: float
    fill_y: float
    fill_size: float
    entries: int
    label: str
    is_today: bool
    is_future: bool

    @property
    def iso(self) -> str:
        return self.day.isoformat()


@dataclass(frozen=True, slots=True)
class LegendItem:
    shade: str
    fill_offset: float  # within a CELL-sized swatch
    fill_size: float
    label: str


@dataclass(frozen=True, slots=True)
class Heatmap:
    year: int
    shade: str  # count, mood
    title: str
    desc: str
    cells: tuple[DayCell, ...]
    months: tuple[tuple[int, str], ...]  # (x, label)
    weekdays: tuple[tuple[int, str], ...]  # (y, label)
    legend: tuple[LegendItem, ...]
    today: DayCell | None
    has_future: bool
    width: int = HM_WIDTH
    height: int = HM_HEIGHT
    cell: int = CELL
    label_x: int = HM_LEFT - 6
    month_y: int = HM_TOP - 8

    @property
    def linked(self) -> tuple[DayCell, ...]:
        """The days with entries: each links to them."""
        return tuple(cell for cell in self.cells if cell.entries)

    def html(self) -> SafeString:
        """The heat map as inline SVG in its scrolling frame, with its legend; styles in
        static/css/insights.css.

        The drawing is an svg[role=img] named by its title and described by its desc; every
        cell also has its words in a <title> (a tooltip). The links to the days' entries lie
        over it in the outer svg, since interactive content must not sit inside role=img.

        Every string is escaped here as a template's autoescaping would escape it; numbers
        are printed as Python prints them, never localized. The markup has no whitespace
        between tags.
        """
        w, h, size = self.width, self.height, self.cell
        linked = self.linked
        entries_url = escape(reverse("journal:entry-list"))
        parts = [
            '<div class="hm-picture"><div class="hm-scroll" data-scroll-to-recent="true" '
            f'tabindex="0" role="region" aria-label="Calendar of {self.year} (scrolls sideways)">'
            f'<svg class="hm-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
            f'role="group" aria-label="Days of {self.year}'
            + (': select one to read its entries">' if linked else '">')
            + '<svg role="img" aria-labelledby="hm-title hm-desc" x="0" y="0" '
            f'width="{w}" height="{h}" viewBox="0 0 {w} {h}">'
            f'<title id="hm-title">{escape(self.title)}</title>'
            f'<desc id="hm-desc">{escape(self.desc)}</desc>',
            _HM_PATTERN_DEFS,
            '<g class="hm-labels">',
        ]
        parts.extend(
            f'<text x="{x}" y="{self.month_y}">{escape(label)}</text>' for x, label in self.months
        )
        parts.extend(
            f'<text x="{self.label_x}" y="{y}" text-anchor="end">{escape(label)}</text>'
            for y, label in self.weekdays
        )
        parts.append('</g><g class="hm-days">')
        links = []
        for cell in self.cells:
            label = escape(cell.label)
            future = " hm-day--future" if cell.is_future else ""
            fill = (
                _hm_fill(cell.shade, cell.fill_x, cell.fill_y, cell.fill_size) if cell.shade else ""
            )
            parts.append(
                f'<g><title>{label}</title><rect class="hm-day{future}" x="{cell.x}" '
                f'y="{cell.y}" width="{size}" height="{size}" rx="2"/>{fill}</g>'
            )
            if cell.entries:
                day = escape(cell.iso)
                links.append(
                    f'<a class="hm-link" href="{entries_url}?from={day}&amp;to={day}">'
                    f'<title>{label}</title><rect class="hm-hit" x="{cell.x}" y="{cell.y}" '
                    f'width="{size}" height="{size}" rx="2"/></a>'
                )
        parts.append("</g>")
        if self.today:
            parts.append(
                f'<rect class="hm-today" data-today="true" x="{self.today.x - 2}" '
                f'y="{self.today.y - 2}" width="{size + 4}" height="{size + 4}" rx="3"/>'
            )
        parts.append('</svg><g class="hm-links">')
        parts += links
        parts.append('</g></svg></div><ul class="hm-legend">')
        swatch = (
            f'<li><svg class="hm-swatch" viewBox="0 0 {size} {size}" aria-hidden="true" '
            f'focusable="false"><rect class="hm-day" width="{size}" height="{size}" rx="2"/>'
        )
        for item in self.legend:
            offset = item.fill_offset
            fill = _hm_fill(item.shade, offset, offset, item.fill_size) if item.shade else ""
            parts.append(f"{swatch}{fill}</svg>{escape(item.label)}</li>")
        if self.has_future:
            parts.append(
                f'<li><svg class="hm-swatch" viewBox="0 0 {size} {size}" aria-hidden="true" '
                'focusable="false"><rect class="hm-day hm-day--future" x="0.5" y="0.5" '
                'width="13" height="13" rx="2"/></svg>Still to come</li>'
            )
        if self.today:
            parts.append(
                '<li><svg class="hm-swatch" viewBox="-2 -2 18 18" aria-hidden="true" '
                f'focusable="false"><rect class="hm-day" width="{size}" height="{size}" rx="2"/>'
                '<rect class="hm-today" x="-1" y="-1" width="16" height="16" rx="3"/></svg>'
                "Today</li>"
            )
        parts.append("</ul></div>")
        # Safe: every string above is a literal, a number or escaped.
        return drawn(parts)


def build_heatmap(data: YearOfEntries, *, today: datetime.date, shade: str) -> Heatmap:
    """Every day of `data.year` on a week-by-weekday grid, shaded by entries or mood."""
    year = data.year
    jan1 = datetime.date(year, 1, 1)
    origin = jan1.toordinal() - jan1.weekday()  # the Monday of the first column
    cells = []
    for ordinal in range(jan1.toordinal(), datetime.date(year, 12, 31).toordinal() + 1):
        day = datetime.date.fromordinal(ordinal)
        x, y = _cell_xy(ordinal - origin)
        stats = data.days.get(day)
        css, size = _shade(stats, shade)
        inset = (CELL - size) / 2
        cells.append(
            DayCell(
                day=day,
                x=x,
                y=y,
                shade=css,
                fill_x=_r(x + inset),
                fill_y=_r(y + inset),
                fill_size=size,
                entries=stats.entries if stats else 0,
                label=_day_label(day, stats, today),
                is_today=day == today,
                is_future=day > today,
            )
        )
    months = []
    for number, name in enumerate(MONTHS, start=1):
        first = datetime.date(year, number, 1)
        column = (first.toordinal() - origin) // 7
        # A month is named over its first column that is mostly its own.
        if first.weekday() > 3:
            column += 1
        months.append((HM_LEFT + column * STEP, name[:3]))
    return Heatmap(
        year=year,
        shade=shade,
        title=f"Average mood per day, {year}" if shade == "mood" else f"Entries per day, {year}",
        desc=_heatmap_desc(data, shade),
        cells=tuple(cells),
        months=tuple(months),
        weekdays=tuple((HM_TOP + row * STEP + CELL - 3, name) for row, name in enumerate(WEEKDAYS)),
        legend=_legend(shade),
        today=next((cell for cell in cells if cell.is_today), None),
        has_future=any(cell.is_future for cell in cells),
    )


def _cell_xy(offset: int) -> tuple[int, int]:
    column, row = divmod(offset, 7)
    return HM_LEFT + column * STEP, HM_TOP + row * STEP


def _shade(stats: Day | None, shade: str) -> tuple[str, float]:
    if stats is None or not stats.entries:
        return "", 0
    if shade == "mood":
        mood = stats.mood
        return (f"m{_mood_step(mood)}", CELL) if mood is not None else ("unrated", CELL)
    level = min(stats.entries, 3)
    return f"c{level}", COUNT_SIZES[level]


def _mood_step(mood: float) -> int:
    """An average mood as the nearest whole step (2.5 is 3), for its shade."""
    return min(5, max(1, floor(mood + 0.5)))


def _legend(shade: str) -> tuple[LegendItem, ...]:
    if shade == "mood":
        items = [("", 0, "No entry"), ("unrated", CELL, "Entries, no mood")]
        items += [(f"m{n}", CELL, f"{n} · {MOOD_LABELS[n]}") for n in range(1, 6)]
    else:
        items = [("", 0, "No entry"), ("c1", COUNT_SIZES[1], "1 entry")]
        items += [("c2", COUNT_SIZES[2], "2 entries"), ("c3", COUNT_SIZES[3], "3 or more")]
    return tuple(LegendItem(css, _r((CELL - size) / 2), size, label) for css, size, label in items)


def _day_label(day: datetime.date, stats: Day | None, today: datetime.date) -> str:
    when = _date(day) + (" (today)" if day == today else "")
    if stats is None or not stats.entries:
        return f"{when}: still to come" if day > today else f"{when}: no entries"
    text = f"{when}: {_entries(stats.entries)}"
    mood = stats.mood
    return f"{text}, mood {_number(mood)}" if mood is not None else text


def _heatmap_desc(data: YearOfEntries, shade: str) -> str:
    if data.is_empty:
        return f"No entries in {data.year}."
    days = len(data.days)
    text = f"{_entries(data.entries)} on {days:,} day{'s' if days != 1 else ''} of {data.year}."
    if shade == "mood":
        mood = data.mood
        if mood is None:
            return f"{text} None of them has a mood."
        return f"{text} Mood averaged {_number(mood)} out of 5."
    busiest, stats = max(
        data.days.items(), key=lambda item: (item[1].entries, -item[0].toordinal())
    )
    if stats.entries > 1:
        text += f" The most in one day: {stats.entries}, on {_date(busiest)}."
    return text


# The mood picture


@dataclass(frozen=True, slots=True)
class MoodPoint:
    x: float
    y: float
    label: str


@dataclass(frozen=True, slots=True)
class MoodPicture:
    title: str
    desc: str
    lines: tuple[str, ...]  # SVG points lists, one per run of months with a mood
    points: tuple[MoodPoint, ...]
    months: tuple[tuple[float, str], ...]  # (x, label)
    levels: tuple[tuple[float, int], ...]  # (y, mood) of the grid lines
    width: int = MO_WIDTH
    height: int = MO_HEIGHT
    left: int = MO_LEFT
    right: int = MO_RIGHT
    label_x: int = MO_LEFT - 10
    label_y: int = MO_LABEL_Y
    this_month: int | None = None  # 1–12 when the year is this year: its label marks today

    def html(self) -> SafeString:
        """The picture as inline SVG in its scrolling frame, with its legend; styles in
        static/css/insights.css.

        An svg[role=img] named by its title and described by its desc; the month table on
        the calendar page holds the same numbers as text. Strings are escaped and numbers
        printed unlocalized, as in `Heatmap.html`.
        """
        w, h = self.width, self.height
        parts = [
            '<div class="mo-picture"><div class="mo-scroll" data-scroll-to-recent="true" '
            'tabindex="0" role="region" aria-label="Mood by month (scrolls sideways)">'
            f'<svg class="mo-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
            'role="img" aria-labelledby="mo-title mo-desc">'
            f'<title id="mo-title">{escape(self.title)}</title>'
            f'<desc id="mo-desc">{escape(self.desc)}</desc>'
            '<g class="mo-grid">'
        ]
        parts.extend(
            f'<line x1="{self.left}" x2="{self.right}" y1="{y}" y2="{y}"/>' for y, _ in self.levels
        )
        parts.append('</g><g class="mo-labels">')
        parts.extend(
            f'<text x="{self.label_x}" y="{y + 5}" text-anchor="end">{mood}</text>'
            for y, mood in self.levels
        )
        parts.extend(
            f'<text x="{x}" y="{self.label_y}" text-anchor="middle"'
            + (' data-today="true">' if number == self.this_month else ">")
            + f"{escape(label)}</text>"
            for number, (x, label) in enumerate(self.months, start=1)
        )
        parts.append('</g><g class="mo-lines">')
        parts.extend(
            f'<polyline class="mo-line" points="{escape(points)}"/>' for points in self.lines
        )
        parts.append('</g><g class="mo-points">')
        parts.extend(
            f'<circle class="mo-point" cx="{point.x}" cy="{point.y}" r="5">'
            f"<title>{escape(point.label)}</title></circle>"
            for point in self.points
        )
        parts += ["</g></svg></div>", _MO_LEGEND]
        # Safe: every string above is a literal, a number or escaped.
        return drawn(parts)


def build_mood_picture(
    data: YearOfEntries, *, today: datetime.date | None = None
) -> MoodPicture | None:
    """The monthly average mood of `data.year` as a line, broken where a month has none;
    None when no entry of the year has a mood. In this year, today's month is marked."""
    rated = [month for month in data.months if month.rated]
    if not rated:
        return None
    slot = (MO_RIGHT - MO_LEFT) / len(MONTHS)
    runs: list[list[tuple[float, float]]] = [[]]
    points = []
    for month in data.months:
        mood = month.mood
        if mood is None:
            if runs[-1]:
                runs.append([])
            continue
        x = _r(MO_LEFT + (month.number - 0.5) * slot)
        y = _mood_y(mood)
        runs[-1].append((x, y))
        points.append(
            MoodPoint(
                x,
                y,
                f"{month.name} {data.year}: mood {month.mood_text} "
                f"({month.rated} of {_entries(month.entries)} with a mood)",
            )
        )
    return MoodPicture(
        title=f"Mood by month, {data.year}",
        desc=_mood_desc(data, rated),
        lines=tuple(" ".join(f"{x},{y}" for x, y in run) for run in runs if len(run) > 1),
        points=tuple(points),
        months=tuple((_r(MO_LEFT + (n + 0.5) * slot), name[:3]) for n, name in enumerate(MONTHS)),
        levels=tuple((_mood_y(n), n) for n in range(5, 0, -1)),
        this_month=today.month if today and today.year == data.year else None,
    )


def _mood_y(mood: float) -> float:
    return _r(MO_BOTTOM - (mood - 1) / 4 * (MO_BOTTOM - MO_TOP))


def _mood_desc(data: YearOfEntries, rated: list[Month]) -> str:
    text = f"Average mood by month in {data.year}, from 1 (very low) to 5 (bright): "
    if len(rated) == 1:
        (month,) = rated
        return text + f"only {month.name} has a mood, {month.mood_text}."
    high = max(rated, key=lambda m: (m.mood, -m.number))
    low = min(rated, key=lambda m: (m.mood, m.number))
    text += f"highest in {high.name} ({high.mood_text}), lowest in {low.name} ({low.mood_text})."
    missing = len(MONTHS) - len(rated)
    if missing:
        text += f" {missing} month{'s have' if missing != 1 else ' has'} no mood."
    return text


# The markup's fixed parts


def _hm_fill(shade: str, x: float, y: float, size: float) -> str:
    """The shaded square of a day or a legend swatch; days without a mood are hatched."""
    return (
        f'<rect class="hm-fill hm-fill--{escape(shade)}" x="{x}" y="{y}" width="{size}" '
        f'height="{size}" rx="2"'
        + (' fill="url(#hm-pat-unrated)"/>' if shade == "unrated" else "/>")
    )


_HM_PATTERN_DEFS = (
    '<defs><pattern id="hm-pat-unrated" patternUnits="userSpaceOnUse" width="4" height="4" '
    'patternTransform="rotate(45)"><rect class="hm-pat-bg" width="4" height="4"/>'
    '<line class="hm-pat-ink" x1="2" y1="0" x2="2" y2="4" stroke-width="1.3"/></pattern></defs>'
)
_MO_LEGEND = (
    '<ul class="mo-legend"><li><svg class="mo-swatch" viewBox="0 0 24 14" aria-hidden="true" '
    'focusable="false"><polyline class="mo-line" points="2,11 12,4 22,8"/><circle '
    'class="mo-point" cx="12" cy="4" r="3"/></svg>Average mood per month, from 1 (very low) '
    "to 5 (bright); a gap is a month without a mood</li></ul></div>"
)


# Small helpers


def _month_end(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def _r(value: float) -> float:
    """A coordinate with one decimal at most (an int-valued float prints without one)."""
    rounded = round(value, 1)
    return int(rounded) if rounded == int(rounded) else rounded


def _number(value: float) -> str:
    """3.0 as "3", 3.46 as "3.5": an average as people write it."""
    return f"{round(value, 1):g}"


def _date(day: datetime.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _entries(n: int) -> str:
    return f"{n:,} entr{'y' if n == 1 else 'ies'}"
