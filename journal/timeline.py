"""A user's timeline for one day: their events, the periods derived from them, and the
figures the pages show. A request builds it once (`journal.shortcuts.timeline_for`), so every
part of a page agrees on the same periods and no page derives them twice.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from statistics import fmean

from django.db.models import Q

from .figures import cached
from .models import Entry, EventKind, TimelineEvent
from .periods import Period, derive_periods, period_for
from .pictures.timeline import TimelinePicture, build_picture
from .prompts import Situation, situation_for
from .sealing import keyed_digest


@dataclass(frozen=True)
class PeriodRow:
    """A period with what the user wrote and felt in it."""

    period: Period
    days: int | None
    entries: int
    average_mood: float | None
    urges: int
    days_without_contact: int | None

    @property
    def contacts(self) -> int:
        return len(self.period.contacts)

    @property
    def drawn_key(self) -> str:
        """A digest of everything the period's card shows, keyed by the journal: the key
        the card is kept drawn under (templates/journal/timeline.html), so a change to the
        journal draws again only the cards it changed (a new entry: the open period's)."""
        period = self.period
        shown = (period.kind, period.perspective, period.slug, period.title, period.start)
        counts = (self.days, self.entries, self.average_mood, self.contacts, self.urges)
        return keyed_digest(
            repr((*shown, period.end, period.is_open, *counts, self.days_without_contact))
        )


@dataclass(frozen=True)
class Summary:
    separations: int
    average_separation_days: float | None
    longest_separation_days: int | None
    days_together: int
    current_separation_days: int | None
    days_since_contact: int | None

    @property
    def average_separation_whole_days(self) -> int | None:
        """The average separation, rounded to whole days, as people read it."""
        if self.average_separation_days is None:
            return None
        return round(self.average_separation_days)


class Timeline:
    def __init__(self, user, today: dt.date) -> None:
        self.user = user
        self.today = today
        # Every page asks for the periods (today's period, an entry's period, the period
        # filter): they are cached until the journal changes (journal.figures).
        self.events, self.periods = cached(user, ("timeline", today), self._derive, words=True)

    def _derive(self) -> tuple[list[TimelineEvent], list[Period]]:
        events = list(TimelineEvent.objects.for_user(self.user).in_order())
        return events, derive_periods(events, self.today)

    @property
    def has_events(self) -> bool:
        return bool(self.events)

    @property
    def current(self) -> Period:
        return self.periods[-1]

    def period_for(self, day: dt.date) -> Period:
        return period_for(self.periods, day)

    def by_slug(self, slug: str) -> Period | None:
        return next((p for p in self.periods if p.slug == slug), None)

    def day_number(self, period: Period, day: dt.date) -> int | None:
        """1 on the period's first day; None for the unbounded "before" period."""
        return None if period.start is None else (day - period.start).days + 1

    @property
    def separations(self) -> list[Period]:
        return [p for p in self.periods if p.kind == "separation"]

    @property
    def situation(self) -> Situation:
        """Where the user is today, for the choice of a prompt: whose side, which phase and
        day of it, the stage of recent entries (journal.prompts)."""
        return cached(
            self.user,
            ("situation", self.today),
            lambda: situation_for(
                self.user, self, self.today, profile_perspective=self.user.perspective
            ),
        )

    @property
    def perspective(self) -> str:
        """runner or chaser in a separation, "both" when mutual; "" outside one."""
        return self.current.perspective

    def date_range(self, period: Period) -> Q:
        """The entries dated inside `period`, as a filter."""
        q = Q()
        if period.start is not None:
            q &= Q(written_on__gte=period.start)
        if period.end is not None:
            q &= Q(written_on__lte=period.end)
        return q

    def perspective_filter(self, perspective: str) -> Q:
        """Entries written as the runner (or chaser): inside a separation where the user was,
        or answering a prompt written for that side."""
        q = Q(prompt__perspective=perspective)
        for period in self.separations:
            if period.perspective in {perspective, "both"}:
                q |= self.date_range(period)
        return q

    @cached_property
    def entry_days(self) -> list[tuple[dt.date, int | None]]:
        """(date, mood) of every entry: one light query serves the picture and the figures."""
        return list(
            Entry.objects.for_user(self.user)
            .order_by("written_on")
            .values_list("written_on", "mood")
        )

    def rows(self) -> list[PeriodRow]:
        """Each period with its figures (cached until the journal changes)."""
        return cached(self.user, ("timeline-rows", self.today), self._rows, words=True)

    def picture(self) -> TimelinePicture | None:
        """The picture's geometry. The page keeps the picture drawn until the journal
        changes (templates/journal/timeline.html), so it is built only to be drawn."""
        return build_picture(self.periods, today=self.today, entries=self.entry_days)

    def _rows(self) -> list[PeriodRow]:
        moods: list[list[int]] = [[] for _ in self.periods]
        counts = [0] * len(self.periods)
        index = 0
        for day, mood in self.entry_days:  # both sorted by date: one pass
            while self.periods[index].end is not None and day > self.periods[index].end:
                index += 1
            counts[index] += 1
            if mood:
                moods[index].append(mood)
        return [
            PeriodRow(
                period=p,
                days=p.days(self.today),
                entries=counts[i],
                average_mood=round(fmean(moods[i]), 1) if moods[i] else None,
                urges=sum(1 for e in p.events if e.kind == EventKind.URGE),
                days_without_contact=p.days_without_contact(self.today),
            )
            for i, p in enumerate(self.periods)
        ]

    def summary(self) -> Summary:
        lengths = [p.days(self.today) or 0 for p in self.separations]
        current = self.current if self.current.kind == "separation" else None
        return Summary(
            separations=len(lengths),
            average_separation_days=round(fmean(lengths), 1) if lengths else None,
            longest_separation_days=max(lengths, default=None),
            days_together=sum(
                p.days(self.today) or 0 for p in self.periods if p.kind in {"together", "reunited"}
            ),
            current_separation_days=current.days(self.today) if current else None,
            days_since_contact=current.days_without_contact(self.today) if current else None,
        )

    def earlier_separation_days(self) -> list[tuple[Period, dt.date]]:
        """During a separation: the same day number in each earlier separation that lasted
        that long ("on this day of your last separation")."""
        current = self.current
        if current.kind != "separation" or current.start is None:
            return []
        number = (self.today - current.start).days
        result = []
        for period in reversed(self.separations[:-1]):
            day = period.start + dt.timedelta(days=number)
            if period.contains(day):
                result.append((period, day))
        return result
