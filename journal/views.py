from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .forms import EntryFilterForm, EntryForm, PromptFilterForm, PromptForm
from .models import Entry, Prompt, Tag
from .prompts import todays_prompt


def entry_for_user_or_404(user, pk: UUID) -> Entry:
    """The user's own entry, or 404 — the same answer for another user's entry as
    for one that does not exist, so ids reveal nothing."""
    return get_object_or_404(Entry.objects.for_user(user), pk=pk)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain")


def current_perspective(user) -> str:
    """runner, chaser or unsure: whose questions the user is asked today."""
    return user.perspective


def _another(request: HttpRequest) -> int:
    try:
        return max(0, min(int(request.GET.get("another", 0)), 10_000))
    except ValueError:
        return 0


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "journal/landing.html")
    user = request.user
    today = user.today()
    entries = Entry.objects.for_user(user)
    perspective = current_perspective(user)
    another = _another(request)
    prompt = todays_prompt(user, today, perspective=perspective, another=another)
    context = {
        "today": today,
        "prompt": prompt,
        "perspective": perspective,
        "another": another + 1,
        "answered_today": prompt is not None
        and entries.filter(prompt=prompt, written_on=today).exists(),
        "streak": entries.streak(today),
        "wrote_today": entries.filter(written_on=today).exists(),
        "recent": entries.newest_first().for_list()[:5],
        "on_this_day": entries.on_this_day(today).newest_first().for_list()[:6],
        "entry_count": entries.count(),
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


def prompt_for_user_or_404(user, pk: int) -> Prompt:
    """One of the user's own prompts, or 404 (built-in prompts cannot be edited)."""
    return get_object_or_404(Prompt.objects.own(user), pk=pk)


@login_required
@require_GET
def prompt_list(request: HttpRequest) -> HttpResponse:
    visible = Prompt.objects.for_user(request.user)
    themes = sorted(set(visible.exclude(theme="").values_list("theme", flat=True)))
    filters = PromptFilterForm(request.GET, themes=themes)
    prompts = filters.filter(visible).order_by("perspective", "stage", "theme", "id")
    own = [p for p in prompts if not p.is_builtin]
    context = {
        "filters": filters,
        "builtin": [p for p in prompts if p.is_builtin],
        "own": own,
        "filtered": any(request.GET.get(name) for name in filters.fields),
        "form": PromptForm(user=request.user),
    }
    return render(request, "journal/prompt_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def prompt_create(request: HttpRequest) -> HttpResponse:
    form = PromptForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your prompt is added.")
        return redirect(f"{reverse('journal:prompt-list')}#own")
    return render(request, "journal/prompt_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def prompt_edit(request: HttpRequest, pk: int) -> HttpResponse:
    prompt = prompt_for_user_or_404(request.user, pk)
    form = PromptForm(request.POST or None, instance=prompt, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your prompt is saved.")
        return redirect(f"{reverse('journal:prompt-list')}#own")
    return render(request, "journal/prompt_form.html", {"form": form, "prompt": prompt})


@login_required
@require_http_methods(["GET", "POST"])
def prompt_delete(request: HttpRequest, pk: int) -> HttpResponse:
    prompt = prompt_for_user_or_404(request.user, pk)
    if request.method == "POST":
        prompt.delete()
        messages.success(
            request, "Your prompt is deleted. Entries that answered it keep its words."
        )
        return redirect(f"{reverse('journal:prompt-list')}#own")
    answered = Entry.objects.for_user(request.user).filter(prompt=prompt).count()
    return render(
        request, "journal/prompt_confirm_delete.html", {"prompt": prompt, "answered": answered}
    )
