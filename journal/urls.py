from django.urls import path

from .views import entries, prompts, timeline

app_name = "journal"

urlpatterns = [
    path("entries/", entries.entry_list, name="entry-list"),
    path("entries/new/", entries.entry_create, name="entry-create"),
    path("entries/<uuid:pk>/", entries.entry_detail, name="entry-detail"),
    path("entries/<uuid:pk>/edit/", entries.entry_edit, name="entry-edit"),
    path("entries/<uuid:pk>/delete/", entries.entry_delete, name="entry-delete"),
    path("timeline/", timeline.timeline, name="timeline"),
    path("timeline/new/", timeline.event_create, name="event-create"),
    path("timeline/urge/", timeline.urge, name="urge"),
    path("timeline/<int:pk>/edit/", timeline.event_edit, name="event-edit"),
    path("timeline/<int:pk>/delete/", timeline.event_delete, name="event-delete"),
    path("prompts/", prompts.prompt_list, name="prompt-list"),
    path("prompts/new/", prompts.prompt_create, name="prompt-create"),
    path("prompts/<int:pk>/edit/", prompts.prompt_edit, name="prompt-edit"),
    path("prompts/<int:pk>/delete/", prompts.prompt_delete, name="prompt-delete"),
]
