"""The pages at the site's root whose names carry no namespace: the home page (`home`,
where signing in leads) and the load balancer's health checks (`healthz`, `readyz`).
config/urls.py includes them next to journal.urls, whose pages are named `journal:…`."""

from django.urls import path

from .views import home

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", home.healthz, name="healthz"),
    path("readyz", home.readyz, name="readyz"),
]
