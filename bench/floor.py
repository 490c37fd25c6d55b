"""The bench URLconf: the project's URLs plus a floor view, for benchmarks only.

The floor renders the base layout (navigation, footer, static file links) for the signed-in
user with an empty content block: everything every page pays for (middleware, session, user,
template) and nothing else. A page's cost divided by the floor's says how much the page adds.
It is mounted here, never in the project's own URLs.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path

FLOOR_PATH = "/bench/floor/"


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


urlpatterns = [
    path(FLOOR_PATH.strip("/") + "/", floor, name="bench-floor"),
    path("", include("config.urls")),
]
