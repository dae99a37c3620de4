// Progressive enhancement for every page; everything works without it.
// Forms marked data-autosubmit submit as soon as a choice changes, so their button can go.
for (const form of document.querySelectorAll("form[data-autosubmit]")) {
  const button = form.querySelector("button[type=submit]");
  if (button) button.hidden = true;
  form.addEventListener("change", () => form.requestSubmit());
}
// After a refused form, move focus to the error summary so screen readers announce it.
document.getElementById("error-summary")?.focus();
// Copy buttons (e.g. a new API token): shown only where the clipboard can be written; without
// them the text stays selectable.
for (const button of document.querySelectorAll("button[data-copy]")) {
  if (!navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const text = document.getElementById(button.dataset.copy)?.textContent ?? "";
    try {
      await navigator.clipboard.writeText(text.trim());
      button.textContent = "Copied";
    } catch {
      button.textContent = "Copy failed: select the text";
    }
  });
}
