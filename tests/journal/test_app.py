"""The installable app: a manifest phones accept, a service worker from the site's root that
keeps only what is no one's, and an offline page that holds nothing of anyone's journal."""

import json

from django.templatetags.static import static
from django.test import Client
from django.urls import reverse


def test_the_manifest_says_what_a_phone_needs_to_install_mirror(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert (manifest["name"], manifest["start_url"], manifest["display"]) == (
        "Mirror",
        "/",
        "standalone",
    )
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200
    page = client.get(reverse("account_login")).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert 'name="theme-color" media="(prefers-color-scheme: dark)"' in page


def test_the_service_worker_is_served_from_the_root_and_keeps_only_static_files(client):
    response = client.get("/sw.js", headers={"accept-language": "de"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    precached = json.loads(script.split("const PRECACHE = ", 1)[1].split(";", 1)[0])
    assert precached[0] == reverse("offline")
    # The scripts' words in the browser's language (the offline page needs them), no one's.
    assert precached[1] == f"{reverse('javascript-catalog')}?v=de"
    assert all(url.startswith(static("")) for url in precached[2:])
    assert 'request.mode === "navigate"' in script and "caches.match(OFFLINE_URL)" in script


def test_favicon_ico_leads_to_the_apps_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("img/icons/mirror-192.png")
    assert client.get(response["Location"]).status_code == 200


def test_the_offline_page_is_the_same_for_everyone_and_holds_no_journal(alice_client, entry):
    assert "public" in Client().get(reverse("offline"))["Cache-Control"]
    page = alice_client.get(reverse("offline")).content.decode()  # signed in: still no one's
    assert "You are offline" in page
    for private in ("Alice", "alice@example.com", entry.title, "Log out"):
        assert private not in page
    assert 'id="offline-body"' in page
