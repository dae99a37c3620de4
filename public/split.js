// Live "remaining" for the expense form: a hint while typing. The server decides what is valid.
const form = document.querySelector("form[data-split-form]");
if (form) {
  const out = form.querySelector("[data-remaining]");
  const wrap = form.querySelector("[data-remaining-wrap]");
  const inr = new Intl.NumberFormat("en-IN", { style: "currency", currency: "INR" });

  // "12.34" → 1234 hundredths; null unless it is a plain decimal with at most 2 places.
  const hundredths = (text) => {
    const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
    return m ? Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0")) : null;
  };

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
    let text = "";
    let ok = false;
    if (type === "EQUAL") {
      text =
        ticked && total !== null
          ? `About ${inr.format(Math.floor(total / ticked) / 100)} each`
          : "";
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
      text =
        left >= 0
          ? `${inr.format(left / 100)} left to assign`
          : `${inr.format(-left / 100)} too much`;
    }
    out.textContent = text;
    out.className = ok ? "ok" : "bad";
    wrap.hidden = text === "";
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
}
