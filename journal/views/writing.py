"""What makes writing safe and comfortable: autosaved drafts, the preview (through the same
Markdown function as saving), and an entry's earlier versions."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from ..editing import entry_update
from ..forms import DRAFT_FIELDS, DraftForm, render_checked
from ..markdown import MarkdownRefused
from ..models import TITLE_MAX_LENGTH, Draft
from ..shortcuts import entry_or_404
from ..text import moment_text

MAX_DRAFT_LENGTH = 1_000_000  # a very long entry, far beyond any evening's writing


def _signed_out() -> JsonResponse:
    # A JSON answer, not a redirect to the login page: the editor keeps the text in the
    # browser and tells the user to sign in again.
    return JsonResponse({"error": "signed-out"}, status=401)


@sensitive_post_parameters()  # diary text never reaches error reports
@require_POST
def autosave(request: HttpRequest) -> JsonResponse:
    """Store the text being written as the user's draft for this page. Idempotent."""
    if not request.user.is_authenticated:
        return _signed_out()
    body = request.POST.get("body", "")
    form = DraftForm(request.POST)
    if len(body) > MAX_DRAFT_LENGTH or not form.is_valid():
        return JsonResponse({"error": "invalid"}, status=400)
    checked = form.cleaned_data
    entry, key = None, checked["draft_key"]
    if checked["entry"]:
        entry = entry_or_404(request.user, checked["entry"])
        key = str(entry.pk)
    fields = {
        name: request.POST.getlist(name) if name == "feelings" else request.POST.get(name, "")
        for name in DRAFT_FIELDS
        if name in request.POST
    }
    if "written_on" in fields:
        fields["written_on"] = checked["written_on"]
    draft, _ = Draft.objects.update_or_create(
        user=request.user,
        key=key,
        defaults={
            "entry": entry,
            "title": request.POST.get("title", "")[: TITLE_MAX_LENGTH * 2],
            "body": body,
            "fields": fields,
            "base_version": checked["version"],
        },
    )
    return JsonResponse({"saved_at": draft.updated_at.isoformat(), "key": draft.key})


@login_required
@require_POST
def draft_discard(request: HttpRequest, key: str) -> HttpResponse:
    Draft.objects.for_user(request.user).filter(key=key).delete()
    messages.success(request, gettext("The draft is discarded."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("journal:entry-create")
    return redirect(target)


@sensitive_post_parameters()  # diary text never reaches error reports
@require_POST
def preview(request: HttpRequest) -> JsonResponse:
    """The body rendered exactly as saving would render it."""
    if not request.user.is_authenticated:
        return _signed_out()
    try:
        html = render_checked(request.POST.get("body", ""))
    except ValidationError as problem:
        # Too long, or refused by journal.markdown: the page shows the message instead.
        return JsonResponse({"error": "refused", "message": problem.messages[0]}, status=400)
    return JsonResponse({"html": html})


@login_required
@require_GET
def entry_history(request: HttpRequest, pk: UUID) -> HttpResponse:
    entry = entry_or_404(request.user, pk)
    return render(
        request,
        "journal/entry_history.html",
        {"entry": entry, "revisions": entry.revisions.all()},
    )


@login_required
@require_POST
def revision_restore(request: HttpRequest, pk: UUID, version: int) -> HttpResponse:
    """Bring back an earlier version; the words it replaces become a version themselves."""
    entry = entry_or_404(request.user, pk)
    revision = get_object_or_404(entry.revisions, version=version)
    try:  # the restored text is rendered, and may be refused
        entry = entry_update(entry=entry, title=revision.title, body=revision.body)
    except MarkdownRefused as refused:
        # Nothing changed; the old text stays in the history, to copy from.
        messages.error(
            request,
            gettext("That version cannot be restored as it is. %(reason)s") % {"reason": refused},
        )
        return redirect("journal:entry-history", pk=pk)
    messages.success(
        request,
        gettext(
            "The version of %(moment)s is restored. The text it replaced is kept in the history."
        )
        % {"moment": moment_text(revision.saved_at)},
    )
    return redirect(entry)
