import { formatMoney, minorDigits } from "./currency.js";
import { type Paise, type ParseResult, parseDecimalPlaces } from "./money.js";

/**
 * Amounts as people type them on the forms (the JSON API stays strict): an optional leading
 * currency symbol or code (₹, $, €, £, ¥, "USD "…), and digit grouping either Indian (1,00,000)
 * or international (100,000). Grouping must be consistent — "1,0,0" or "10,00" is refused rather
 * than guessed. Decimal places: the currency's minor digits (INR 2, JPY 0, KWD 3).
 */

/** Indian: the last group has 3 digits, the ones before it 2 (the first 1–2). */
const INDIAN = /^[0-9]{1,2}(?:,[0-9]{2})*,[0-9]{3}$/;
/** International: groups of 3 (the first 1–3). */
const INTERNATIONAL = /^[0-9]{1,3}(?:,[0-9]{3})+$/;
/** A leading symbol or three-letter code, as people copy amounts from receipts. */
const PREFIX = /^(?:[₹$€£¥]|[A-Z]{3}|[A-Z]{1,2}\$)\s*/;

/** The form's message for an amount that does not read, with an example in its currency. */
export function amountTextMessage(currency = "INR"): string {
  if (currency === "INR")
    return "must be an amount such as 1250, 1,250.50 or ₹1,00,000 (at most 2 decimal places)";
  const digits = minorDigits(currency);
  const places = digits === 0 ? "no decimal places" : `at most ${digits} decimal places`;
  return `must be an amount in ${currency} such as 1250 or ${formatMoney(100_000 * 10 ** digits, currency)} (${places})`;
}

/** The INR wording, kept for callers that name it. */
export const AMOUNT_TEXT_MESSAGE = amountTextMessage("INR");

/**
 * "₹ 1,00,000.50" → 10000050 minor units of `currency` (INR by default); "¥1,000" JPY → 1000,
 * "100.5" JPY → refused. `digits` overrides the currency's (percentages and weights: 2). The sign
 * is kept (callers check it).
 */
export function parseAmountText(
  input: string,
  currency = "INR",
  digits = minorDigits(currency),
): ParseResult {
  let text = input.trim();
  let negative = false;
  if (text.startsWith("-")) {
    negative = true;
    text = text.slice(1);
  }
  text = text.replace(PREFIX, "");
  const m = /^([0-9,]+)(\.[0-9]+)?$/.exec(text);
  if (!m) return { ok: false, message: amountTextMessage(currency) };
  const whole = m[1] ?? "";
  if (whole.includes(",") && !INDIAN.test(whole) && !INTERNATIONAL.test(whole))
    return { ok: false, message: "has digit grouping that is neither 1,00,000 nor 100,000" };
  const plain = `${negative ? "-" : ""}${whole.replaceAll(",", "")}${m[2] ?? ""}`;
  const parsed = parseDecimalPlaces(plain, digits);
  return parsed.ok || parsed.message !== "must be a decimal number"
    ? parsed
    : { ok: false, message: amountTextMessage(currency) };
}

/** Minor units → "₹1,00,000.50" (INR by default), "$1,000.00", "¥1,000". */
export function formatRupees(p: Paise, currency = "INR"): string {
  return formatMoney(p, currency);
}
