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
    # The words of the scripts in static/js, in the request's language (?v= names it, so a
    # browser keeps one copy per language).
    path("jsi18n/", app.javascript_catalog, name="javascript-catalog"),
    path("healthz", home.healthz, name="healthz"),
    path("readyz", home.readyz, name="readyz"),
]
