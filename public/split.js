// Live "remaining" for the expense form: a hint while typing. The server decides what is valid.
const form = document.querySelector("form[data-split-form]");
if (form) {
  const out = form.querySelector("[data-remaining]");
  const wrap = form.querySelector("[data-remaining-wrap]");
  // Money is in the chosen currency's minor units, with its digits (INR 2, JPY 0, KWD 3), read
  // from Intl as the server does (src/domain/currency.ts); percentages and weights: hundredths.
  const currencyBox = form.querySelector("select[name=currency]");
  const formats = new Map();
  const currency = () => {
    const code = currencyBox?.value || "INR";
    if (!formats.has(code)) {
      let f;
      try {
        f = new Intl.NumberFormat(code === "INR" ? "en-IN" : "en-US", {
          style: "currency",
          currency: code,
        });
      } catch {
        f = new Intl.NumberFormat("en-IN", { style: "currency", currency: "INR" });
      }
      const symbol = f.formatToParts(0).find((p) => p.type === "currency")?.value ?? code;
      formats.set(code, { f, symbol, digits: f.resolvedOptions().maximumFractionDigits });
    }
    return formats.get(code);
  };

  // "₹1,00,000.50" / "¥1,000" / "1,234.5" / "12" → units of 10^-places; null unless it reads as
  // the forms read it (src/domain/amount-text.ts: an optional symbol or code, Indian or
  // international grouping, at most `places` decimals).
  const units = (text, places) => {
    const t = text.trim().replace(/^(?:[₹$€£¥]|[A-Z]{3}|[A-Z]{1,2}\$)\s*/, "");
    const m = /^(\d{1,2}(?:,\d{2})*,\d{3}|\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(t);
    if (!m || (m[2] ?? "").length > places) return null;
    return (
      Number(m[1].replaceAll(",", "")) * 10 ** places + Number((m[2] ?? "").padEnd(places, "0"))
    );
  };
  const money = (text) => units(text, currency().digits);
  const hundredths = (text) => units(text.trim().replace(/%$/, ""), 2);
  // Adjustments may be signed: "+50", "−20" (the minus sign) or "-20".
  const signed = (text) => {
    const t = text.trim().replace(/^\+\s*/, "");
    const m = /^[-\u2212]\s*(.*)$/.exec(t);
    if (!m) return money(t);
    const v = money(m[1]);
    return v === null ? null : -v;
  };
  // Minor units → "₹1,234.50", "¥1,000", "-$5.00", from the exact decimal text.
  const moneyText = (p) => {
    const { f, digits } = currency();
    const abs = String(Math.abs(p)).padStart(digits + 1, "0");
    const text = digits === 0 ? abs : `${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
    return (p < 0 ? "-" : "") + f.format(text);
  };
  // How the messages say the digits: "whole numbers" or "numbers with at most 2 decimals".
  const numbers = (d) =>
    d === 0 ? "whole numbers" : `numbers with at most ${d} decimal${d === 1 ? "" : "s"}`;
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
      const amount = money(text);
      if (amount === null || amount <= 0 || people.length === 0) ok = false;
      items.push({ amount: amount ?? 0, people });
    }
    return { items, ok };
  };
  const extra = (selector) => {
    const t = form.querySelector(selector).value.trim();
    return t === "" ? 0 : money(t);
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
        type === "PERCENTAGE"
          ? "%"
          : type === "SHARES"
            ? "×"
            : type === "EQUAL"
              ? ""
              : currency().symbol;
      // Disabled inputs are not submitted. By item, the ticks here are not used.
      input.disabled = type === "EQUAL" || itemized || !on;
      row.toggleAttribute("data-off", !on && !itemized);
      if (!on) continue;
      ticked++;
      if (type !== "EQUAL" && input.value.trim() !== "") {
        const v =
          type === "ADJUSTMENT"
            ? signed(input.value)
            : type === "EXACT"
              ? money(input.value)
              : hundredths(input.value);
        if (v === null) valid = false;
        else sum += v;
        values.push(v ?? 0);
      } else values.push(0); // an empty weight or adjustment counts as 0 in the preview
    }
    const total = money(form.querySelector("[data-amount]").value);
    // The money boxes' labels name the chosen currency ("Price (¥)").
    for (const unit of form.querySelectorAll("[data-currency-symbol]"))
      unit.textContent = currency().symbol;
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
          ? moneyText(itemShares.get(id))
          : ""
        : shares && i >= 0
          ? (type === "EQUAL" ? "" : "= ") + moneyText(shares[i])
          : "";
    }
    // By item: what is left of the amount once the items, tax and tip are counted.
    let itemsText = "";
    if (byItem) {
      const counted =
        byItem.items.reduce((a, item) => a + item.amount, 0) + (tax ?? 0) + (tip ?? 0);
      if (!byItem.ok || tax === null || tip === null)
        itemsText = `Each item needs a price (${numbers(currency().digits)}) and someone who shares it`;
      else if (total === null) itemsText = `Items, tax and tip: ${moneyText(counted)}`;
      else {
        const left = total - counted;
        itemsText =
          left >= 0 ? `${moneyText(left)} left to assign` : `${moneyText(-left)} too much`;
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
      text = ticked && total !== null && total > 0 ? `${moneyText(total)} shared by ${ticked}` : "";
      ok = true;
    } else if (!valid) {
      const d = type === "EXACT" || type === "ADJUSTMENT" ? currency().digits : 2;
      text = `Some values are not ${numbers(d)}`;
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
            ? `Adjustments are ${moneyText(-rest)} more than the amount`
            : `${moneyText(rest)} shared equally, then adjusted`;
      }
    } else if (total !== null) {
      const left = total - sum;
      ok = left === 0;
      text = left >= 0 ? `${moneyText(left)} left to assign` : `${moneyText(-left)} too much`;
    }
    out.textContent = text;
    out.className = ok ? "ok" : "bad";
    wrap.hidden = text === "";
    // Several payers: what is left to assign of the amount.
    let paid = 0;
    let paidOk = true;
    for (const box of form.querySelectorAll("[data-paid]")) {
      if (box.value.trim() === "") continue;
      const v = money(box.value);
      if (v === null) paidOk = false;
      else paid += v;
    }
    let paidText = "";
    if (several && !paidOk) paidText = `Some amounts paid are not ${numbers(currency().digits)}`;
    else if (several && total !== null) {
      const left = total - paid;
      paidText = left >= 0 ? `${moneyText(left)} left to assign` : `${moneyText(-left)} too much`;
      paidOut.className = left === 0 ? "ok" : "bad";
    }
    paidOut.textContent = paidText;
    paidWrap.hidden = paidText === "";
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
}
