"""Labels along a picture's time axis (the timeline's): the first day, today, and between
them days or weeks, months or years, thinned so that none overlaps another. A label says
how the template words its day (`form`); its geometry is plain numbers, spaced for the words
the label has in the active language."""

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.utils.formats import date_format
from django.utils.translation import gettext

DAILY_MAX_DAYS = 62
MONTH_LABELS_MAX_DAYS = 550  # about 18 months
MAX_TICKS = 10  # plus the first day and "Today": never more than 12 labels
LABEL_CHAR_WIDTH = 7.7  # an estimate for the 14-unit axis font, to keep labels apart
LABEL_GAP = 10


@dataclass(frozen=True, slots=True)
class Line:
    """A straight line from (x1, y1) to (x2, y2)."""

    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True, slots=True)
class AxisLabel:
    """A label under the axis at (x, y), with a tick mark above it or not. `form` says how
    the template words `day`: "date" (4 Nov 2026), "day" (4 Nov), "month" (Nov),
    "month-year" (Nov 2026), "year" (2026), or "today" (the word Today)."""

    x: float
    y: float
    anchor: str  # start, middle, end (SVG text-anchor)
    form: str
    day: datetime.date
    mark: Line | None


@dataclass(frozen=True, slots=True)
class AxisFrame:
    """Where the axis lies: from x `left` to `right` at height `axis_y`; tick marks reach
    down to `tick_bottom`, labels stand on `label_y`."""

    left: float
    right: float
    axis_y: float
    tick_bottom: float
    label_y: float


class Scale(Protocol):
    days: int

    def x(self, day: datetime.date) -> float: ...


# The axis


def axis_labels(
    start: datetime.date, today: datetime.date, scale: Scale, frame: AxisFrame
) -> list[AxisLabel]:
    """Labels along the axis: the first day, today, and between them days or weeks, months
    or years, thinned so that none overlaps another. A label names its year when the year
    changes from the label before it ("Feb" after "13 Dec 2025" reads "Feb 2026")."""
    last = AxisLabel(float(frame.right), frame.label_y, "end", "today", today, None)
    if start == today:
        return [last]
    kept = [AxisLabel(float(frame.left), frame.label_y, "start", "date", start, None)]
    today_left = _label_box(last)[0]
    limit = today_left - LABEL_GAP
    kept_right = _label_box(kept[-1])[1]
    year = start.year
    for day, short, long in _tick_candidates(start, today, scale):
        x = rounded(scale.x(day))
        form = short if day.year == year else long
        tick = AxisLabel(
            x, frame.label_y, "middle", form, day, Line(x, frame.axis_y, x, frame.tick_bottom)
        )
        left, right = _label_box(tick)
        if left >= kept_right + LABEL_GAP and right <= limit:
            kept.append(tick)
            kept_right = right
            year = day.year
    if kept_right + LABEL_GAP > today_left:  # short: "Today" wins
        kept.pop()
    return [*kept, last]


def label_text(tick: AxisLabel) -> str:
    """The words of a label, as templates/journal/pictures/timeline.html writes them (the
    same formats, so the same translations): "4 Nov 2026", "4 Nov", "Nov", "Nov 2026",
    "2026" or "Today"."""
    form = tick.form
    if form == "today":
        return gettext("Today")
    if form == "date":
        return date_format(tick.day, gettext("j M Y"))
    if form == "day":
        return date_format(tick.day, gettext("j M"))
    if form == "month":
        # Translators: a month on a picture's axis, in Django's date format letters (M: "Jan").
        return date_format(tick.day, gettext("M"))
    if form == "month-year":
        return date_format(tick.day, gettext("M Y"))
    return date_format(tick.day, "Y")


def _label_box(tick: AxisLabel) -> tuple[float, float]:
    """Where a label's text lies along the axis, roughly."""
    width = len(label_text(tick)) * LABEL_CHAR_WIDTH
    if tick.anchor == "start":
        return tick.x, tick.x + width
    if tick.anchor == "end":
        return tick.x - width, tick.x
    return tick.x - width / 2, tick.x + width / 2


def _tick_candidates(
    start: datetime.date, today: datetime.date, scale: Scale
) -> list[tuple[datetime.date, str, str]]:
    """(day, form, form with its year): every day of a picture of up to MAX_TICKS days,
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
        return [(day, "day", "date") for day in stops]
    if days <= MONTH_LABELS_MAX_DAYS:
        first = start.year * 12 + start.month  # the month after the first day's
        last = today.year * 12 + today.month - 1
        step = next(s for s in (1, 2, 3, 4, 6, 12) if (last - first + 1) / s <= MAX_TICKS)
        stops = [
            datetime.date(n // 12, n % 12 + 1, 1)
            for n in range(first, last + 1)
            if (n % 12) % step == 0
        ]
        return [(day, "month", "month-year") for day in stops]
    years = range(start.year + 1, today.year + 1)
    step = next(s for s in _steps() if len(years) / s <= MAX_TICKS)
    return [(datetime.date(year, 1, 1), "year", "year") for year in years if year % step == 0]


def _steps() -> Iterable[int]:
    yield from (1, 2, 5)
    power = 10
    while True:
        yield from (power, 2 * power, 5 * power)
        power *= 10


def rounded(value: float) -> float:
    """A coordinate with one decimal at most (an int-valued float prints without one)."""
    rounded = round(value, 1)
    return int(rounded) if rounded == int(rounded) else rounded
