import type { ExpenseContent } from "../db/repos/expenses.js";
import type { GroupRow } from "../db/repos/groups.js";
import { buildExpense, type ExpenseDefaults, type ExpenseInput } from "../domain/expense-input.js";

// An expense as the API and the pages submit it, validated (purely, by the domain's
// `buildExpense`) into what the ledger stores.

export type { Decimal, ExpenseDefaults, ExpenseInput } from "../domain/expense-input.js";

/**
 * Validates an expense and computes its shares (booked in the group's currency when entered in
 * another at a rate): pure, no I/O. Throws RuleViolation (every issue).
 */
export function toExpenseContent(
  input: ExpenseInput,
  today: string,
  defaults?: ExpenseDefaults,
): ExpenseContent {
  return buildExpense(input, today, defaults);
}

/** Outside a group: APP_CURRENCY unless the input names one; no exchange rate. */
export const appDefaults = (appCurrency: string): ExpenseDefaults => ({
  currency: appCurrency,
  groupCurrency: null,
});

/** In a group: its currency unless the input names one, and an expense in another may be booked in it. */
export const groupDefaults = (group: Pick<GroupRow, "currency">): ExpenseDefaults => ({
  currency: group.currency,
  groupCurrency: group.currency,
});

/**
 * Everyone the input names, each with the field that names them first (for the 422 that says
 * which id is unknown): the payers, then the participants (an ITEMIZED input without
 * participants: the items' participants).
 */
export function involvedFields(input: ExpenseInput): Map<number, string> {
  const fields = new Map<number, string>();
  const add = (id: number, field: string) => {
    if (!fields.has(id)) fields.set(id, field);
  };
  if (input.paid_by !== undefined) add(input.paid_by, "paid_by");
  input.payers?.forEach((p, i) => {
    add(p.userid, `payers[${i}].userid`);
  });
  input.participants?.forEach((id, i) => {
    add(id, `participants[${i}]`);
  });
  input.items?.forEach((item, i) => {
    item.participants.forEach((id, j) => {
      add(id, `items[${i}].participants[${j}]`);
    });
  });
  return fields;
}
