import type { ExpenseContent } from "../db/repos/expenses.js";
import { RuleViolation } from "../domain/errors.js";
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
  // Until balances are kept per currency, the ledger takes INR only (as before).
  if (input.currency !== undefined && input.currency !== "INR")
    throw new RuleViolation("The expense is not valid", [
      { field: "currency", message: "only INR is supported" },
    ]);
  return buildExpense(input, today, defaults);
}

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
