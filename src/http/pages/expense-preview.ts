import { formatRupees, parseAmountText } from "../../domain/amount-text.js";
import { isCurrencyCode } from "../../domain/currency.js";
import { computeShares, type ExpenseSplitSpec } from "../../domain/splits.js";
import type { FormPerson } from "./views.js";

// The shares the form shows before saving, by the same rule saving uses (split.js does the same
// live in the browser).

/** An adjustment as typed: "+50", "−20" (the minus sign) or "-20" → the parser's "-20". */
export const signedText = (text: string): string =>
  text
    .trim()
    .replace(/^\u2212\s*/, "-")
    .replace(/^\+\s*/, "");

/** The value boxes as a spec the preview can split by, or null while one does not read. */
function previewSpec(type: string, values: string[], currency: string): ExpenseSplitSpec | null {
  if (type === "EQUAL") return { type: "EQUAL" };
  if (type !== "SHARES" && type !== "ADJUSTMENT") return null;
  const parsed = values.map((v) =>
    type === "SHARES"
      ? parseAmountText(v, currency, 2) // weights are not money: 2 decimals in any currency
      : parseAmountText(signedText(v), currency),
  );
  if (!parsed.every((p) => p.ok)) return null;
  const v = parsed.map((p) => (p.ok ? p.value : 0));
  return type === "SHARES" ? { type, weights: v } : { type, adjustments: v };
}

/** Each ticked person's share by the saving rule (EQUAL, SHARES, ADJUSTMENT), or none yet. */
export function previewShares(
  amountText: string,
  type: string,
  people: FormPerson[],
  currency: string,
): Map<number, string> {
  if (!isCurrencyCode(currency)) return new Map();
  const amount = parseAmountText(amountText, currency);
  const ticked = people.filter((p) => p.checked);
  const spec = previewSpec(
    type,
    ticked.map((p) => p.value),
    currency,
  );
  if (!amount.ok || ticked.length === 0 || spec === null) return new Map();
  try {
    const shares = computeShares(
      amount.value,
      ticked.map((p) => p.id),
      spec,
    );
    return new Map(shares.map((x) => [x.userId, formatRupees(x.amount, currency)]));
  } catch {
    return new Map(); // not a valid total yet: the messages say why
  }
}
