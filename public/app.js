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
// The import page: a chosen file is read into the text box (the form sends text, so pasting
// works the same without JavaScript), and the invite fields show only for "invite".
for (const pick of document.querySelectorAll("[data-file-pick]")) {
  const input = pick.querySelector("input[type=file]");
  const box = document.getElementById("f-data");
  if (!input || !box || typeof Blob.prototype.text !== "function") continue;
  pick.hidden = false;
  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    if (!file) return;
    const text = await file.text();
    box.value = text;
    // Tick the format the text looks like (the radios stay the user's to change).
    const kind = /^\s*\{/.test(text)
      ? /"format_version"/.test(text)
        ? "evenly-json"
        : /"participants"/.test(text)
          ? "spliit-json"
          : null
      : /^\s*Date,/.test(text)
        ? "splitwise-csv"
        : null;
    const radio = kind && box.form?.querySelector(`input[name=format][value=${kind}]`);
    if (radio) radio.checked = true;
  });
}
for (const fields of document.querySelectorAll("[data-invite-for]")) {
  const select = document.getElementById(`f-${fields.dataset.inviteFor}`);
  if (!select) continue;
  const show = () => {
    fields.hidden = select.value !== "invite";
  };
  select.addEventListener("change", show);
  show();
}
