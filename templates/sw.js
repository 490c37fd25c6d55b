// Mirror's service worker (journal/views/app.py renders it; its scope is the whole site).
//
// It keeps only what is no one's: the static files, whose names carry their content's
// hash, and the offline page. It never keeps a journal page, nor any response marked
// no-store: after logout on a shared phone nothing of the journal is in a cache, and
// offline the app shows the offline page, never stale entries.
"use strict";

const CACHE = "mirror-{{ version|escapejs }}";
const OFFLINE_URL = "{{ offline_url|escapejs }}";
const STATIC_PREFIX = "{{ static_prefix|escapejs }}";
const CATALOG_PATH = "{{ catalog_path|escapejs }}";
const PRECACHE = {{ precache|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // From the server, not the browser's HTTP cache: the offline page of this release.
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

const keepable = (response) =>
  response.ok && !(response.headers.get("Cache-Control") || "").includes("no-store");

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // writing goes to the server, or waits on the page
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (url.pathname.startsWith(STATIC_PREFIX)) {
    // Static files: the cached copy, else the network (and kept for next time).
    event.respondWith(
      caches.match(request).then(
        (cached) =>
          cached ||
          fetch(request).then((response) => {
            if (keepable(response)) {
              const copy = response.clone();
              caches.open(CACHE).then((cache) => cache.put(request, copy));
            }
            return response;
          }),
      ),
    );
    return;
  }

  if (url.pathname === CATALOG_PATH) {
    // The scripts' words (no one's): the network, kept for the offline page; offline, kept.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (keepable(response)) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        })
        // The kept copy varies on Accept-Language, which the precached request did not send
        // and the page's does: the URL's ?v= names the language already.
        .catch(() => caches.match(request, { ignoreVary: true })),
    );
    return;
  }

  if (request.mode === "navigate") {
    // Pages: always the network, never a cache; offline, the offline page.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
  }
});
