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
  // Adjustments may be signed: "+50", "−20" (the minus sign) or "-20".
  const signed = (text) => {
    const t = text.trim().replace(/^\+\s*/, "");
    const m = /^[-\u2212]\s*(.*)$/.exec(t);
    if (!m) return hundredths(t);
    const v = hundredths(m[1]);
    return v === null ? null : -v;
  };
  // Hundredths → "₹1,234.50" (or "-₹5.00") from the exact decimal text.
  const rupees = (p) =>
    (p < 0 ? "-" : "") +
    inr.format(`${Math.floor(Math.abs(p) / 100)}.${String(Math.abs(p) % 100).padStart(2, "0")}`);
  // The saving rules (src/domain/split.ts, splits.ts). EQUAL: floor(total / n) each, the leftover
  // paise one each to the first people listed.
  const equal = (total, n) => {
    const base = Math.floor(total / n);
    return Array.from({ length: n }, (_, i) => base + (i < total - base * n ? 1 : 0));
  };
  // SHARES: largest remainder over the weights, ties to earlier people (exact with BigInt).
  const byWeights = (total, weights) => {
    const sum = BigInt(weights.reduce((a, w) => a + w, 0));
    const t = BigInt(total);
    const parts = weights.map((w) => (t * BigInt(w)) / sum);
    const rems = weights.map((w, i) => ({ i, r: (t * BigInt(w)) % sum }));
    let left = total - parts.reduce((a, p) => a + Number(p), 0);
    rems.sort((x, y) => (x.r === y.r ? x.i - y.i : x.r > y.r ? -1 : 1));
    const out = parts.map(Number);
    for (const { i } of rems) if (left-- > 0) out[i]++;
    return out;
  };
  // ADJUSTMENT: an equal split of amount − Σ adjustments, plus each one's own adjustment.
  const adjusted = (total, adj) => {
    const rest = total - adj.reduce((a, v) => a + v, 0);
    return rest < 0 ? null : equal(rest, adj.length).map((e, i) => e + adj[i]);
  };

  const payersOn = () => form.querySelector("input[name=payer_mode]:checked")?.value === "several";
  const paidOut = form.querySelector("[data-paid-left]");
  const paidWrap = form.querySelector("[data-paid-wrap]");

  const update = () => {
    const type = form.querySelector("input[name=split_type]:checked")?.value ?? "EQUAL";
    const rows = [...form.querySelectorAll(".participant")];
    const several = payersOn();
    // Without :has() support the CSS cannot hide the unused payer fields: do it here.
    form.querySelector("[data-one-payer]").hidden = several;
    form.querySelector("[data-several-payers]").hidden = !several;
    const values = [];
    let sum = 0;
    let ticked = 0;
    let valid = true;
    for (const row of rows) {
      const on = row.querySelector("input[name=participant]").checked;
      const input = row.querySelector("[data-value]");
      row.querySelector("[data-unit]").textContent =
        type === "PERCENTAGE" ? "%" : type === "SHARES" ? "×" : type === "EQUAL" ? "" : "₹";
      input.disabled = type === "EQUAL" || !on; // disabled inputs are not submitted
      row.toggleAttribute("data-off", !on);
      if (!on) continue;
      ticked++;
      if (type !== "EQUAL" && input.value.trim() !== "") {
        const v = type === "ADJUSTMENT" ? signed(input.value) : hundredths(input.value);
        if (v === null) valid = false;
        else sum += v;
        values.push(v ?? 0);
      } else values.push(0); // an empty weight or adjustment counts as 0 in the preview
    }
    const total = hundredths(form.querySelector("[data-amount]").value);
    // Each ticked person's share as it will be saved, where the type's rule gives one.
    const on = rows.filter((r) => r.querySelector("input[name=participant]").checked);
    let shares = null;
    if (total !== null && total > 0 && on.length && valid) {
      if (type === "EQUAL") shares = equal(total, on.length);
      else if (type === "SHARES" && sum > 0) shares = byWeights(total, values);
      else if (type === "ADJUSTMENT") shares = adjusted(total, values);
    }
    for (const row of rows) {
      const i = on.indexOf(row);
      row.querySelector("[data-share]").textContent =
        shares && i >= 0 ? (type === "EQUAL" ? "" : "= ") + rupees(shares[i]) : "";
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
    } else if (type === "SHARES") {
      ok = sum > 0;
      text = ok ? `${(sum / 100).toString()} shares in all` : "Give at least one weight above 0";
    } else if (type === "ADJUSTMENT") {
      if (total !== null) {
        const rest = total - sum;
        ok = rest >= 0 && (shares ?? []).every((x) => x >= 0);
        text =
          rest < 0
            ? `Adjustments are ${rupees(-rest)} more than the amount`
            : `${rupees(rest)} shared equally, then adjusted`;
      }
    } else if (total !== null) {
      const left = total - sum;
      ok = left === 0;
      text = left >= 0 ? `${rupees(left)} left to assign` : `${rupees(-left)} too much`;
    }
    out.textContent = text;
    out.className = ok ? "ok" : "bad";
    wrap.hidden = text === "";
    // Several payers: what is left to assign of the amount.
    let paid = 0;
    let paidOk = true;
    for (const box of form.querySelectorAll("[data-paid]")) {
      if (box.value.trim() === "") continue;
      const v = hundredths(box.value);
      if (v === null) paidOk = false;
      else paid += v;
    }
    let paidText = "";
    if (several && !paidOk) paidText = "Some amounts paid are not numbers with at most 2 decimals";
    else if (several && total !== null) {
      const left = total - paid;
      paidText = left >= 0 ? `${rupees(left)} left to assign` : `${rupees(-left)} too much`;
      paidOut.className = left === 0 ? "ok" : "bad";
    }
    paidOut.textContent = paidText;
    paidWrap.hidden = paidText === "";
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
}
