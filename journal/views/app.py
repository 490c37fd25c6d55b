"""Mirror as an installable app: its web app manifest, its service worker (served from the
site's root, so its scope is the whole site) and the page it shows offline.

The service worker keeps only what is no one's: the static files (their names carry their
content's hash) and the offline page. It never keeps a journal page or any response marked
`no-store`: after logout on a shared phone nothing of the journal is in a cache, and offline
the app shows the offline page, never stale entries (templates/sw.js)."""

import hashlib
import json

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.i18n import JavaScriptCatalog

# The colours of the app's frame: the page's background, light and dark (static/css).
THEME_LIGHT = "#faf7f2"
THEME_DARK = "#17151b"
OFFLINE_CONTEXT = {"theme_light": THEME_LIGHT, "theme_dark": THEME_DARK}
# What the service worker keeps, by the names of the static files (hashed once collected).
CACHED_STATIC = (
    "css/mirror.css",
    "css/timeline.css",
    "css/insights.css",
    "js/mirror.js",
    "js/offline.js",
    "img/mirror.svg",
    "img/icons/mirror-192.png",
    "img/icons/mirror-512.png",
)


@require_GET
@cache_control(max_age=86400, public=True)
def manifest(request: HttpRequest) -> JsonResponse:
    icon = {"type": "image/png"}
    return JsonResponse(
        {
            "name": "Mirror",
            "short_name": "Mirror",
            # Shown where the app is installed; the answer varies with the language
            # (accounts.middleware.UserLanguageMiddleware).
            "description": _("A private journal for the twin-flame journey."),
            "id": "/",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": THEME_LIGHT,
            "theme_color": THEME_LIGHT,
            "icons": [
                {**icon, "src": static("img/icons/mirror-192.png"), "sizes": "192x192"},
                {**icon, "src": static("img/icons/mirror-512.png"), "sizes": "512x512"},
                {
                    **icon,
                    "src": static("img/icons/mirror-maskable-512.png"),
                    "sizes": "512x512",
                    "purpose": "maskable",
                },
            ],
        },
        content_type="application/manifest+json",
    )


@require_GET
@cache_control(no_cache=True)  # a new release's worker is found at the next visit
def service_worker(request: HttpRequest) -> HttpResponse:
    offline_url = reverse("offline")
    # The scripts' words in this browser's language, which the offline page needs.
    catalog_url = f"{reverse('javascript-catalog')}?v={get_language()}"
    precache = [offline_url, catalog_url, *(static(name) for name in CACHED_STATIC)]
    # The cache's name changes with anything it keeps (the static files' hashed names, the
    # offline page as drawn), so a release that changes the offline page's behaviour reaches
    # the phones: a changed worker is installed, and the old cache deleted.
    kept = json.dumps(precache) + render_to_string("offline.html", OFFLINE_CONTEXT)
    context = {
        "version": hashlib.sha256(kept.encode()).hexdigest()[:16],
        "offline_url": offline_url,
        # The URLs as JSON (a JavaScript literal): only the app's own paths, never words.
        "precache": json.dumps(precache),
        "static_prefix": static(""),
        "catalog_path": reverse("javascript-catalog"),
    }
    return render(request, "sw.js", context, content_type="application/javascript")


@require_GET
@cache_control(max_age=3600, public=True)
def offline(request: HttpRequest) -> HttpResponse:
    """The page the app shows offline: the same for everyone (no name, no words), so the
    service worker may keep it."""
    return render(request, "offline.html", OFFLINE_CONTEXT)


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """`/favicon.ico`, which browsers and feed readers ask for whatever the page's links say:
    the app's icon, by its current (hashed) name, so the redirect is not permanent."""
    return HttpResponseRedirect(static("img/icons/mirror-192.png"))


# The catalog of the scripts' words (djangojs) for the request's language: Django's own
# view, served from the site like any script, so the Content Security Policy holds.
javascript_catalog = require_GET(
    cache_control(max_age=86400, public=True)(
        JavaScriptCatalog.as_view(domain="djangojs", packages=["journal", "accounts"])
    )
)
