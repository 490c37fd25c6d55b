"""Periods: a user's timeline cut into consecutive spans ("Together", "Separation 2 — you ran").

Periods are derived from timeline events whenever they are needed and never stored. This
module is plain Python on purpose (of Django, only its translation and date formats, for the
titles and notes people read): the caller passes any objects with `kind`, `occurred_on` and
`initiator` (see `EventLike`), and gets them back, untouched, inside the periods. Titles are
worded when they are read and notes when the periods are derived, each in the active language.

The model
---------
Three kinds of event *open* a period: a meeting opens "together", a separation opens
"separation" and a reunion opens "reunited". Contacts, urges and milestones never open one
(nor does an event of a kind this module does not know); they are listed in the period whose
dates contain them, and a contact inside a separation also resets its days without contact.

Events are sorted stably by date, so events on one day keep the order they were given in.
Everything before the first opening event is one "before" period with no lower bound
(`start` is None). Each later period starts on the day of the event that opens it and ends,
inclusively, the day before the next one opens. The last period is open (`end` is None): it
is the current one. So every date, past or future, belongs to exactly one period, and with no
events at all there is a single open "before" period.

`number` counts periods of the same kind from 1 ("Separation 2", "Reunited (2)").

Odd input never raises; it is resolved as below and explained in `notes` on the period it
affects:

- Several opening events on one day: the last one given decides the state from that day; the
  earlier ones are noted. A period is never zero days long.
- A separation while already apart: the separation continues, with no new number. A second
  record of the same leaving is far likelier than two separations with no reunion between
  them. If it names a different initiator, the first one is kept and the difference noted.
- A reunion while not apart: the current period continues. As the very first opening event,
  it opens "Reunited" (the user was apart before their timeline begins), with a note.
- A meeting after the first one: during a separation it counts as a reunion; otherwise the
  current period continues. Either way, a note.
- A separation as the very first opening event: "before" runs up to it and it is
  separation 1 (no note: people often start journaling once they are apart).
- A separation that does not say who left: no perspective, and a note.
- Events dated after `today`: left out of the periods, and counted in a note on the last one.
  Events without a date are treated the same way.
"""

import datetime
import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Protocol

from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext, pgettext_lazy

from .text import number_text

__all__ = ["EventLike", "Period", "current_period", "derive_periods", "period_for"]

OPENING_KINDS = frozenset({"meeting", "separation", "reunion"})
KNOWN_KINDS = OPENING_KINDS | {"contact", "urge", "milestone"}
PERSPECTIVES = {"me": "runner", "them": "chaser", "mutual": "both"}

_WHO_LEFT = {
    "me": gettext_lazy("you left"),
    "them": gettext_lazy("they left"),
    # Translators: who left in a separation: both of them, by agreement.
    "mutual": pgettext_lazy("who left", "mutual"),
}
_SLUG_PREFIX = {"together": "together", "separation": "separation", "reunited": "reunion"}
_BEFORE_TITLES = {
    "": gettext_lazy("Before we met"),
    "together": gettext_lazy("Before we met"),
    "separation": gettext_lazy("Before the first separation"),
    "reunited": gettext_lazy("Before the first reunion"),
}
_ONE_DAY = datetime.timedelta(days=1)


class EventLike(Protocol):
    """What a timeline event needs to offer; a model instance or any plain object will do."""

    @property
    def kind(self) -> str: ...  # meeting, separation, contact, urge, reunion, milestone

    @property
    def occurred_on(self) -> datetime.date: ...

    @property
    def initiator(self) -> str: ...  # for a separation: me, them, mutual; "" otherwise


