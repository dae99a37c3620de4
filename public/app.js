// Progressive enhancement for every page; everything works without it.
// Forms marked data-autosubmit submit as soon as a choice changes, so their button can go.
for (const form of document.querySelectorAll("form[data-autosubmit]")) {
  const button = form.querySelector("button[type=submit]");
  if (button) button.hidden = true;
  form.addEventListener("change", () => form.requestSubmit());
}
// After a refused form, move focus to the error summary so screen readers announce it.
document.getElementById("error-summary")?.focus();
