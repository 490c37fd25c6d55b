"""The timeline of separations and reunions, its events, and the urge button."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..forms import TimelineEventForm
from ..models import EventKind, TimelineEvent
from ..prompts import urge_prompt
from ..shortcuts import event_or_404, timeline_for


@login_required
@require_GET
def timeline(request: HttpRequest) -> HttpResponse:
    timeline = timeline_for(request)
    rows = timeline.rows()
    context = {
        "timeline": timeline,
        "rows": rows[::-1],  # the lists show the newest first
        "events": timeline.events[::-1],
        "summary": timeline.summary(),
        "notes": [(row.period, note) for row in rows for note in row.period.notes],
        "today": timeline.today,  # the picture is drawn once a day (and journal)
        # The picture is drawn in a fragment cached until the journal changes
        # (templates/journal/timeline.html): its geometry is built only to draw it.
        "picture": SimpleLazyObject(timeline.picture),
    }
    return render(request, "journal/timeline.html", context)


def _event_form_page(request: HttpRequest, event: TimelineEvent | None) -> HttpResponse:
    form = TimelineEventForm(
        request.POST or None, instance=event, user=request.user, today=request.user.today()
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your timeline is updated."))
        return redirect("journal:timeline")
    return render(request, "journal/event_form.html", {"form": form, "event": event})


@sensitive_post_parameters()  # diary text never reaches error reports
@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    return _event_form_page(request, None)


@sensitive_post_parameters()  # diary text never reaches error reports
@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _event_form_page(request, event_or_404(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_or_404(request.user, pk)
    if request.method == "POST":
        event.delete()
        messages.success(request, _("The event is removed from your timeline."))
        return redirect("journal:timeline")
    return render(request, "journal/event_confirm_delete.html", {"event": event})


@login_required
@require_POST
def urge(request: HttpRequest) -> HttpResponse:
    """One tap: record the urge to reach out, then offer a question to write to instead."""
    today = request.user.today()
    TimelineEvent.objects.create(user=request.user, kind=EventKind.URGE, occurred_on=today)
    messages.success(
        request,
        _("The urge is noted on your timeline. It will pass; while it is here, write it down."),
    )
    prompt = urge_prompt(request.user, today, situation=timeline_for(request).situation)
    url = reverse("journal:entry-create")
    return redirect(f"{url}?prompt={prompt.pk}" if prompt else url)
