from django.urls import path

from .views import entries, insights, prompts, timeline, writing
from .views import export as export_views

app_name = "journal"

urlpatterns = [
    path("entries/", entries.entry_list, name="entry-list"),
    path("entries/new/", entries.entry_create, name="entry-create"),
    path("entries/autosave/", writing.autosave, name="autosave"),
    path("entries/preview/", writing.preview, name="preview"),
    path("entries/drafts/<str:key>/discard/", writing.draft_discard, name="draft-discard"),
    path("entries/<uuid:pk>/history/", writing.entry_history, name="entry-history"),
    path(
        "entries/<uuid:pk>/history/<int:version>/restore/",
        writing.revision_restore,
        name="revision-restore",
    ),
    path("entries/<uuid:pk>/", entries.entry_detail, name="entry-detail"),
    path("entries/<uuid:pk>/edit/", entries.entry_edit, name="entry-edit"),
    path("entries/<uuid:pk>/delete/", entries.entry_delete, name="entry-delete"),
    path("timeline/", timeline.timeline, name="timeline"),
    path("timeline/new/", timeline.event_create, name="event-create"),
    path("timeline/urge/", timeline.urge, name="urge"),
    path("timeline/<int:pk>/edit/", timeline.event_edit, name="event-edit"),
    path("timeline/<int:pk>/delete/", timeline.event_delete, name="event-delete"),
    path("calendar/", insights.calendar, name="calendar"),
    path("prompts/", prompts.prompt_list, name="prompt-list"),
    path("prompts/new/", prompts.prompt_create, name="prompt-create"),
    path("prompts/<int:pk>/edit/", prompts.prompt_edit, name="prompt-edit"),
    path("prompts/<int:pk>/delete/", prompts.prompt_delete, name="prompt-delete"),
    path("entries/<uuid:pk>/entry.md", export_views.entry_markdown, name="entry-markdown"),
    path("export/", export_views.export, name="export"),
    path("export/journal.md", export_views.export_markdown, name="export-md"),
    path("export/journal.zip", export_views.export_zip, name="export-zip"),
    path("export/print/", export_views.export_print, name="export-print"),
    path("import/", export_views.import_archive, name="import"),
]
