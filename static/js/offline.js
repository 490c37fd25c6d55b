// The offline page (templates/offline.html): what is written here is kept on this device as
// it is typed, as a draft of a new entry waiting to be sent (under the editor's prefix and
// key shape, so logging out clears it: static/js/mirror.js). Nothing is sent from this page,
// which has no session and no CSRF token: when the connection returns it opens the new-entry
// page, whose script sends the words once (static/js/editor.js).
(() => {
  "use strict";
  const form = document.querySelector("[data-offline-writing]");
  if (!form) return;
  const PREFIX = "mirror:draft:";
  const NEW_DRAFT_KEY = /^mirror:draft:[0-9a-f]{32}$/;
  const EARLIER_KEY = "mirror:draft:offline"; // where this page kept words before
  const RETRY_DELAY = 15000;
  const body = form.elements.body;
  const status = form.querySelector("[data-offline-status]");

  const say = (text) => {
    if (status) status.textContent = text;
  };
  const read = (key) => {
    try {
      return JSON.parse(localStorage.getItem(key) || "null");
    } catch {
      return null;
    }
  };
  const write = (key, value) => localStorage.setItem(key, JSON.stringify(value));

  // The account last signed in on this device (static/js/mirror.js): its words are sent to
  // it only. Unknown on a device no signed-in page was opened on since.
  let owner = "";
  try {
    owner = localStorage.getItem("mirror:owner") || "";
  } catch {
    // Storage unavailable: nothing can be kept.
  }

  const freshKey = () => {
    if (crypto.randomUUID) return PREFIX + crypto.randomUUID().replace(/-/g, "");
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return PREFIX + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  };

  // The day on this device: the entry is about the day it was written, not the day it is
  // sent.
  const today = () => {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  };

  // The newest words waiting to be sent for this account: written here earlier, or saved
  // in the editor while offline. This page goes on with them.
  const waiting = () => {
    let best = null;
    try {
      for (const key of Object.keys(localStorage)) {
        if (!NEW_DRAFT_KEY.test(key)) continue;
        const value = read(key);
        if (!value || !value.pending || !value.body) continue;
        if (value.owner && owner && value.owner !== owner) continue;
        if (!best || (value.at || 0) > (best.value.at || 0)) best = { key, value };
      }
    } catch {
      return null;
    }
    return best;
  };

  let key = null;
  try {
    const earlier = read(EARLIER_KEY);
    if (earlier && earlier.body) {
      key = freshKey();
      const value = { title: "", ...earlier, pending: true };
      if (owner && !value.owner) value.owner = owner;
      write(key, value);
    }
    localStorage.removeItem(EARLIER_KEY);
  } catch {
    // Storage unavailable.
  }
  if (!key) key = waiting()?.key || null;
  const kept = key ? read(key) : null;
  if (kept && kept.body) {
    body.value = kept.body;
    say(gettext("Saved on this device; it will be sent when you are online."));
  }

  body.addEventListener("input", () => {
    try {
      if (!body.value.trim()) {
        if (key) localStorage.removeItem(key);
        key = null;
        say(gettext("Kept on this device as you type."));
        return;
      }
      key = key || freshKey();
      const earlier = read(key) || { title: "", fields: { written_on: [today()] } };
      const value = { ...earlier, body: body.value, at: Date.now(), pending: true };
      if (owner && !value.owner) value.owner = owner;
      write(key, value);
      say(gettext("Saved on this device; it will be sent when you are online."));
    } catch {
      say(gettext("This device cannot keep it: copy your words somewhere safe."));
    }
  });

  // Back online: words waiting go to the new-entry page, which sends them; without any, the
  // page that was asked for opens again (this page stands at its address). Only once the
  // server answers: a connection that is up but reaches nothing would bring this page back.
  let leaving = false;
  let retry = null;
  const goBack = async (asked) => {
    clearTimeout(retry);
    if (leaving || !navigator.onLine) return;
    const words = key && read(key)?.body;
    if (!words && !asked) return;
    try {
      await fetch(form.dataset.probeUrl, { cache: "no-store", credentials: "same-origin" });
    } catch {
      if (words) retry = setTimeout(() => goBack(false), RETRY_DELAY);
      return;
    }
    leaving = true;
    if (words) {
      say(gettext("Back online: sending your words to your journal…"));
      window.location.assign(form.dataset.sendUrl);
    } else {
      window.location.reload();
    }
  };
  window.addEventListener("online", () => goBack(true));
  goBack(false);
})();
