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

  // ITEMIZED: each item split equally among its people (leftover paise to the first), then tax +
  // tip by the people's item subtotals (largest remainder, ties to whoever appears first).
  // People in the item's stored order first (an edit), then the form's order, as the server does.
  const itemsBox = form.querySelector("[data-items]");
  const readItems = () => {
    const items = [];
    let ok = true;
    for (const row of form.querySelectorAll("[data-item]")) {
      const text = row.querySelector("[data-item-amount]").value.trim();
      const desc = row.querySelector("input[name^=item_desc_]").value.trim();
      const ticked = [...row.querySelectorAll("input[type=checkbox]:checked")].map((c) => c.value);
      if (text === "" && desc === "" && ticked.length === 0) continue;
      const stored = (row.querySelector("[data-item-order]")?.value ?? "").split(",");
      const people = [...new Set([...stored.filter((id) => ticked.includes(id)), ...ticked])];
      const amount = hundredths(text);
      if (amount === null || amount <= 0 || people.length === 0) ok = false;
      items.push({ amount: amount ?? 0, people });
    }
    return { items, ok };
  };
  const extra = (selector) => {
    const t = form.querySelector(selector).value.trim();
    return t === "" ? 0 : hundredths(t);
  };
  const itemizedShares = (items, extras) => {
    const order = [];
    const subtotal = new Map();
    for (const item of items)
      equal(item.amount, item.people.length).forEach((part, i) => {
        const id = item.people[i];
        if (!subtotal.has(id)) order.push(id);
        subtotal.set(id, (subtotal.get(id) ?? 0) + part);
      });
    const subs = order.map((id) => subtotal.get(id));
    const added = extras > 0 ? byWeights(extras, subs) : subs.map(() => 0);
    return new Map(order.map((id, i) => [id, subs[i] + added[i]]));
  };
  const itemsOut = form.querySelector("[data-items-left]");
  const itemsWrap = form.querySelector("[data-items-wrap]");

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
    const itemized = type === "ITEMIZED";
    itemsBox.hidden = !itemized;
    const values = [];
    let sum = 0;
    let ticked = 0;
    let valid = true;
    for (const row of rows) {
      const on = row.querySelector("input[name=participant]").checked;
      const input = row.querySelector("[data-value]");
      row.querySelector("[data-unit]").textContent =
        type === "PERCENTAGE" ? "%" : type === "SHARES" ? "×" : type === "EQUAL" ? "" : "₹";
      // Disabled inputs are not submitted. By item, the ticks here are not used.
      input.disabled = type === "EQUAL" || itemized || !on;
      row.toggleAttribute("data-off", !on && !itemized);
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
    const byItem = itemized ? readItems() : null;
    const tax = extra("[data-tax]");
    const tip = extra("[data-tip]");
    const itemShares =
      byItem?.ok && byItem.items.length && tax !== null && tip !== null
        ? itemizedShares(byItem.items, tax + tip)
        : new Map();
    for (const row of rows) {
      const i = on.indexOf(row);
      const id = row.querySelector("input[name=participant]").value;
      row.querySelector("[data-share]").textContent = itemized
        ? itemShares.has(id)
          ? rupees(itemShares.get(id))
          : ""
        : shares && i >= 0
          ? (type === "EQUAL" ? "" : "= ") + rupees(shares[i])
          : "";
    }
    // By item: what is left of the amount once the items, tax and tip are counted.
    let itemsText = "";
    if (byItem) {
      const counted =
        byItem.items.reduce((a, item) => a + item.amount, 0) + (tax ?? 0) + (tip ?? 0);
      if (!byItem.ok || tax === null || tip === null)
        itemsText = "Each item needs a price (at most 2 decimals) and someone who shares it";
      else if (total === null) itemsText = `Items, tax and tip: ${rupees(counted)}`;
      else {
        const left = total - counted;
        itemsText = left >= 0 ? `${rupees(left)} left to assign` : `${rupees(-left)} too much`;
        itemsOut.className = left === 0 ? "ok" : "bad";
      }
      if (!byItem.ok || tax === null || tip === null || total === null) itemsOut.className = "bad";
    }
    itemsOut.textContent = itemsText;
    itemsWrap.hidden = itemsText === "";
    let text = "";
    let ok = false;
    if (itemized) {
      ok = true; // the items say who shares what (above)
    } else if (type === "EQUAL") {
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
