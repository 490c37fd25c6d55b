"""The words Mirror makes outside templates (messages, titles, the export's documents): one
vocabulary for a day, a moment and a count, so every page and file says them alike.

Templates say the same with Django's filters (`date:_("j F Y")`, `date:_("l, j F Y")`,
`intcomma`) and `blocktranslate count`; Python that makes a sentence uses these, and
`ngettext("%(n)s entry", "%(n)s entries", n) % {"n": number_text(n)}` for a count. Each
speaks the active language: dates go through Django's `date_format` with a format the
catalogs may change (month and weekday names are Django's own), and numbers are grouped as
the language groups them.
"""

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext


def day_text(day: dt.date) -> str:
    """14 March 2025"""
    # Translators: a day, in Django's date format letters (j: day, F: month's name, Y: year).
    return date_format(day, gettext("j F Y"))


def long_day_text(day: dt.date) -> str:
    """Friday, 14 March 2025"""
    # Translators: a day with its weekday (l), in Django's date format letters.
    return date_format(day, gettext("l, j F Y"))


def moment_text(moment: dt.datetime) -> str:
    """14 March 2025, 21:30, in the current time zone"""
    # Translators: a day and a time (H: hour 00-23, i: minutes), in Django's date format letters.
    return date_format(timezone.localtime(moment), gettext("j F Y, H:i"))


def number_text(n: int) -> str:
    """1,024 in English, 1.024 in German: a whole number grouped as the language groups it."""
    return number_format(n, force_grouping=True)
