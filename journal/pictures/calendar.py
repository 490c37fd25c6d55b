"""The calendar page: a year of days as a heat map, and the year's mood by month with the
feelings most often named.

`year_of_entries` reads one year of a user's journal in one query, whatever its size: each
entry's day, mood and feelings (a JSON list, which the database cannot count portably),
counted here. `build_heatmap` and `build_mood_picture` are plain geometry in fixed
coordinate systems: numbers, dates, counts and moods, never markup or sentences. The
templates templates/journal/pictures/heatmap.html and mood.html draw them and say every
word in the active language (sentences with `blocktranslate`, dates, months and weekdays
with the `date` filter, moods with `floatformat`).

The heat map has a column per week (Monday first) and a row per weekday. Days are shaded by
the number of entries, where the shaded square also grows with the count (readable without
colour), or by the average mood, where days with entries but no mood are hatched. Every
day's words (date, entries, mood) are in its tooltip, and the month table says it again.
"""

import datetime
import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from math import floor

from django.db.models import Min

from ..models import MOOD_LABELS, EntryQuerySet, Feeling

__all__ = [
    "SHADES",
    "Box",
    "Day",
    "DayCell",
    "GridLine",
    "Heatmap",
    "HeatmapMonth",
    "LegendItem",
    "Month",
    "MoodPicture",
    "MoodPoint",
    "Tick",
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
MONTHS = range(1, 13)

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
COUNT_STEPS = 3  # the last step is "3 or more"

# The mood picture's coordinate system.
MO_WIDTH = 960
MO_HEIGHT = 220
MO_LEFT = 40
MO_RIGHT = 950
MO_TOP = 16  # y of mood 5
MO_BOTTOM = 176  # y of mood 1
MO_LABEL_Y = 204


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
    first: datetime.date  # its name is `first|date:"F"`
    last: datetime.date
    entries: int
    rated: int
    mood_sum: int
    feelings: tuple[tuple[str, int], ...]  # the most often named, as (label, entries)

    @property
    def mood(self) -> float | None:
        return self.mood_sum / self.rated if self.rated else None


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
    for number in MONTHS:
        in_month = by_month[number - 1]
        counts = sorted(
            ((labels.get(value, value), n) for value, n in named[number - 1].items()),
            key=lambda item: (-item[1], item[0]),
        )
        months.append(
            Month(
                number=number,
                first=datetime.date(year, number, 1),
                last=_month_end(year, number),
                entries=sum(d.entries for d in in_month),
                rated=sum(d.rated for d in in_month),
                mood_sum=sum(d.mood_sum for d in in_month),
                feelings=tuple(counts[:TOP_FEELINGS]),
            )
        )
    return YearOfEntries(year=year, days=days, months=tuple(months))


# Shared by both pictures


@dataclass(frozen=True, slots=True)
class Tick:
    """A label on an axis: where it is, and the day it names (a month by its first day, a
    weekday by one of its dates); the template words it with the `date` filter."""

    at: float
    day: datetime.date


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    size: float


# The heat map


@dataclass(frozen=True, slots=True)
class DayCell:
    """One day on the grid: its cell at (x, y) and the shaded square inside it, with what
    its tooltip says (the entries and their average mood)."""

    day: datetime.date
    iso: str  # the day in the links' query string
    x: int
    y: int
    shade: str  # CSS modifier: "" (no entry), c1-c3 (entries), m1-m5 (mood), unrated
    fill_x: float
    fill_y: float
    fill_size: float
    entries: int
    mood: float | None  # the day's average, to one decimal (3.46 is 3.5, 3.0 is 3)
    is_today: bool
    is_future: bool


@dataclass(frozen=True, slots=True)
class HeatmapMonth:
    """A month of the grid: where its name goes, and its days (the template names the
    month once for all its days' tooltips: a `date` filter per day took a tenth of the
    drawing's time)."""

    at: int  # x of its name
    first: datetime.date
    cells: tuple[DayCell, ...]
    linked: tuple[DayCell, ...]  # its days with entries: each links to them

    @property
    def key(self) -> str:
        """A digest of everything the month's days show (their places, shades, counts,
        moods, today and the days still to come): the key its drawing is cached under, so
        a change to the journal draws again only the months it changed."""
        return hashlib.sha256(repr((self.first, self.cells)).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class LegendItem:
    """A swatch of the legend and what it stands for: no entry (entries 0), a number of
    entries (`or_more` for the last step), days with entries but no mood (shade
    "unrated"), or a mood step with its name."""

    shade: str
    fill_offset: float  # within a CELL-sized swatch
    fill_size: float
    entries: int = 0
    or_more: bool = False
    mood: int | None = None
    mood_label: str = ""


@dataclass(frozen=True, slots=True)
class Heatmap:
    year: int
    shade: str  # count, mood
    months: tuple[HeatmapMonth, ...]
    weekdays: tuple[Tick, ...]  # y of each weekday's name
    legend: tuple[LegendItem, ...]
    today: DayCell | None
    today_box: Box | None  # the frame around today's cell
    has_future: bool
    # For the description: the year's entries, on how many days, their average mood, and
    # the day with the most entries (the earliest of equals).
    entries: int
    days: int
    mood: float | None
    busiest: datetime.date | None
    busiest_entries: int
    width: int = HM_WIDTH
    height: int = HM_HEIGHT
    cell: int = CELL
    label_x: int = HM_LEFT - 6
    month_y: int = HM_TOP - 8

    @property
    def cells(self) -> tuple[DayCell, ...]:
        return tuple(cell for month in self.months for cell in month.cells)

    @property
    def linked(self) -> tuple[DayCell, ...]:
        """The days with entries: each links to them."""
        return tuple(cell for month in self.months for cell in month.linked)


def build_heatmap(data: YearOfEntries, *, today: datetime.date, shade: str) -> Heatmap:
    """Every day of `data.year` on a week-by-weekday grid, shaded by entries or mood."""
    year = data.year
    jan1 = datetime.date(year, 1, 1)
    origin = jan1.toordinal() - jan1.weekday()  # the Monday of the first column
    by_month: list[list[DayCell]] = [[] for _ in MONTHS]
    for ordinal in range(jan1.toordinal(), datetime.date(year, 12, 31).toordinal() + 1):
        day = datetime.date.fromordinal(ordinal)
        x, y = _cell_xy(ordinal - origin)
        stats = data.days.get(day)
        css, size = _shade(stats, shade)
        inset = (CELL - size) / 2
        by_month[day.month - 1].append(
            DayCell(
                day=day,
                iso=day.isoformat(),
                x=x,
                y=y,
                shade=css,
                fill_x=_r(x + inset),
                fill_y=_r(y + inset),
                fill_size=size,
                entries=stats.entries if stats else 0,
                mood=_r(stats.mood) if stats and stats.rated else None,
                is_today=day == today,
                is_future=day > today,
            )
        )
    months = []
    for number in MONTHS:
        first = datetime.date(year, number, 1)
        column = (first.toordinal() - origin) // 7
        # A month is named over its first column that is mostly its own.
        if first.weekday() > 3:
            column += 1
        in_month = tuple(by_month[number - 1])
        linked = tuple(cell for cell in in_month if cell.entries)
        months.append(HeatmapMonth(HM_LEFT + column * STEP, first, in_month, linked))
    cells = [cell for month in by_month for cell in month]
    today_cell = next((cell for cell in cells if cell.is_today), None)
    busiest, most = None, 0
    for day, stats in data.days.items():
        if stats.entries > most or (stats.entries == most and day < busiest):
            busiest, most = day, stats.entries
    return Heatmap(
        year=year,
        shade=shade,
        months=tuple(months),
        weekdays=tuple(
            Tick(HM_TOP + row * STEP + CELL - 3, datetime.date.fromordinal(origin + row))
            for row in range(7)
        ),
        legend=_legend(shade),
        today=today_cell,
        today_box=Box(today_cell.x - 2, today_cell.y - 2, CELL + 4) if today_cell else None,
        has_future=cells[-1].is_future,
        entries=data.entries,
        days=len(data.days),
        mood=data.mood,
        busiest=busiest,
        busiest_entries=most,
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
    level = min(stats.entries, COUNT_STEPS)
    return f"c{level}", COUNT_SIZES[level]


def _mood_step(mood: float) -> int:
    """An average mood as the nearest whole step (2.5 is 3), for its shade."""
    return min(5, max(1, floor(mood + 0.5)))


def _legend(shade: str) -> tuple[LegendItem, ...]:
    def item(css: str, size: float, **what) -> LegendItem:
        return LegendItem(css, _r((CELL - size) / 2), size, **what)

    if shade == "mood":
        return (
            item("", 0),
            item("unrated", CELL, entries=1),
            *(
                item(f"m{n}", CELL, entries=1, mood=n, mood_label=MOOD_LABELS[n])
                for n in range(1, 6)
            ),
        )
    return (
        item("", 0),
        *(
            item(f"c{n}", COUNT_SIZES[n], entries=n, or_more=n == COUNT_STEPS)
            for n in range(1, COUNT_STEPS + 1)
        ),
    )


# The mood picture


@dataclass(frozen=True, slots=True)
class MoodPoint:
    """A month's average mood, with what its tooltip says."""

    x: float
    y: float
    month: datetime.date  # its first day
    mood: float
    rated: int  # entries with a mood
    entries: int


@dataclass(frozen=True, slots=True)
class GridLine:
    y: float
    label_y: float
    mood: int


@dataclass(frozen=True, slots=True)
class MoodPicture:
    year: int
    lines: tuple[str, ...]  # SVG points lists, one per run of months with a mood
    points: tuple[MoodPoint, ...]
    months: tuple[Tick, ...]  # x of each month's name
    levels: tuple[GridLine, ...]  # moods 5 to 1
    # For the description: the month with the highest and the lowest mood (the same
    # month when only one has a mood), and how many months have none.
    high: Month
    low: Month
    missing: int
    width: int = MO_WIDTH
    height: int = MO_HEIGHT
    left: int = MO_LEFT
    right: int = MO_RIGHT
    label_x: int = MO_LEFT - 10
    label_y: int = MO_LABEL_Y
    this_month: int | None = None  # 1–12 when the year is this year: its label marks today

    @property
    def only_one(self) -> bool:
        return len(self.points) == 1


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
        points.append(MoodPoint(x, y, month.first, mood, month.rated, month.entries))
    return MoodPicture(
        year=data.year,
        lines=tuple(" ".join(f"{x},{y}" for x, y in run) for run in runs if len(run) > 1),
        points=tuple(points),
        months=tuple(
            Tick(_r(MO_LEFT + (n - 0.5) * slot), datetime.date(data.year, n, 1)) for n in MONTHS
        ),
        levels=tuple(GridLine(_mood_y(n), _mood_y(n) + 5, n) for n in range(5, 0, -1)),
        high=max(rated, key=lambda m: (m.mood, -m.number)),
        low=min(rated, key=lambda m: (m.mood, m.number)),
        missing=len(MONTHS) - len(rated),
        this_month=today.month if today and today.year == data.year else None,
    )


def _mood_y(mood: float) -> float:
    return _r(MO_BOTTOM - (mood - 1) / 4 * (MO_BOTTOM - MO_TOP))


# Small helpers


def _month_end(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def _r(value: float) -> float:
    """A number with one decimal at most (an int-valued float becomes an int, which prints
    without one)."""
    rounded = round(value, 1)
    return int(rounded) if rounded == int(rounded) else rounded
