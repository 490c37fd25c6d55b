"""The words Mirror makes outside templates (messages, titles, the export's documents): one
vocabulary for a day, a moment and a count, so every page and file says them alike.

Templates say the same with Django's filters (`date:"j F Y"`, `date:"l, j F Y"`,
`pluralize`, `intcomma`); Python that makes a sentence uses these. Dates go through Django's
`date_format`, so month and weekday names follow the active language.
"""

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format


def day_text(day: dt.date) -> str:
    """14 March 2025"""
    return date_format(day, "j F Y")


def long_day_text(day: dt.date) -> str:
    """Friday, 14 March 2025"""
    return date_format(day, "l, j F Y")


def moment_text(moment: dt.datetime) -> str:
    """14 March 2025, 21:30, in the current time zone"""
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def count_text(n: int, one: str, many: str) -> str:
    """`1 entry`, `2 entries`, `1,024 entries`: `one` and `many` are the noun's forms."""
    return f"{n:,} {one if n == 1 else many}"
