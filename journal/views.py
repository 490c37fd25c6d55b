from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .forms import EntryFilterForm, EntryForm
from .models import Entry, Tag


def entry_for_user_or_404(user, pk: UUID) -> Entry:
    """The user's own entry, or 404 — the same answer for another user's entry as
    for one that does not exist, so ids reveal nothing."""
    return get_object_or_404(Entry.objects.for_user(user), pk=pk)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "journal/landing.html")
    entries = Entry.objects.for_user(request.user)
    context = {
        "recent": entries.newest_first().for_list()[:5],
        "entry_count": entries.count(),
        "today": request.user.today(),
    }
    return render(request, "journal/home.html", context)


@login_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    all_entries = Entry.objects.for_user(request.user)
    filters = EntryFilterForm(request.GET)
    entries = filters.filter(all_entries).newest_first().for_list()
    page = Paginator(entries, settings.ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "journal_is_empty": not filters.active and page.paginator.count == 0,
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
    form = EntryForm(request.POST or None, user=request.user)
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
    entry = entry_for_user_or_404(request.user, pk)
    return render(request, "journal/entry_detail.html", {"entry": entry})


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
