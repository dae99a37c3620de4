// Live "remaining" for the expense form: a hint while typing. The server decides what is valid.
const form = document.querySelector("form[data-split-form]");
if (form) {
  const out = form.querySelector("[data-remaining]");
  const wrap = form.querySelector("[data-remaining-wrap]");
  const inr = new Intl.NumberFormat("en-IN", { style: "currency", currency: "INR" });

  // "₹1,00,000.50" / "1,234.5" / "12" → hundredths; null unless it reads as the forms read it
  // (src/domain/amount-text.ts: optional ₹, Indian or international grouping, 2 places at most).
  const hundredths = (text) => {
    const t = text.trim().replace(/^₹\s*/, "").replace(/%$/, "");
    const m = /^(\d{1,2}(?:,\d{2})*,\d{3}|\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(t);
    if (!m) return null;
    return Number(m[1].replaceAll(",", "")) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  };
  // Hundredths → "₹1,234.50" from the exact decimal text.
  const rupees = (p) => inr.format(`${Math.floor(p / 100)}.${String(p % 100).padStart(2, "0")}`);

  const update = () => {
    const type = form.querySelector("input[name=split_type]:checked")?.value ?? "EQUAL";
    const rows = [...form.querySelectorAll(".participant")];
    let sum = 0;
    let ticked = 0;
    let valid = true;
    for (const row of rows) {
      const on = row.querySelector("input[name=participant]").checked;
      const input = row.querySelector("[data-value]");
      row.querySelector("[data-unit]").textContent =
        type === "PERCENTAGE" ? "%" : type === "EXACT" ? "₹" : "";
      input.disabled = type === "EQUAL" || !on; // disabled inputs are not submitted
      row.toggleAttribute("data-off", !on);
      if (!on) continue;
      ticked++;
      if (type !== "EQUAL" && input.value.trim() !== "") {
        const v = hundredths(input.value);
        if (v === null) valid = false;
        else sum += v;
      }
    }
    const total = hundredths(form.querySelector("[data-amount]").value);
    // Equal shares by the saving rule (src/domain/split.ts): floor(total / n) each, the
    // leftover paise one each to the first ticked people in the list's order.
    const on = rows.filter((r) => r.querySelector("input[name=participant]").checked);
    const base = total !== null && on.length ? Math.floor(total / on.length) : 0;
    const extra = total !== null ? total - base * on.length : 0;
    for (const row of rows) {
      const i = on.indexOf(row);
      row.querySelector("[data-share]").textContent =
        total !== null && total > 0 && i >= 0 ? rupees(base + (i < extra ? 1 : 0)) : "";
    }
    let text = "";
    let ok = false;
    if (type === "EQUAL") {
      text = ticked && total !== null && total > 0 ? `${rupees(total)} shared by ${ticked}` : "";
      ok = true;
    } else if (!valid) {
      text = "Some values are not numbers with at most 2 decimals";
    } else if (type === "PERCENTAGE") {
      const left = 10000 - sum;
      ok = left === 0;
      text =
        left >= 0
          ? `${(left / 100).toFixed(2)}% left to assign`
          : `${(-left / 100).toFixed(2)}% too much`;
    } else if (total !== null) {
      const left = total - sum;
      ok = left === 0;
      text = left >= 0 ? `${rupees(left)} left to assign` : `${rupees(-left)} too much`;
    }
    out.textContent = text;
    out.className = ok ? "ok" : "bad";
    wrap.hidden = text === "";
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
}
