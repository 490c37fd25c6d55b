// The entry editor: autosave (to this browser at once, to the server every few seconds and
// when the page is left), restore of unsaved text, a Markdown preview rendered by the
// server, word count, a growing text area and Ctrl/Cmd+Enter to save. The form works
// without any of it.
(() => {
  "use strict";
  const form = document.querySelector("form[data-editor]");
  if (!form) return;

  const DRAFT_PREFIX = "mirror:draft:";
  const SERVER_DELAY = 3000;
  const body = form.elements.body;
  const title = form.elements.title;
  const keyInput = form.elements.draft_key;
  let storageKey = DRAFT_PREFIX + (form.dataset.entry || keyInput.value);
  const status = form.querySelector("[data-saved]");
  const words = form.querySelector("[data-words]");
  const csrf = form.elements.csrfmiddlewaretoken.value;

  let lastServerSave = null;
  let timer = null;
  let dirty = false;
  let submitting = false;

  const storage = {
    get() {
      try {
        return JSON.parse(localStorage.getItem(storageKey) || "null");
      } catch {
        return null;
      }
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

  const snapshot = () => ({ title: title.value, body: body.value, at: Date.now() });

  const formData = () => {
    const data = new FormData(form);
    if (form.dataset.entry) data.set("entry", form.dataset.entry);
    return data;
  };

  const say = (text) => {
    if (status) status.textContent = text;
  };

  const ago = () => {
    if (!lastServerSave) return;
    const seconds = Math.round((Date.now() - lastServerSave) / 1000);
    if (seconds < 5) say("· Saved just now");
    else if (seconds < 60) say(`· Saved ${seconds} s ago`);
    else say(`· Saved ${Math.round(seconds / 60)} min ago`);
  };
  setInterval(ago, 5000);

  const countWords = () => {
    if (!words) return;
    const n = body.value.trim() ? body.value.trim().split(/\s+/).length : 0;
    words.textContent = `${n} word${n === 1 ? "" : "s"}`;
  };

  const grow = () => {
    body.style.height = "auto";
    body.style.height = `${Math.max(body.scrollHeight + 2, 256)}px`;
  };

  async function saveToServer() {
    timer = null;
    if (!dirty) return;
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
        say("· You were signed out. Your text is kept on this device: sign in again to save it.");
        return;
      }
      if (response.status === 423) {
        dirty = true;
        say("· Your journal is locked in this session. Your text is kept on this device: unlock your journal to save it.");
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      lastServerSave = Date.now();
      ago();
      const kept = storage.get();
      // The server has it now; forget the browser's copy unless it changed meanwhile.
      if (kept && kept.body === sent.body && kept.title === sent.title) storage.clear();
    } catch {
      dirty = true;
      say("· Offline: your text is kept on this device and will be saved when you are back.");
      schedule();
    }
  }

  function schedule() {
    if (!timer) timer = setTimeout(saveToServer, SERVER_DELAY);
  }

  const changed = () => {
    dirty = true;
    storage.set(snapshot());
    countWords();
    schedule();
  };

  form.addEventListener("input", changed);
  body.addEventListener("input", grow);

  // Leaving the page: one last save that survives the tab closing.
  const flush = () => {
    if (!dirty || submitting) return;
    const data = formData();
    data.set("csrfmiddlewaretoken", csrf);
    if (navigator.sendBeacon) navigator.sendBeacon(form.dataset.autosaveUrl, data);
  };
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flush();
  });
  window.addEventListener("online", () => dirty && saveToServer());

  form.addEventListener("submit", () => {
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
  // (a crash, an expired session) is found by its key's shape and adopted.
  const latestNewDraft = () => {
    let best = null;
    try {
      for (const key of Object.keys(localStorage)) {
        if (!/^mirror:draft:[0-9a-f]{32}$/.test(key)) continue;
        const value = JSON.parse(localStorage.getItem(key) || "null");
        if (value && value.body && (!best || value.at > best.value.at)) best = { key, value };
      }
    } catch {
      return null;
    }
    return best;
  };

  // Text this browser kept but the server never confirmed: offer it back.
  const banner = form.querySelector("[data-restore]");
  let kept = storage.get();
  if (!kept && !form.dataset.entry && !body.value) {
    const found = latestNewDraft();
    if (found) {
      storageKey = found.key;
      keyInput.value = found.key.slice(DRAFT_PREFIX.length);
      kept = found.value;
    }
  }
  if (banner && kept && (kept.body !== body.value || kept.title !== title.value) && kept.body) {
    const when = banner.querySelector("[data-restore-when]");
    if (when && kept.at) when.textContent = ` (${new Date(kept.at).toLocaleString()})`;
    banner.hidden = false;
    banner.querySelector("[data-restore-yes]").addEventListener("click", () => {
      title.value = kept.title;
      body.value = kept.body;
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
      preview.textContent = "Rendering…";
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
            result.message || "The preview is not available right now. Your text is safe.";
          return;
        }
        // The server's sanitized HTML, the same as a saved entry shows.
        preview.innerHTML = result.html || "<p>Nothing written yet.</p>";
      } catch {
        preview.textContent = "The preview is not available offline. Your text is safe.";
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