@dataclass(frozen=True, slots=True)
class Period:
    """One span of the timeline, from `start` to `end` inclusive (None: unbounded / open)."""

    kind: str  # before, together, separation, reunited
    start: datetime.date | None
    end: datetime.date | None
    number: int = 1
    initiator: str = ""  # who left, for a separation: me, them, mutual (the first one recorded)
    opened_by: EventLike | None = None  # the event that opened it; None for "before"
    followed_by: str = ""  # the kind of the next period; "" for the open one
    events: tuple[EventLike, ...] = ()  # every event dated inside it, in timeline order
    contacts: tuple[EventLike, ...] = ()  # the contacts, for a separation
    notes: tuple[str, ...] = ()

    @property
    def perspective(self) -> str:
        """runner, chaser or both in a separation (by who left); "" otherwise."""
        if self.kind != "separation":
            return ""
        return PERSPECTIVES.get(self.initiator, "")

    @property
    def is_open(self) -> bool:
        return self.end is None

    @property
    def title(self) -> str:
        """Its name in the active language: "Together", "Separation 2 — you ran"."""
        if self.kind == "before":
            # Translators: the title of the time before the first event of a timeline.
            return str(_BEFORE_TITLES.get(self.followed_by, pgettext("period", "Before")))
        number = {"number": self.number}
        if self.kind == "separation":
            if self.initiator == "me":
                # Translators: a period's title: the user's 2nd separation, where the user left.
                return gettext("Separation %(number)s — you ran") % number
            if self.initiator == "them":
                return gettext("Separation %(number)s — they ran") % number
            if self.initiator == "mutual":
                # Translators: a period's title: a separation both chose.
                return gettext("Separation %(number)s — mutual") % number
            return gettext("Separation %(number)s") % number
        if self.kind == "together":
            if self.number == 1:
                # Translators: a period's title: the time the two were together.
                return pgettext("period", "Together")
            return gettext("Together (%(number)s)") % number
        if self.number == 1:
            # Translators: a period's title: together again after a separation.
            return pgettext("period", "Reunited")
        return gettext("Reunited (%(number)s)") % number

    def day_text(self, day: int) -> str:
        """Where a day falls in it, in words: "Day 12 of separation 2", "Together · day 40"."""
        if self.kind != "separation":
            # Translators: a period's title and a day in it: "Reunited · day 40".
            return gettext("%(title)s · day %(day)s") % {"title": self.title, "day": day}
        by_initiator = {
            # Translators: the 12th day of the user's 2nd separation, where the user left.
            "me": gettext("Day %(day)s of separation %(number)s — you ran"),
            "them": gettext("Day %(day)s of separation %(number)s — they ran"),
            "mutual": gettext("Day %(day)s of separation %(number)s — mutual"),
        }
        text = by_initiator.get(self.initiator) or gettext("Day %(day)s of separation %(number)s")
        return text % {"day": day, "number": self.number}

    @property
    def slug(self) -> str:
        """A stable, URL-safe id for `?period=`: before, together-1, separation-2, reunion-1."""
        if self.kind == "before":
            return "before"
        return f"{_SLUG_PREFIX.get(self.kind, self.kind)}-{self.number}"

    def contains(self, day: datetime.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def days(self, today: datetime.date) -> int | None:
        """Its length in days, both ends counted (an open period runs to today).

        None for a "before" period, which has no first day.
        """
        if self.start is None:
            return None
        last = today if self.end is None else self.end
        return max(0, (last - self.start).days + 1)

    def days_without_contact(self, today: datetime.date) -> int | None:
        """Days since the last contact of a separation, or since it began when there was none.

        Counted up to the end of the separation, or to today while it lasts: 0 on the day of a
        contact (or on the separation's first day). None outside a separation.
        """
        if self.kind != "separation" or self.start is None:
            return None
        last = today if self.end is None else min(self.end, today)
        contact_days = [day for c in self.contacts if (day := _day(c)) and day <= last]
        since = max(contact_days, default=self.start)
        return max(0, (last - since).days)


@dataclass(slots=True)
class _Draft:
    """A period while it is being built; its end is known only once the next one opens."""

    kind: str
    start: datetime.date | None
    number: int = 1
    initiator: str = ""
    opened_by: EventLike | None = None
    events: list[EventLike] = field(default_factory=list)
    contacts: list[EventLike] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def derive_periods(events: Iterable[EventLike], today: datetime.date) -> list[Period]:
    """Cut the timeline into consecutive periods, the last one open (see the module docstring)."""
    dated: list[tuple[datetime.date, EventLike]] = []
    undated = 0
    for event in events:
        day = _day(event)
        if day is None:
            undated += 1
        else:
            dated.append((day, event))
    dated.sort(key=itemgetter(0))  # stable: one day's events keep the order given
    past = [pair for pair in dated if pair[0] <= today]

    drafts = [_Draft("before", None)]
    counts: Counter[str] = Counter()
    for day, group in itertools.groupby(past, key=itemgetter(0)):
        day_events = [event for _, event in group]
        current = drafts[-1]
        notes: list[str] = []
        openers = [event for event in day_events if _kind(event) in OPENING_KINDS]
        if openers:
            *earlier, last = openers
            notes.extend(
                capfirst(
                    # Translators: a note on a timeline: "A separation on 2025-02-01 was
                    # followed by a reunion the same day; the later one counts."
                    gettext(
                        "%(event)s on %(day)s was followed by %(later)s the same day; "
                        "the later one counts."
                    )
                    % {"event": _an(event), "day": _date(day), "later": _an(last)}
                )
                for event in earlier
            )
            opens, note = _step(current, last, day)
            if note:
                notes.append(note)
            if opens:
                counts[opens] += 1
                current = _Draft(opens, day, counts[opens], opened_by=last)
                if opens == "separation":
                    current.initiator = _initiator(last)
                    if current.initiator not in PERSPECTIVES:
                        notes.append(gettext("This separation does not say who left."))
                drafts.append(current)
        current.notes.extend(notes)
        for event in day_events:
            current.events.append(event)
            kind = _kind(event)
            if kind == "contact" and current.kind == "separation":
                current.contacts.append(event)
            elif kind not in KNOWN_KINDS:
                current.notes.append(
                    gettext(
                        "An event of unknown kind “%(kind)s” on %(day)s is listed here "
                        "but does not change the period."
                    )
                    % {"kind": kind, "day": _date(day)}
                )

    # Nothing can come before date.min, so a "before" period there would have no days at all.
    if len(drafts) > 1 and drafts[1].start == datetime.date.min:
        drafts.pop(0)
    future = len(dated) - len(past)
    left_out = [
        (
            future,
            ngettext(
                "Not counted yet: %(n)s event dated after today.",
                "Not counted yet: %(n)s events dated after today.",
                future,
            ),
        ),
        (
            undated,
            ngettext(
                "Left out: %(n)s event without a date.",
                "Left out: %(n)s events without a date.",
                undated,
            ),
        ),
    ]
    for n, note in left_out:
        if n:
            drafts[-1].notes.append(note % {"n": number_text(n)})

    periods = []
    for draft, following in zip(drafts, [*drafts[1:], None], strict=True):
        periods.append(
            Period(
                kind=draft.kind,
                start=draft.start,
                end=following.start - _ONE_DAY if following else None,
                number=draft.number,
                initiator=draft.initiator,
                opened_by=draft.opened_by,
                followed_by=following.kind if following else "",
                events=tuple(draft.events),
                contacts=tuple(draft.contacts),
                notes=tuple(draft.notes),
            )
        )
    return periods


def period_for(periods: Sequence[Period], day: datetime.date) -> Period:
    """The period that contains `day` (with derived periods, there is always exactly one)."""
    for period in periods:
        if period.contains(day):
            return period
    raise ValueError(f"No period contains {day}.")


def current_period(periods: Sequence[Period]) -> Period:
    """The period the user is in now: the last, open one."""
    if not periods:
        raise ValueError("There are no periods.")
    return periods[-1]


def _step(current: _Draft, event: EventLike, day: datetime.date) -> tuple[str, str]:
    """What an opening event does in the current period: the kind it opens ("" for none), and
    a note when the input was odd."""
    kind, state = _kind(event), current.kind
    if kind == "separation":
        if state != "separation":
            return "separation", ""
        on = {"day": _date(day)}
        note = (
            gettext(
                "Another separation was recorded on %(day)s while already apart; "
                "it is counted as part of this one."
            )
            % on
        )
        other = _initiator(event)
        if other != current.initiator:
            # Translators: follows "Another separation was recorded on …"; the quoted words
            # are who left: "you left", "they left", "mutual" or "not said".
            note += " " + gettext(
                "It records “%(other)s” where the first said “%(first)s”; the first is kept."
            ) % {
                "other": _who_left(other),
                "first": _who_left(current.initiator),
            }
        return "", note
    if kind == "reunion":
        if state == "separation":
            return "reunited", ""
        on = {"day": _date(day)}
        note = gettext("A reunion was recorded on %(day)s without a separation before it.") % on
        if state == "before":
            return "reunited", note
        return "", note + " " + gettext("This period continues.")
    # A meeting.
    if state == "before":
        return "together", ""
    on = {"day": _date(day)}
    if state == "separation":
        note = (
            gettext(
                "A meeting was recorded on %(day)s during a separation; it counts as a reunion."
            )
            % on
        )
        return "reunited", note
    return "", gettext(
        "Another meeting was recorded on %(day)s; it does not start a new period."
    ) % on


def _day(event: EventLike) -> datetime.date | None:
    day = getattr(event, "occurred_on", None)
    if isinstance(day, datetime.datetime):  # a datetime does not compare with a date
        return day.date()
    return day if isinstance(day, datetime.date) else None


def _kind(event: EventLike) -> str:
    return str(getattr(event, "kind", "") or "").strip().lower()


def _initiator(event: EventLike) -> str:
    return str(getattr(event, "initiator", "") or "").strip().lower()


def _who_left(initiator: str) -> str:
    # Translators: who left in a separation, when the timeline does not say.
    return str(_WHO_LEFT.get(initiator) or gettext("not said"))


def _an(event: EventLike) -> str:
    """An opening event, named with its article in the active language: "a separation"."""
    kind = _kind(event)
    if kind == "meeting":
        # Translators: an event of a timeline, with its article, inside a note's sentence.
        return pgettext("timeline event", "a meeting")
    if kind == "separation":
        return pgettext("timeline event", "a separation")
    return pgettext("timeline event", "a reunion")


def _date(day: datetime.date) -> str:
    """A day in a note: 2025-02-01 in English."""
    # Translators: the format of a day inside a timeline's notes, in Django's date format
    # letters (Y-m-d: 2025-02-01); keep it, or write a short date of your language.
    return date_format(day, pgettext("date in a timeline note", "Y-m-d"))
