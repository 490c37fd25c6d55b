"""The span of dates Mirror takes in: from 1 January of EARLIEST_DATE_YEAR to a year after
today. A date outside it is a keyboard slip (0025 for 2025, 9999 for "some day"), and one
such date stretches the timeline picture over centuries and the calendar over empty years.
Every path in (the editor, autosave, the timeline, filters, import) asks this module, so the
span is decided in one place."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import EARLIEST_DATE_YEAR
from .text import day_text

EARLIEST_DATE = dt.date(EARLIEST_DATE_YEAR, 1, 1)


def latest_date(today: dt.date | None = None) -> dt.date:
    """A year after `today` (the active time zone's date when not given); 28 February
    after a 29th."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def in_range(day: dt.date, today: dt.date | None = None) -> bool:
    return EARLIEST_DATE <= day <= latest_date(today)


def span_text(today: dt.date | None = None) -> str:
    """'1 January 1900 to 14 March 2027', for messages."""
    # Translators: a span of dates: "1 January 1900 to 14 March 2027".
    return _("%(first)s to %(last)s") % {
        "first": day_text(EARLIEST_DATE),
        "last": day_text(latest_date(today)),
    }


def out_of_range_message(today: dt.date | None = None) -> str:
    return _("Check the year: Mirror keeps dates from %(first)s to %(last)s.") % {
        "first": day_text(EARLIEST_DATE),
        "last": day_text(latest_date(today)),
    }
