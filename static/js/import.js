// The import page (templates/journal/import.html): the preview is fetched without leaving
// the page, so the chosen file stays chosen and "Import" sends that very file. Without this
// script the preview is a page of its own and the file is chosen again.
(function () {
  "use strict";
  const form = document.querySelector("[data-import-form]");
  if (!form || !window.fetch || !window.DOMParser) return;

  form.addEventListener("submit", async (event) => {
    const submitter = event.submitter;
    if (!submitter || submitter.value !== "preview") return; // the import itself: a normal post
    event.preventDefault();
    const body = new FormData(form);
    body.set("action", "preview");
    submitter.disabled = true;
    let page;
    try {
      // Not form.action: the buttons named "action" stand in its place.
      const response = await fetch(form.getAttribute("action") || window.location.href, {
        method: "POST",
        body,
        credentials: "same-origin",
      });
      page = new DOMParser().parseFromString(await response.text(), "text/html");
    } catch {
      submitter.disabled = false;
      form.submit(); // offline or failed: the page's own way
      return;
    }
    submitter.disabled = false;
    const preview = page.getElementById("import-preview");
    const actions = page.querySelector("[data-import-form] .actions");
    if (!preview || !page.getElementById("preview-heading") || !actions) {
      // A refusal: its problems sit beside the field, so the page is shown as it came.
      document.documentElement.replaceWith(page.documentElement);
      return;
    }
    for (const hint of preview.querySelectorAll("[data-import-choose-again]")) {
      hint.textContent = gettext("Nothing is written yet. Press Import to bring these in.");
    }
    document.getElementById("import-preview").replaceWith(preview);
    form.querySelector(".actions").replaceWith(actions);
    preview.querySelector("h2")?.focus?.();
  });
})();
