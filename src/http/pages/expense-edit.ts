import type { ExpenseRecord } from "../../db/repos/expenses.js";
import { formatRupees } from "../../domain/amount-text.js";
import { unbookExpense } from "../../domain/booking.js";
import { formatMinor } from "../../domain/currency.js";
import type { ExpenseDraft } from "../../domain/expense.js";
import { formatPaise } from "../../domain/money.js";
import { paidBy } from "../../domain/payers.js";
import type { AppContext } from "../../services/context.js";
import type { ExpenseFormState, FormTarget } from "./expense-form.js";
import { itemizedValues, itemRowsOf } from "./expense-items.js";
import { formPeople } from "./expense-people.js";
import { textValuesOf } from "./expense-text.js";

/**
 * The edit form of a stored expense, filled in as it was entered. One booked in its group's
 * currency at an exchange rate shows what was typed — the amount and currency entered, the rate,
 * and every amount in the currency entered (`unbookExpense`) — so saving it unchanged books the
 * same amounts again. When the booked amounts cannot be taken back exactly, the form shows them as
 * booked, in the group's currency, and says so.
 */

export const editTarget = (e: ExpenseRecord): FormTarget => ({
  mode: "edit",
  action: `/app/expenses/${e.id}/edit`,
  expenseId: e.id,
  version: e.version,
});

/** Why a booked expense is shown in the group's currency (its entry did not come back exactly). */
function bookedNotice(e: ExpenseRecord): string | null {
  const o = e.original;
  if (!o) return null;
  return `Entered as ${formatRupees(o.amount, o.currency)} at 1 ${o.currency} = ${o.rate} ${e.currency}; its amounts are shown as booked in ${e.currency}, as they cannot be taken back to ${o.currency} exactly. Saving keeps them in ${e.currency}.`;
}

export async function editFormOf(
  ctx: AppContext,
  e: ExpenseRecord,
  me: number,
): Promise<ExpenseFormState> {
  const entered = unbookExpense(e);
  // Every amount below is in `shown.currency`: the one entered, or (not recoverable) the booked.
  const shown: ExpenseDraft = entered ?? e;
  const payer = paidBy(shown.payers);
  const shares = new Map(shown.shares.map((s) => [s.userId, s]));
  const paid = new Map(shown.payers.map((p) => [p.userId, p.amount]));
  const people = await formPeople(
    ctx,
    me,
    [...paid.keys(), ...shares.keys()],
    new Set(shares.keys()),
    (id) => {
      const i = shown.shares.findIndex((s) => s.userId === id);
      const v = i < 0 ? undefined : shown.split.values?.[i];
      if (v === undefined) return "";
      // Exact amounts and adjustments are money in the expense's currency; the rest hundredths.
      const money = shown.split.type === "EXACT" || shown.split.type === "ADJUSTMENT";
      return money ? formatMinor(v, shown.currency) : formatPaise(v);
    },
    (id) => {
      const v = payer !== null ? undefined : paid.get(id);
      return v === undefined ? "" : formatMinor(v, shown.currency);
    },
    [...shares.keys(), ...paid.keys()],
  );
  return {
    target: editTarget(e),
    values: {
      description: e.description,
      amount: formatMinor(shown.amount, shown.currency),
      currency: shown.currency,
      // The rate it was booked at, so saving books it again (only with the amounts entered).
      exchange_rate: entered && e.original ? e.original.rate : "",
      date: e.date,
      // Several payers: the select starts at you; the "Paid" boxes count.
      paid_by: String(payer ?? me),
      payer_mode: payer === null ? "several" : "one",
      split_type: e.split.type,
      email: "",
      // Shown only: saving an edit keeps the expense's group (the POST route).
      group_id: e.groupId === null ? "" : String(e.groupId),
      ...itemizedValues(shown),
      ...textValuesOf(e),
    },
    people,
    items: itemRowsOf(shown),
    notice: entered ? null : bookedNotice(e),
  };
}
