"""Writing, reading, listing, editing and deleting entries."""

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ..forms import EntryFilterForm, EntryForm
from ..models import Entry, Prompt, Tag
from ..search import add_snippets
from ..timeline import timeline_for


def entry_for_user_or_404(user, pk: UUID) -> Entry:
    """The user's own entry, or 404 — the same answer for another user's entry as
    for one that does not exist, so ids reveal nothing."""
    return get_object_or_404(Entry.objects.for_user(user), pk=pk)


@login_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    all_entries = Entry.objects.for_user(request.user)
    filters = EntryFilterForm(request.GET, timeline=timeline_for(request))
    entries = filters.filter(all_entries)
    if not filters.ranked:
        entries = entries.newest_first()
    page = Paginator(entries.for_list(), settings.ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    if filters.cleaned_data.get("q"):
        add_snippets(page.object_list, filters.cleaned_data["q"], Entry)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "journal_is_empty": not filters.active and page.paginator.count == 0,
        "period_title": (
            filters.timeline.by_slug(filters.cleaned_data["period"]).title
            if filters.cleaned_data.get("period")
            else ""
        ),
        "tags": Tag.objects.for_user(request.user)
        .annotate(uses=Count("entries"))
        .filter(uses__gt=0)
        .order_by("name"),
    }
    return render(request, "journal/entry_list.html", context)


def _tag_names(user) -> list[str]:
    return list(Tag.objects.for_user(user).values_list("name", flat=True))


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.method == "GET" and request.GET.get("prompt", "").isdigit():
        prompt = Prompt.objects.for_user(request.user).filter(pk=request.GET["prompt"]).first()
        if prompt:
            initial = {"prompt": prompt.pk, "stage": prompt.stage}
    form = EntryForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            entry = form.save()
        messages.success(request, "Your entry is saved.")
        return redirect(entry)
    return render(
        request,
        "journal/entry_form.html",
        {"form": form, "tag_names": _tag_names(request.user)},
    )


@login_required
@require_GET
def entry_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    entry = get_object_or_404(
        Entry.objects.for_user(request.user).select_related("prompt").prefetch_related("tags"),
        pk=pk,
    )
    timeline = timeline_for(request)
    context = {"entry": entry}
    if timeline.has_events:
        period = timeline.period_for(entry.written_on)
        in_period = (
            Entry.objects.for_user(request.user)
            .filter(timeline.date_range(period))
            .exclude(pk=entry.pk)
            .only("id", "title", "kind", "written_on")
        )
        key = (entry.written_on, entry.created_at)
        earlier = in_period.filter(
            Q(written_on__lt=key[0]) | Q(written_on=key[0], created_at__lt=key[1])
        )
        later = in_period.filter(
            Q(written_on__gt=key[0]) | Q(written_on=key[0], created_at__gt=key[1])
        )
        context |= {
            "period": period,
            "period_day": timeline.day_number(period, entry.written_on),
            "previous_entry": earlier.order_by("-written_on", "-created_at").first(),
            "next_entry": later.order_by("written_on", "created_at").first(),
        }
    return render(request, "journal/entry_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: UUID) -> HttpResponse:
    entry = entry_for_user_or_404(request.user, pk)
    form = EntryForm(request.POST or None, instance=entry, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            entry = form.save()
        messages.success(request, "Your changes are saved.")
        return redirect(entry)
    return render(
        request,
        "journal/entry_form.html",
        {"form": form, "entry": entry, "tag_names": _tag_names(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: HttpRequest, pk: UUID) -> HttpResponse:
    entry = entry_for_user_or_404(request.user, pk)
    if request.method == "POST":
        entry.delete()
        messages.success(request, f"“{entry.display_title}” is deleted.")
        return redirect("journal:entry-list")
    return render(request, "journal/entry_confirm_delete.html", {"entry": entry})
