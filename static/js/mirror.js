// Mirror's small page-wide script. Every page works without it; it only adds comfort.
(() => {
  "use strict";
  const DRAFT_PREFIX = "mirror:draft:";

  // Sign-up: fill the hidden time-zone field with this device's zone (the server falls
  // back to UTC without it).
  document.querySelectorAll('input[name="time_zone"][type="hidden"]').forEach((input) => {
    if (!input.value) {
      try {
        input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
      } catch {
        // An old browser: leave it empty.
      }
    }
  });

  // The account signed in on this device, by the mark its pages carry (templates/base.html):
  // the offline page, which knows no one, stamps the words written there with it, so they
  // are sent to this account only (static/js/offline.js, editor.js).
  const OWNER_KEY = "mirror:owner";
  const owner = document.body.dataset.owner;
  if (owner) {
    try {
      localStorage.setItem(OWNER_KEY, owner);
    } catch {
      // Storage unavailable: nothing is kept on this device either.
    }
  }

  // Logging out clears any diary text this browser kept (the editor's drafts, the offline
  // page's words, sent or waiting) and whose they were, so a shared computer keeps none.
  const forgetDrafts = () => {
    try {
      Object.keys(localStorage)
        .filter((key) => key.startsWith(DRAFT_PREFIX))
        .forEach((key) => localStorage.removeItem(key));
      localStorage.removeItem(OWNER_KEY);
    } catch {
      // Storage unavailable: nothing was kept.
    }
  };
  document.querySelectorAll('form[action$="/accounts/logout/"]').forEach((form) => {
    form.addEventListener("submit", forgetDrafts);
  });

  // Pictures that scroll sideways on a phone open with today in view, not at the oldest
  // date: today's mark (the timeline's line, the calendar's square, this month's label)
  // near the right edge, with the time before it. A picture without today (a past year)
  // opens at its recent end. Measured, not computed: today is rarely at a year's end.
  document.querySelectorAll("[data-scroll-to-recent]").forEach((box) => {
    const mark = box.querySelector("[data-today]");
    if (!mark) {
      box.scrollLeft = box.scrollWidth;
      return;
    }
    const frame = box.getBoundingClientRect();
    const spot = mark.getBoundingClientRect();
    const margin = Math.min(frame.width / 4, 64);
    box.scrollLeft += spot.right - (frame.right - margin);
  });

  // After a save, the entry page is reached with ?saved=<key>: that draft is now safe on
  // the server, so the browser's copy can go.
  const params = new URLSearchParams(window.location.search);
  const saved = params.get("saved");
  if (saved) {
    try {
      localStorage.removeItem(DRAFT_PREFIX + saved);
    } catch {
      // Nothing to remove.
    }
    params.delete("saved");
    const query = params.toString();
    history.replaceState(null, "", window.location.pathname + (query ? `?${query}` : ""));
  }

  // The installable app: a service worker that keeps only the static files and the
  // offline page (templates/sw.js).
  if ("serviceWorker" in navigator && window.isSecureContext) {
    window.addEventListener("load", () => {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
        // No worker: the site works as a plain site.
      });
    });
  }
})();
