"""Markup drawn in Python: the entry cards, the prompt list, the timeline's lists and the
three pictures (journal.cards, journal.views.timeline, journal.timeline_picture,
journal.calendar).

They are built like `format_html` builds markup, only faster for thousands of elements:
every value that comes from data goes through `escape`/`conditional_escape` as it is put in
place, so user text arrives as text; the only markup passed through is already safe (the
sanitizer's stored output, a search snippet highlighted from escaped text). `drawn` then
marks the assembled string safe, once, here: no other module but journal.markdown (the
sanitizer) marks anything safe.
"""

from collections.abc import Iterable

from django.utils.safestring import SafeString, mark_safe


def drawn(parts: Iterable[str]) -> SafeString:
    """The markup of `parts`, each built only from escaped values and literal markup."""
    return mark_safe("".join(parts))
