from django.urls import path

from . import views

app_name = "journal"

urlpatterns = [
    path("entries/", views.entry_list, name="entry-list"),
    path("entries/new/", views.entry_create, name="entry-create"),
    path("entries/<uuid:pk>/", views.entry_detail, name="entry-detail"),
    path("entries/<uuid:pk>/edit/", views.entry_edit, name="entry-edit"),
    path("entries/<uuid:pk>/delete/", views.entry_delete, name="entry-delete"),
    path("prompts/", views.prompt_list, name="prompt-list"),
    path("prompts/new/", views.prompt_create, name="prompt-create"),
    path("prompts/<int:pk>/edit/", views.prompt_edit, name="prompt-edit"),
    path("prompts/<int:pk>/delete/", views.prompt_delete, name="prompt-delete"),
]
