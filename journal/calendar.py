"""The calendar page: a year of days as a heat map, and the year's mood by month with the
feelings most often named.

`year_of_entries` reads one year of a user's journal in two queries, whatever its size: a
row per day, counted by the database, and the year's feelings (a JSON list on each entry,
so they are counted here). `build_heatmap` and `build_mood_picture` are plain geometry in
fixed coordinate systems; `templates/journal/includes/heatmap_svg.html` and `mood_svg.html`
draw them, so every word reaches the page auto-escaped.

The heat map has a column per week (Monday first) and a row per weekday. Days are shaded by
the number of entries, where the shaded square also grows with the count (readable without
colour), or by the average mood, where days with entries but no mood are hatched. Every
day's words (date, entries, mood) are in its tooltip, and the month table says it again.
"""

import datetime
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from math import floor

from django.db.models import Count, Min, Sum

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
    """The days and months of `year` in `entries` (already the user's own), in two queries.
    A day is the entry's `written_on`, which is already the user's local date."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    in_year = entries.filter(written_on__gte=start, written_on__lte=end).order_by()
    rows = (
        in_year.values("written_on")
        .annotate(n=Count("id"), rated=Count("mood"), mood_sum=Sum("mood"))
        .order_by("written_on")
    )
    days = {row["written_on"]: Day(row["n"], row["rated"], row["mood_sum"] or 0) for row in rows}

    named = [Counter() for _ in MONTHS]
    for day, feelings in in_year.values_list("written_on", "feelings").iterator():
        if isinstance(feelings, list):  # an entry names each feeling once
            named[day.month - 1].update({f for f in feelings if isinstance(f, str) and f})

    labels = dict(Feeling.choices)
    months = []
    for number, name in enumerate(MONTHS, start=1):
        in_month = [d for d in days.items() if d[0].month == number]
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
                entries=sum(d.entries for _, d in in_month),
                rated=sum(d.rated for _, d in in_month),
                mood_sum=sum(d.mood_sum for _, d in in_month),
                feelings=tuple(counts[:TOP_FEELINGS]),
            )
        )
    return YearOfEntries(year=year, days=days, months=tuple(months))


# The heat map


@dataclass(frozen=True, slots=True)
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


def build_mood_picture(data: YearOfEntries) -> MoodPicture | None:
    """The monthly average mood of `data.year` as a line, broken where a month has none;
    None when no entry of the year has a mood."""
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
    return f"{day.day} {day:%B %Y}"


def _entries(n: int) -> str:
    return f"{n:,} entr{'y' if n == 1 else 'ies'}"
