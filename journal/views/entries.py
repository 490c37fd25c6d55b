"""Writing, reading, listing, editing and deleting entries."""

from collections.abc import Iterable, Sequence
from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from ..editing import EditConflict, entry_update
from ..figures import cached
from ..forms import EntryFilterForm, EntryForm, draft_initial, parse_id
from ..models import CARD_FIELDS, Draft, Entry, Prompt, Tag
from ..sealing import keyring_for
from ..search import add_snippets, ranked_ids
from ..shortcuts import entry_or_404, timeline_for


class RankedIds(Sequence):
    """The ids of a search's matches (as hex, journal.search), best first, packed in 16
    bytes each (a ten-year journal's 3,650 ids take 57 KB); a page's slice comes back as
    UUIDs."""

    def __init__(self, ids: Iterable[str]) -> None:
        self._packed = bytes.fromhex("".join(ids))

    def __len__(self) -> int:
        return len(self._packed) // 16

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return UUID(bytes=self._packed[16 * index : 16 * index + 16])


@login_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    all_entries = Entry.objects.for_user(request.user)
    filters = EntryFilterForm(request.GET, timeline=timeline_for(request), user=request.user)
    entries = filters.filter(all_entries)
    if filters.search:
        # A search reads and ranks every entry the other filters leave (journal.search):
        # the ranking is cached for each set of filters until the journal changes
        # (journal.figures), as ids only and under a digest keyed by the journal's own key,
        # so the cache holds neither the words searched for nor a way to guess them.
        filtered_by = keyring_for(request.user.pk).index(repr(sorted(filters.valid_data().items())))
        ranked = cached(
            request.user,
            ("ranked-ids", filtered_by),
            lambda: RankedIds(ranked_ids(entries, filters.search)),
        )
        paginator = Paginator(ranked, settings.ENTRIES_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        # With their bodies, which the snippets are cut from.
        shown = (
            Entry.objects.for_user_with_ids(request.user, page.object_list)
            .only(*CARD_FIELDS, "body")
            .in_bulk()
        )
        page.object_list = [shown[pk] for pk in page.object_list if pk in shown]
        add_snippets(page.object_list, filters.search)
    else:
        paginator = Paginator(entries.newest_first().for_list(), settings.ENTRIES_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        # Without a search, the cards are drawn in a fragment cached until the journal
        # changes (templates/journal/entry_list.html): the page's entries are read only
        # to be drawn.
    query = request.GET.copy()
    query.pop("page", None)
    # Cached fragments are keyed by the filters (a tag's name among them): under digests
    # keyed by the journal's own key, never the words.
    digest = keyring_for(request.user.pk).index
    filters_key = digest(
        repr(sorted((k, v) for k, v in request.GET.lists() if k not in {"q", "page"}))
    )
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
        # Counting every tag's entries grows with the journal: cached until it changes.
        "tags": cached(request.user, "tag-cloud", lambda: tag_cloud(request.user), words=True),
        # The cards of a page without a search are drawn once per journal, day and set of
        # filters; the filter fields (all but the search box) once for what they show: the
        # filters as typed and the periods to choose from (templates/journal/entry_list.html).
        "today": timeline_for(request).today,  # the periods end today
        "filters_key": filters_key,
        "fields_key": digest(
            repr((filters_key, getattr(filters.fields.get("period"), "choices", None)))
        ),
    }
    return render(request, "journal/entry_list.html", context)


def tag_cloud(user) -> list[tuple[str, int]]:
    """(name, entries) of each tag in use, by name in any case."""
    tags = (
        Tag.objects.for_user(user)
        .annotate(uses=Count("entries"))
        .filter(uses__gt=0)
        .only("name")
        .named_in_order()
    )
    return [(tag.name, tag.uses) for tag in tags]


def _tag_names(user) -> list[str]:
    return [tag.name for tag in Tag.objects.for_user(user).only("name").named_in_order()]


def _saved_url(entry: Entry, draft_key: str) -> str:
    """The entry's page, telling its script which browser-kept draft is now safe."""
    url = entry.get_absolute_url()
    return f"{url}?{urlencode({'saved': draft_key})}" if draft_key else url


def _asks_for_json(request: HttpRequest) -> bool:
    """The editor's script sends the new-entry form itself (static/js/editor.js), so that
    the words stay on the device until the server has them, and reads the answer as JSON."""
    return request.headers.get("Accept", "").startswith("application/json")


def _form_page(request: HttpRequest, form: EntryForm, **context) -> HttpResponse:
    context = {"form": form, "tag_names": _tag_names(request.user), **context}
    return render(request, "journal/entry_form.html", context)


@sensitive_post_parameters()  # diary text never reaches error reports
@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest) -> HttpResponse:
    drafts = Draft.objects.for_user(request.user).linkable().filter(entry__isnull=True)
    initial = {}
    if request.method == "GET" and request.GET.get("draft"):
        draft = drafts.filter(key=request.GET["draft"]).first()
        if draft:
            initial = draft_initial(draft)
    elif request.method == "GET" and (prompt_id := parse_id(request.GET.get("prompt"))):
        prompt = Prompt.objects.for_user(request.user).filter(pk=prompt_id).first()
        if prompt:
            initial = {"prompt": prompt.pk, "stage": prompt.stage}
            if prompt.kind:  # a prompt for an unsent letter, a dream or a sign
                initial["kind"] = prompt.kind
    form = EntryForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        entry = _create_once(form, drafts)
        # On the page the editor opens next.
        messages.success(request, _("Your entry is saved."))
        url = _saved_url(entry, form.cleaned_data["draft_key"])
        return (
            JsonResponse({"saved": True, "url": url}) if _asks_for_json(request) else redirect(url)
        )
    if request.method == "POST" and _asks_for_json(request):
        # Refused, as a form is (200, not 400): the editor then sends the form the plain
        # way, and the page shows what to change beside each field.
        return JsonResponse({"saved": False})
    open_drafts = drafts.exclude(key=form["draft_key"].value() or "")[:3]
    return _form_page(request, form, drafts=open_drafts)


