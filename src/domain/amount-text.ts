import { formatPaise, type Paise, type ParseResult, parseDecimal2 } from "./money.js";

/**
 * Amounts as people type them on the forms (the JSON API stays strict): an optional leading ₹
 * (with or without a space), and digit grouping either Indian (1,00,000) or international
 * (100,000). Grouping must be consistent — "1,0,0" or "10,00" is refused rather than guessed.
 */

/** Indian: the last group has 3 digits, the ones before it 2 (the first 1–2). */
const INDIAN = /^[0-9]{1,2}(?:,[0-9]{2})*,[0-9]{3}$/;
/** International: groups of 3 (the first 1–3). */
const INTERNATIONAL = /^[0-9]{1,3}(?:,[0-9]{3})+$/;

export const AMOUNT_TEXT_MESSAGE =
  "must be an amount such as 1250, 1,250.50 or ₹1,00,000 (at most 2 decimal places)";

/** "₹ 1,00,000.50" → 10000050 paise; the sign is kept (callers check it), as in parseDecimal2. */
export function parseAmountText(input: string): ParseResult {
  let text = input.trim();
  let negative = false;
  if (text.startsWith("-")) {
    negative = true;
    text = text.slice(1);
  }
  if (text.startsWith("₹")) text = text.slice(1).trimStart();
  const m = /^([0-9,]+)(\.[0-9]+)?$/.exec(text);
  if (!m) return { ok: false, message: AMOUNT_TEXT_MESSAGE };
  const whole = m[1] ?? "";
  if (whole.includes(",") && !INDIAN.test(whole) && !INTERNATIONAL.test(whole))
    return { ok: false, message: "has digit grouping that is neither 1,00,000 nor 100,000" };
  const plain = `${negative ? "-" : ""}${whole.replaceAll(",", "")}${m[2] ?? ""}`;
  const parsed = parseDecimal2(plain);
  return parsed.ok || parsed.message !== "must be a decimal number"
    ? parsed
    : { ok: false, message: AMOUNT_TEXT_MESSAGE };
}

/** Paise → "₹1,00,000.50" with Indian grouping, built from the exact decimal text. */
export function formatRupees(p: Paise): string {
  const text = formatPaise(p);
  const negative = text.startsWith("-");
  const [whole = "0", frac = "00"] = (negative ? text.slice(1) : text).split(".");
  const last3 = whole.slice(-3);
  const rest = whole.slice(0, -3).replace(/\B(?=([0-9]{2})+$)/g, ",");
  return `${negative ? "-" : ""}₹${rest ? `${rest},` : ""}${last3}.${frac}`;
}
