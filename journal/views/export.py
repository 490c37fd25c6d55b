"""Taking the journal out (Markdown, zip, a print-ready page) and bringing it back."""

from collections.abc import Iterable, Iterator
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from config.uploads import upload_stopped

from ..archive.document import print_groups, stream_markdown
from ..archive.importing import journal_import
from ..archive.preview import import_preview
from ..archive.reading import (
    MAX_ARCHIVE_BYTES,
    MAX_ENTRY_FILE_BYTES,
    MAX_ENTRY_FILES,
    MAX_PROBLEMS_SHOWN,
    MAX_TIMELINE_EVENTS,
    ImportRejected,
)
from ..archive.selection import selected_events
from ..archive.writing import entry_file, entry_filename, stream_zip
from ..forms import MAX_UPLOAD_BYTES, ExportForm, ImportForm
from ..models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Entry
from ..sealing import active_keyring, keys_active
from ..shortcuts import entry_or_404, timeline_for

FORMATS = {"md": "journal:export-md", "zip": "journal:export-zip", "print": "journal:export-print"}


def _selection_or_redirect(request: HttpRequest) -> tuple[ExportForm, HttpResponse | None]:
    """Read the selection; a bad one goes back to the choices page, with its errors shown."""
    form = ExportForm(request.GET, timeline=timeline_for(request))
    if form.is_valid():
        return form, None
    return form, redirect(f"{reverse('journal:export')}?{request.GET.urlencode()}")


def _as_now[T](chunks: Iterable[T]) -> Iterator[T]:
    """`chunks`, each read with the journal key and the language active now: a streamed
    response is read after its view (and the middleware that opened the key and chose the
    language) has returned, and its documents hold the user's words in the user's
    language. Both are taken here, when the view calls this, not once the response is read."""
    return _read_with(active_keyring(), translation.get_language(), iter(chunks))


def _read_with[T](keys, language: str, iterator: Iterator[T]) -> Iterator[T]:
    while True:
        with keys_active(keys), translation.override(language):
            try:
                item = next(iterator)
            except StopIteration:
                return
        yield item


def _download(chunks, filename: str, content_type: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_as_now(chunks), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    timeline = timeline_for(request)
    form = ExportForm(request.GET or None, timeline=timeline)
    if form.is_bound and form.is_valid() and form.cleaned_data.get("format"):
        return redirect(reverse(FORMATS[form.cleaned_data["format"]]) + form.query())
    context = {"form": form, "entries": Entry.objects.for_user(request.user).count()}
    return render(request, "journal/export.html", context)


def _export(request: HttpRequest, stream, extension: str, content_type: str) -> HttpResponse:
    """The selection in the query string, streamed as one download."""
    form, bad = _selection_or_redirect(request)
    if bad:
        return bad
    timeline = form.timeline
    chunks = stream(request.user, form.selection, timeline=timeline)
    return _download(chunks, form.selection.filename(timeline.today, extension), content_type)


@login_required
@require_GET
def export_markdown(request: HttpRequest) -> HttpResponse:
    return _export(request, stream_markdown, "md", "text/markdown; charset=utf-8")


@login_required
@require_GET
def export_zip(request: HttpRequest) -> HttpResponse:
    return _export(request, stream_zip, "zip", "application/zip")


@login_required
@require_GET
def export_print(request: HttpRequest) -> HttpResponse:
    form, bad = _selection_or_redirect(request)
    if bad:
        return bad
    selection = form.selection
    timeline = form.timeline
    groups = print_groups(request.user, selection, timeline=timeline)
    events = selected_events(timeline, selection)
    context = {
        "groups": groups,
        "events": events,
        "selection": selection,
        "has_timeline": timeline.has_events,
        "count": sum(len(group.entries) for group in groups),
        "today": timeline.today,
        "query": form.query(),
    }
    return render(request, "journal/print.html", context)


@login_required
@require_GET
def entry_markdown(request: HttpRequest, pk: UUID) -> HttpResponse:
    entry = entry_or_404(request.user, pk, Entry.objects.prefetch_related("tags"))
    timeline = timeline_for(request)
    period = timeline.period_for(entry.written_on) if timeline.has_events else None
    response = HttpResponse(
        entry_file(
            entry,
            tags=[tag.name for tag in entry.tags.all()],
            period=period,
            zone=request.user.zone,
        ),
        content_type="text/markdown; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(True, entry_filename(entry))
    response["Cache-Control"] = "private, no-store"
    return response


# What one import takes, as the import page states it.
IMPORT_LIMITS = {
    "upload_mb": MAX_UPLOAD_BYTES // 2**20,
    "entries": MAX_ENTRY_FILES,
    "text_mb": MAX_ARCHIVE_BYTES // 2**20,
    "entry_file_kb": MAX_ENTRY_FILE_BYTES // 1024,
    "title": TITLE_MAX_LENGTH,
    "body": BODY_MAX_LENGTH,
    "events": MAX_TIMELINE_EVENTS,
}


@sensitive_post_parameters()  # diary text never reaches error reports
@login_required
@require_http_methods(["GET", "POST"])
def import_archive(request: HttpRequest) -> HttpResponse:
    """A preview first (`action=preview`, the default): what the file holds and what the
    import would do, nothing written. Then the import itself (`action=import`), with the
    same file: the page's script keeps it chosen between the two."""
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, upload_stopped=upload_stopped(request))
    else:
        form = ImportForm()
    importing = request.POST.get("action") == "import"
    preview = None
    if form.is_bound and form.is_valid():
        archive = form.cleaned_data["archive"]
        try:
            if importing:
                result = journal_import(user=request.user, archive_file=archive)
            else:
                preview = import_preview(user=request.user, archive_file=archive)
        except ImportRejected as rejected:
            problems = rejected.problems
            shown = problems[:MAX_PROBLEMS_SHOWN]
            if len(problems) > len(shown):
                more = len(problems) - len(shown)
                shown.append(
                    ngettext("… and %(count)s more.", "… and %(count)s more.", more)
                    % {"count": more}
                )
            form.add_error(
                "archive",
                [_("Nothing was imported: fix these and try again."), *shown],
            )
        else:
            if importing:
                messages.success(request, result.summary())
                return redirect("journal:import")
    context = {"form": form, "limits": IMPORT_LIMITS, "preview": preview}
    return render(request, "journal/import.html", context)