def _create_once(form: EntryForm, drafts) -> Entry:
    """The form's new entry, saved once per draft: when the draft already made one of the
    user's entries with these words (a retried POST whose answer was lost, a second tab,
    words written offline sent again), that entry, and nothing is saved. Two requests at
    once are settled by the database's unique key, and the one that lost finds the winner."""
    key = form.new_entry_key
    mine = Entry.objects.for_user(form.user)
    earlier = mine.made_from_draft(key)
    if earlier is None:
        try:
            return _save_new(form, drafts)
        except IntegrityError:
            earlier = mine.made_from_draft(key)
            if earlier is None:  # the key is held by a row no page shows (an earlier journal)
                return _save_new(form, drafts, keep_draft_key=False)
    if form.has_the_words_of(earlier):
        drafts.filter(key=key).delete()  # an autosave may have come after the first save
        return earlier
    # Other words under a key that already made an entry (the form reached again with the
    # Back button after saving, and changed): they are an entry of their own, never dropped.
    return _save_new(form, drafts, keep_draft_key=False)


def _save_new(form: EntryForm, drafts, *, keep_draft_key: bool = True) -> Entry:
    with transaction.atomic():
        entry = form.save(keep_draft_key=keep_draft_key)
        drafts.filter(key=form.cleaned_data["draft_key"]).delete()
    return entry


@login_required
@require_GET
def entry_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    entry = entry_or_404(request.user, pk, Entry.objects.select_related("prompt"))
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


@sensitive_post_parameters()  # diary text never reaches error reports
@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: UUID) -> HttpResponse:
    entry = entry_or_404(request.user, pk)
    draft = Draft.objects.for_user(request.user).linkable().filter(entry=entry).first()
    initial = {}
    if request.method == "GET" and draft and request.GET.get("draft"):
        initial = {**draft_initial(draft), "version": draft.base_version or entry.version}
    form = EntryForm(request.POST or None, instance=entry, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():

        def write(edited: Entry) -> Entry:
            saved = form.save()
            Draft.objects.for_user(request.user).filter(entry=saved).delete()
            return saved

        try:
            entry = entry_update(
                entry=form.instance,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                started_from=form.cleaned_data["version"],
                write=write,
            )
        except EditConflict as conflict:
            # Someone (another tab, another device) saved in between: show both texts and
            # let the user choose; the next save starts from the current version.
            form.data = form.data.copy()
            form.data["version"] = conflict.current.version
            return _form_page(request, form, entry=conflict.current, conflict=conflict.current)
        messages.success(request, _("Your changes are saved."))
        return redirect(_saved_url(entry, form.cleaned_data["draft_key"]))
    offer_draft = (
        draft is not None
        and not initial
        and draft.updated_at > entry.updated_at
        and (draft.title, draft.body) != (entry.title, entry.body)
    )
    return _form_page(request, form, entry=entry, draft=draft if offer_draft else None)


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: HttpRequest, pk: UUID) -> HttpResponse:
    entry = entry_or_404(request.user, pk)
    if request.method == "POST":
        entry.delete()
        messages.success(request, _("The entry is deleted."))
        return redirect("journal:entry-list")
    return render(request, "journal/entry_confirm_delete.html", {"entry": entry})
