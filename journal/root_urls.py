"""The pages at the site's root whose names carry no namespace: the home page (`home`,
where signing in leads), the installable app's manifest, service worker and offline page
and the icon browsers ask for
(journal/views/app.py) and the load balancer's health checks (`healthz`, `readyz`).
config/urls.py includes them next to journal.urls, whose pages are named `journal:…`."""

from django.urls import path

from .views import app, home

urlpatterns = [
    path("", home.home, name="home"),
    # The installable app: served from the root, so the service worker's scope is the site.
    path("manifest.webmanifest", app.manifest, name="manifest"),
    path("sw.js", app.service_worker, name="service-worker"),
    path("offline/", app.offline, name="offline"),
    path("favicon.ico", app.favicon, name="favicon"),
    path("healthz", home.healthz, name="healthz"),
    path("readyz", home.readyz, name="readyz"),
]
