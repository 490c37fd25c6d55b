// The entry editor: autosave (to this browser at once, to the server every few seconds and
// when the page is left), restore of unsaved text, a Markdown preview rendered by the
// server, word count, a growing text area and Ctrl/Cmd+Enter to save. The form works
// without any of it.
//
// A new entry is sent by this script rather than by the browser, so that a lost connection
// or an expired session never ends in an error page: the words stay on this device, marked
// pending, and are sent when the connection (or the session) returns. The words written on
// the offline page (static/js/offline.js) are pending drafts too, sent from here. Each is
// sent with its own draft key, and the server makes one entry per key (entry_create), so a
// retry or a second tab never makes two.
(() => {
  "use strict";
  const form = document.querySelector("form[data-editor]");
  if (!form) return;

  const DRAFT_PREFIX = "mirror:draft:";
  const NEW_DRAFT_KEY = /^mirror:draft:[0-9a-f]{32}$/;
  const SERVER_DELAY = 3000;
  const RETRY_DELAY = 30000;
  // The fields a device draft keeps besides the title and body, restored with them: every
  // field of the form but the words themselves and the page's own keys.
  const OWN = new Set(["title", "body", "draft_key", "csrfmiddlewaretoken", "version", "entry"]);
  const FIELDS = [
    ...new Set(
      Array.from(form.elements)
        .map((element) => element.name)
        .filter((name) => name && !OWN.has(name)),
    ),
  ];
  const body = form.elements.body;
  const title = form.elements.title;
  const keyInput = form.elements.draft_key;
  const isNew = !form.dataset.entry;
  // The signed-in account's mark (templates/base.html): words another account's pages kept
  // on this device are never sent, nor offered, here.
  const owner = document.body.dataset.owner || "";
  let storageKey = DRAFT_PREFIX + (form.dataset.entry || keyInput.value);
  const status = form.querySelector("[data-saved]");
  const words = form.querySelector("[data-words]");
  const signIn = form.querySelector("[data-sign-in]");
  const unlock = form.querySelector("[data-unlock]");
  const csrf = form.elements.csrfmiddlewaretoken.value;

  // The status line's words, each after a "· " that sets it apart from the word count.
  const SAY = {
    pending: `· ${gettext("Saved on this device; it will be sent when you are online.")}`,
    sending: `· ${gettext("Sending what you wrote offline…")}`,
    saving: `· ${gettext("Saving…")}`,
    saved: `· ${gettext("Saved.")}`,
    signedOut: `· ${gettext(
      "You were signed out. Your words are kept on this device and will be sent after you sign in.",
    )}`,
    locked: `· ${gettext(
      "Your journal is locked in this session. Your words are kept on this device and will be sent after you unlock it.",
    )}`,
    failed: `· ${gettext(
      "Mirror could not save it just now. Your words are kept on this device and will be sent again shortly.",
    )}`,
  };

  let lastServerSave = null;
  let timer = null;
  let retry = null;
  let dirty = false;
  let submitting = false;
  let pending = false; // this page's words wait on this device to be sent as an entry
  let sending = false;

  const read = (key) => {
    try {
      return JSON.parse(localStorage.getItem(key) || "null");
    } catch {
      return null;
    }
  };

  const storage = {
    get() {
      return read(storageKey);
    },
    set(value) {
      try {
        localStorage.setItem(storageKey, JSON.stringify(value));
      } catch {
        // Full or unavailable: the server copy still protects the text.
      }
    },
    clear() {
      try {
        localStorage.removeItem(storageKey);
      } catch {
        // Nothing to clear.
      }
    },
  };

  const fieldValues = () => {
    const data = new FormData(form);
    const values = {};
    for (const name of FIELDS) {
      if (form.elements[name]) values[name] = data.getAll(name).map(String);
    }
    return values;
  };

  const snapshot = () => {
    const value = { title: title.value, body: body.value, at: Date.now(), fields: fieldValues() };
    if (owner) value.owner = owner;
    if (pending) value.pending = true;
    return value;
  };

  // Words kept on this device that this account may have: its own, or those no signed-in
  // page marked (written before any was opened here).
  const mine = (value) => Boolean(value && value.body) && (!value.owner || value.owner === owner);

  // The form as a kept draft had it: its words, and the fields it kept.
  const fill = (kept) => {
    title.value = kept.title || "";
    body.value = kept.body || "";
    const fields = kept.fields && typeof kept.fields === "object" ? kept.fields : {};
    for (const name of FIELDS) {
      const values = fields[name];
      const field = form.elements[name];
      if (!Array.isArray(values) || !field) continue;
      const inputs = field instanceof RadioNodeList ? Array.from(field) : [field];
      for (const input of inputs) {
        if (input.type === "checkbox" || input.type === "radio") {
          input.checked = values.includes(input.value);
        } else {
          input.value = values[0] ?? "";
        }
      }
    }
  };

  const formData = () => {
    const data = new FormData(form);
    if (form.dataset.entry) data.set("entry", form.dataset.entry);
    return data;
  };

  // What to do about it, beside the words: sign in again, or unlock the journal.
  const say = (text, action = null) => {
    if (status) status.textContent = text;
    if (signIn) signIn.hidden = action !== "sign-in";
    if (unlock) unlock.hidden = action !== "unlock";
  };

  const ago = () => {
    if (!lastServerSave || pending || sending) return;
    const seconds = Math.round((Date.now() - lastServerSave) / 1000);
    if (seconds < 5) say(`· ${gettext("Saved just now")}`);
    else if (seconds < 60) {
      say(`· ${interpolate(gettext("Saved %(seconds)s s ago"), { seconds }, true)}`);
    } else {
      const minutes = Math.round(seconds / 60);
      say(`· ${interpolate(gettext("Saved %(minutes)s min ago"), { minutes }, true)}`);
    }
  };
  setInterval(ago, 5000);

  const countWords = () => {
    if (!words) return;
    const n = body.value.trim() ? body.value.trim().split(/\s+/).length : 0;
    words.textContent = interpolate(ngettext("%(n)s word", "%(n)s words", n), { n }, true);
  };

  const grow = () => {
    body.style.height = "auto";
    body.style.height = `${Math.max(body.scrollHeight + 2, 256)}px`;
  };

  async function saveToServer() {
    timer = null;
    if (!dirty || pending || sending) return;
    const sent = snapshot();
    dirty = false;
    try {
      const response = await fetch(form.dataset.autosaveUrl, {
        method: "POST",
        body: formData(),
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.status === 401 || response.status === 403) {
        dirty = true;
        lastServerSave = null;
        say(
          `· ${gettext("You were signed out. Your text is kept on this device: sign in again to save it.")}`,
          "sign-in",
        );
        return;
      }
      if (response.status === 423) {
        dirty = true;
        lastServerSave = null;
        say(
          `· ${gettext(
            "Your journal is locked in this session. Your text is kept on this device: unlock your journal to save it.",
          )}`,
          "unlock",
        );
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      lastServerSave = Date.now();
      ago();
      const kept = storage.get();
      // The server has it now; forget the browser's copy unless it changed meanwhile.
      if (kept && !kept.pending && kept.body === sent.body && kept.title === sent.title) {
        storage.clear();
      }
    } catch {
      dirty = true;
      lastServerSave = null;
      if (pending || sending) return;
      say(
        `· ${gettext("Offline: your text is kept on this device and will be saved when you are back.")}`,
      );
      schedule();
    }
  }

  function schedule() {
    if (!timer) timer = setTimeout(saveToServer, SERVER_DELAY);
  }

  // Kept on this device until it can be sent: the connection is gone, or the session.
  const keepPending = (message, action = null) => {
    pending = true;
    lastServerSave = null;
    storage.set(snapshot());
    say(message, action);
  };

  const retryLater = () => {
    clearTimeout(retry);
    retry = setTimeout(() => navigator.onLine && pending && send(), RETRY_DELAY);
  };

  // Send the new entry (the form as it is, with its draft key) and open it once saved.
  async function send() {
    if (sending) return;
    sending = true;
    submitting = true; // no autosave when the page is left: the entry carries the words
    clearTimeout(timer);
    timer = null;
    clearTimeout(retry);
    storage.set(snapshot());
    say(pending ? SAY.sending : SAY.saving);
    const done = () => {
      sending = false;
      submitting = false;
    };
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
        credentials: "same-origin",
      });
    } catch {
      done();
      keepPending(SAY.pending); // sent again when the connection returns
      // The browser may think it is online still (a network that reaches nothing): no
      // "online" event will come, so try again in a while.
      if (navigator.onLine) retryLater();
      return;
    }
    // The answer is the entry's address, never a redirect: one is to the login page.
    const signedOut = response.redirected || response.status === 401 || response.status === 403;
    const json = (response.headers.get("Content-Type") || "").startsWith("application/json");
    const readable = response.ok && json && !signedOut;
    const result = readable ? await response.json().catch(() => null) : null;
    if (result && result.saved && result.url) {
      pending = false;
      storage.clear(); // the server has it (the entry's page clears it too: ?saved=)
      say(SAY.saved);
      window.location.assign(result.url);
      return;
    }
    done();
    if (signedOut) {
      keepPending(SAY.signedOut, "sign-in");
    } else if (response.status === 423) {
      keepPending(SAY.locked, "unlock");
    } else if (result && result.saved === false) {
      // Refused (a date still to come, words too long): the form is sent the plain way, and
      // its page says what to change. The words stay on this device, no longer sent alone.
      pending = false;
      storage.set(snapshot());
      submitting = true;
      HTMLFormElement.prototype.submit.call(form);
    } else {
      keepPending(SAY.failed);
      retryLater();
    }
  }

  const changed = () => {
    dirty = true;
    storage.set(snapshot());
    countWords();
    if (!pending && !sending) schedule(); // pending words are sent as the entry itself
  };

  form.addEventListener("input", changed);
  body.addEventListener("input", grow);

  // Leaving the page: one last save that survives the tab closing.
  const flush = () => {
    if (!dirty || submitting || pending) return;
    const data = formData();
    data.set("csrfmiddlewaretoken", csrf);
    if (navigator.sendBeacon) navigator.sendBeacon(form.dataset.autosaveUrl, data);
  };
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flush();
  });

  form.addEventListener("submit", (event) => {
    if (isNew) {
      // A new entry goes through send(): offline, or if the request fails, the words wait
      // on this device instead of the browser showing an error page.
      event.preventDefault();
      if (sending) return;
      clearTimeout(timer);
      timer = null;
      if (navigator.onLine) send();
      else keepPending(SAY.pending);
      return;
    }
    if (!navigator.onLine) {
      // An edit is saved by the browser itself (its conflicts need the page the server
      // draws): offline it waits, kept on this device, for the next press of Save.
      event.preventDefault();
      storage.set(snapshot());
      say(
        `· ${gettext(
          "You are offline. Your changes are kept on this device: save again when you are back online.",
        )}`,
      );
      return;
    }
    submitting = true;
    clearTimeout(timer); // the form itself carries the text now
    storage.set(snapshot()); // kept until the saved entry's page confirms it
  });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // A new-entry page gets a fresh key each time; text kept from an earlier new-entry page
  // (a crash, an expired session, the offline page) is found by its key's shape.
  const newDrafts = () => {
    const found = [];
    try {
      for (const key of Object.keys(localStorage)) {
        if (!NEW_DRAFT_KEY.test(key)) continue;
        const value = read(key);
        if (mine(value)) found.push({ key, value });
      }
    } catch {
      return [];
    }
    return found.sort((a, b) => (a.value.at || 0) - (b.value.at || 0));
  };
  const latestNewDraft = () => newDrafts().pop() || null;

  // Words an earlier offline page kept under one fixed key: a draft waiting to be sent,
  // under a key of its own like the offline page's now (static/js/offline.js).
  try {
    const earlier = read(`${DRAFT_PREFIX}offline`);
    if (earlier && earlier.body && crypto.randomUUID) {
      const key = DRAFT_PREFIX + crypto.randomUUID().replace(/-/g, "");
      localStorage.setItem(key, JSON.stringify({ title: "", ...earlier, pending: true }));
      localStorage.removeItem(`${DRAFT_PREFIX}offline`);
    }
  } catch {
    // Storage unavailable: nothing was kept.
  }

  const adopt = (found) => {
    storageKey = found.key;
    keyInput.value = found.key.slice(DRAFT_PREFIX.length);
  };

  // Words waiting to be sent (written offline, or when the session had expired), oldest
  // first, taken by an empty new-entry page (not one answering a prompt: its own words
  // would be filed under it) and sent as soon as the connection allows.
  const takeWaiting = () => {
    if (!isNew || pending || sending || body.value || form.elements.prompt.value) return false;
    const waiting = newDrafts().find((found) => found.value.pending);
    if (!waiting) return false;
    adopt(waiting);
    fill(waiting.value);
    pending = true;
    countWords();
    grow();
    return true;
  };

  // Back to this page from the saved entry, kept whole by the browser: it can save again
  // (the same words lead to the same entry; changed ones make an entry of their own).
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    sending = false;
    submitting = false;
  });

  window.addEventListener("online", () => {
    if (pending || takeWaiting()) send();
    else if (dirty) saveToServer();
  });

  // Text this browser kept but the server never confirmed: offer it back.
  const banner = form.querySelector("[data-restore]");
  let kept = storage.get();
  if (!mine(kept)) kept = null;
  if (!kept && takeWaiting()) {
    if (navigator.onLine) send();
    else say(SAY.pending);
  } else if (!kept && isNew && !body.value) {
    const found = latestNewDraft();
    if (found) {
      adopt(found);
      kept = found.value;
    }
  }
  if (banner && kept && (kept.body !== body.value || kept.title !== title.value) && kept.body) {
    const when = banner.querySelector("[data-restore-when]");
    // The moment in the page's language (its <html lang>), as the rest of the page says it:
    // the browser's own variant of it when it has one (en-GB on an English page).
    const page = document.documentElement.lang || "";
    const primary = (tag) => tag.toLowerCase().split("-")[0];
    const locale =
      (navigator.languages || []).find((tag) => primary(tag) === primary(page)) ||
      page ||
      undefined;
    if (when && kept.at) when.textContent = ` (${new Date(kept.at).toLocaleString(locale)})`;
    banner.hidden = false;
    banner.querySelector("[data-restore-yes]").addEventListener("click", () => {
      fill(kept);
      banner.hidden = true;
      changed();
      grow();
      body.focus();
    });
    banner.querySelector("[data-restore-no]").addEventListener("click", () => {
      storage.clear();
      banner.hidden = true;
    });
  }

  // Write / Preview tabs: the preview comes from the server's own Markdown function.
  const tabs = form.querySelector("[data-tabs]");
  const preview = form.querySelector("[data-preview]");
  if (tabs && preview) {
    tabs.hidden = false;
    const field = body.closest(".field");
    tabs.addEventListener("click", async (event) => {
      const tab = event.target.closest("[data-tab]");
      if (!tab) return;
      const showPreview = tab.dataset.tab === "preview";
      tabs.querySelectorAll("[data-tab]").forEach((t) => {
        t.setAttribute("aria-pressed", String(t === tab));
      });
      if (!showPreview) {
        preview.hidden = true;
        field.hidden = false;
        body.focus();
        return;
      }
      const data = new FormData();
      data.set("body", body.value);
      preview.textContent = gettext("Rendering…");
      preview.hidden = false;
      field.hidden = true;
      try {
        const response = await fetch(form.dataset.previewUrl, {
          method: "POST",
          body: data,
          headers: { "X-CSRFToken": csrf },
          credentials: "same-origin",
        });
        const result = await response.json();
        if (!response.ok) {
          // Too long, or too intricate to lay out: the server says what to change.
          preview.textContent =
            result.message ||
            gettext("The preview is not available right now. Your text is safe.");
          return;
        }
        // The server's sanitized HTML, the same as a saved entry shows.
        if (result.html) {
          preview.innerHTML = result.html;
        } else {
          const empty = document.createElement("p");
          empty.textContent = gettext("Nothing written yet.");
          preview.replaceChildren(empty);
        }
      } catch {
        preview.textContent = gettext("The preview is not available offline. Your text is safe.");
      }
    });
  }

  // Conflict view: copy the saved text into the editor on request.
  const useTheirs = document.querySelector("[data-use-theirs]");
  const theirs = document.getElementById("theirs-text");
  if (useTheirs && theirs) {
    useTheirs.hidden = false;
    useTheirs.addEventListener("click", () => {
      body.value = theirs.textContent;
      changed();
      grow();
      body.focus();
    });
  }

  countWords();
  grow();
})();
