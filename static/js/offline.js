// The offline page (templates/offline.html): what is written here is kept on this device
// as it is typed, under the same prefix as the editor's drafts, so logging out clears it
// (static/js/mirror.js). Nothing is sent anywhere from this page.
(() => {
  "use strict";
  const form = document.querySelector("[data-offline-writing]");
  if (!form) return;
  const KEY = "mirror:draft:offline";
  const body = form.elements.body;
  const status = form.querySelector("[data-offline-status]");
  try {
    const kept = JSON.parse(localStorage.getItem(KEY) || "null");
    if (kept && kept.body) body.value = kept.body;
  } catch {
    // Nothing kept, or storage unavailable.
  }
  body.addEventListener("input", () => {
    try {
      localStorage.setItem(KEY, JSON.stringify({ title: "", body: body.value, at: Date.now() }));
      if (status) status.textContent = "Saved on this device; it will wait until you are online.";
    } catch {
      if (status) status.textContent = "This device cannot keep it: copy your words somewhere safe.";
    }
  });
})();
