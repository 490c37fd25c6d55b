from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("reminders/", views.reminders, name="reminders"),
    # The link in every reminder: stops them without signing in (the token is the key).
    path("reminders/stop/<str:token>/", views.reminders_stop, name="reminders-stop"),
    path("delete/", views.account_delete, name="delete"),
    path("recovery-key/", views.recovery_key, name="recovery-key"),
    path("unlock/", views.journal_unlock, name="unlock"),
    path("unlock/start-empty/", views.journal_start_empty, name="start-empty"),
    path("locked-entries/", views.locked_entries, name="locked-entries"),
]
