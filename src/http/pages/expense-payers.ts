import { formatRupees } from "../../domain/amount-text.js";
import { parseAmount } from "../../domain/currency.js";
import type { FieldIssue } from "../../domain/errors.js";

/**
 * "Several people paid" on the expense form: one "Paid" box per person, sent as the API's
 * `payers` (people with an empty box paid nothing). Without JavaScript the form shows both the
 * one-payer select and the boxes; the `payer_mode` radio says which one counts.
 */

export type PayerMode = "one" | "several";

export const payerModeOf = (text: string): PayerMode => (text === "several" ? "several" : "one");

/** Who paid, in the form's row order: everyone whose "Paid" box is filled in. */
export const payerIdsOf = (rowOrder: number[], paidText: (id: number) => string): number[] =>
  rowOrder.filter((id) => paidText(id) !== "");

/** `payers[i].amount` / `payers[i].userid` → that person's "Paid" box. */
export function payerKeyOf(field: string, payerIds: number[]): string | null {
  if (field === "payers") return "payers";
  const m = /^payers\[(\d+)\]/.exec(field);
  return m ? `paid_${payerIds[Number(m[1])]}` : null;
}

/** The domain's sums message in the form's words, both sums in the currency with grouping. */
export function payerWording(issue: FieldIssue, currency: string): FieldIssue {
  if (issue.field !== "payers") return issue;
  const sums = /^payments add up to (-?[0-9.]+), not the expense amount (-?[0-9.]+)$/.exec(
    issue.message,
  );
  if (sums) {
    const paid = parseAmount(sums[1] ?? "", currency);
    const total = parseAmount(sums[2] ?? "", currency);
    if (paid.ok && total.ok)
      return {
        ...issue,
        message: `the payers add up to ${formatRupees(paid.value, currency)}; the amount is ${formatRupees(total.value, currency)}`,
      };
  }
  if (/^must name 1 to/.test(issue.message))
    return { ...issue, message: "enter what each person paid (leave the others empty)" };
  return issue;
}
