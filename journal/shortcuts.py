"""What the journal's views share, that is about a request rather than the journal: the
signed-in user's own objects by id, or 404, and the user's timeline, built once a request.

Another user's object, like one that does not exist, answers 404, so a page never tells
whether an id is taken. Every view that opens one object by its id goes through here; views
never import one another.
"""

from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from .models import Entry, Prompt, TimelineEvent
from .timeline import Timeline


def entry_or_404(user, pk: UUID, entries=None) -> Entry:
    """One of the user's entries; `entries` narrows or extends the query (a lock, a
    prefetch), and is scoped to the user here whatever it is."""
    entries = Entry.objects.all() if entries is None else entries
    return get_object_or_404(entries.for_user(user), pk=pk)


def event_or_404(user, pk: int) -> TimelineEvent:
    return get_object_or_404(TimelineEvent.objects.for_user(user), pk=pk)


def own_prompt_or_404(user, pk: int) -> Prompt:
    """One of the user's own prompts (built-in prompts cannot be edited or deleted)."""
    return get_object_or_404(Prompt.objects.own(user), pk=pk)


def timeline_for(request: HttpRequest) -> Timeline:
    """The signed-in user's timeline, built once per request, so every part of a page agrees
    on the same periods and no page derives them twice."""
    timeline = getattr(request, "_mirror_timeline", None)
    if timeline is None:
        timeline = Timeline(request.user, request.user.today())
        request._mirror_timeline = timeline
    return timeline
