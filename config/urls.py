from django.contrib import admin
from django.urls import include, path

from journal import views as journal_views

urlpatterns = [
    path("", journal_views.home, name="home"),
    path("healthz", journal_views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("journal.urls")),
]
