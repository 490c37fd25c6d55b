"""The prompt library and the user's own prompts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from ..forms import PromptFilterForm, PromptForm
from ..models import Entry, Prompt
from ..prompts import library_version
from ..sealing import keyring_for
from ..shortcuts import own_prompt_or_404

# What a prompt item shows (templates/journal/includes/prompt_item.html).
PROMPT_ITEM_FIELDS = (
    *("id", "user_id", "perspective", "phase", "days", "stage", "theme", "kind", "group"),
    *("text", "key"),
)


@login_required
@require_GET
def prompt_list(request: HttpRequest) -> HttpResponse:
    visible = Prompt.objects.for_user(request.user)
    # The library's themes are Mirror's words, read as they are; the user's own are sealed,
    # so their prompts are read once and filtered here.
    mine = list(visible.own(request.user).only(*PROMPT_ITEM_FIELDS))
    library_themes = visible.builtin_values("theme", flat=True)
    themes = sorted({*library_themes, *(prompt.theme for prompt in mine)} - {""})
    filters = PromptFilterForm(request.GET, themes=themes)
    prompts = filters.filter(visible).only(*PROMPT_ITEM_FIELDS)
    own = [prompt for prompt in mine if filters.keeps(prompt)]
    context = {
        "filters": filters,
        "own": sorted(own, key=lambda p: (p.perspective, p.stage, p.theme, p.id)),
        # The library is the same for everyone who filters it alike, and changes only with
        # journal/data/prompts.yaml: it is drawn once per process for each set of filters
        # (templates/journal/prompt_list.html), and read only to be drawn.
        "builtin": SimpleLazyObject(
            lambda: [
                prompt
                for prompt in prompts.filter(user=None).order_by(
                    "perspective", "stage", "theme", "id"
                )
                if filters.keeps(prompt)
            ]
        ),
        "library": (library_version(), filters.valid_data()),
        "filtered": any(request.GET.get(name) for name in filters.fields),
        # The filter fields are drawn once for what they show (the filters as typed and the
        # themes to choose from, the user's own among them: a digest keyed by the journal's
        # key), and the empty form for a new prompt once per language.
        "filters_key": keyring_for(request.user.pk).index(
            repr((sorted(request.GET.lists()), themes))
        ),
        "form": SimpleLazyObject(lambda: PromptForm(user=request.user)),
    }
    return render(request, "journal/prompt_list.html", context)


@sensitive_post_parameters()  # diary text never reaches error reports
@login_required
@require_http_methods(["GET", "POST"])
def prompt_create(request: HttpRequest) -> HttpResponse:
    form = PromptForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your prompt is added."))
        return redirect(f"{reverse('journal:prompt-list')}#own")
    return render(request, "journal/prompt_form.html", {"form": form})


@sensitive_post_parameters()  # diary text never reaches error reports
@login_required
@require_http_methods(["GET", "POST"])
def prompt_edit(request: HttpRequest, pk: int) -> HttpResponse:
    prompt = own_prompt_or_404(request.user, pk)
    form = PromptForm(request.POST or None, instance=prompt, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your prompt is saved."))
        return redirect(f"{reverse('journal:prompt-list')}#own")
    return render(request, "journal/prompt_form.html", {"form": form, "prompt": prompt})


@login_required
@require_http_methods(["GET", "POST"])
def prompt_delete(request: HttpRequest, pk: int) -> HttpResponse:
    prompt = own_prompt_or_404(request.user, pk)
    if request.method == "POST":
        prompt.delete()
        messages.success(
            request, _("Your prompt is deleted. Entries that answered it keep its words.")
        )
        return redirect(f"{reverse('journal:prompt-list')}#own")
    answered = Entry.objects.for_user(request.user).filter(prompt=prompt).count()
    return render(
        request, "journal/prompt_confirm_delete.html", {"prompt": prompt, "answered": answered}
    )
