import type { ExpenseRecord } from "../../db/repos/expenses.js";
import { formatPaise } from "../../domain/money.js";
import type { AppContext } from "../../services/context.js";
import { getExpenseWithAccess } from "../../services/expenses.js";
import { namesByIds } from "../../services/people.js";
import { formatDate, formatInr, formatTimestamp } from "./format.js";
import type { ExpenseDetailView, ExpenseListItem } from "./views.js";

/** View models of the expense pages: what the list and the detail page show, from the viewer's side. */

/** One row of the list; `names` holds the payers' names. */
export function expenseListItem(
  e: ExpenseRecord,
  me: number,
  names: Map<number, string>,
): ExpenseListItem {
  const payer = e.payers[0]?.userId ?? 0;
  const mine = e.shares.find((s) => s.userId === me)?.amount ?? 0;
  const lent = payer === me ? e.amount - mine : 0;
  const [yourPart, partTone]: [string, ExpenseListItem["partTone"]] =
    payer === me
      ? lent > 0
        ? [`you lent ${formatInr(lent)}`, "lent"]
        : ["only your own share", "none"]
      : mine > 0
        ? [`you borrowed ${formatInr(mine)}`, "borrowed"]
        : ["not your share", "none"];
  return {
    id: e.id,
    description: e.description,
    date: formatDate(e.date),
    amountText: formatInr(e.amount),
    payerName: payer === me ? "You" : (names.get(payer) ?? `User ${payer}`),
    yourPart,
    partTone,
  };
}

/**
 * The detail page (also the delete confirmation): shares, who added and last changed it, and
 * whether the viewer may change it (the API's own rule), so only allowed actions are offered.
 */
export async function expenseDetail(
  ctx: AppContext,
  id: number,
  me: number,
): Promise<ExpenseDetailView> {
  const { expense, canChange } = await getExpenseWithAccess(ctx, id, me);
  return detailOf(ctx, expense, me, canChange);
}

/** The detail view of an expense already read (and checked visible to `me`). */
export async function detailOf(
  ctx: AppContext,
  e: ExpenseRecord,
  me: number,
  canChange: boolean,
): Promise<ExpenseDetailView> {
  const payer = e.payers[0]?.userId ?? 0;
  const ids = [payer, ...e.shares.map((s) => s.userId), e.createdBy ?? 0, e.updatedBy ?? 0];
  const names = await namesByIds(ctx, ids);
  const who = (id: number | null) =>
    id === null ? "someone" : id === me ? "you" : (names.get(id) ?? `User ${id}`);
  const tz = ctx.config.APP_TIMEZONE;
  const edited = e.version > 1 || e.updatedBy !== null;
  return {
    id: e.id,
    version: e.version,
    description: e.description,
    date: formatDate(e.date),
    amountText: formatInr(e.amount),
    splitType: e.splitType,
    payerName: payer === me ? "You" : who(payer),
    shares: e.shares.map((s) => ({
      name: s.userId === me ? "You" : who(s.userId),
      amountText: formatInr(s.amount),
      valueText:
        e.splitType === "PERCENTAGE"
          ? `${formatPaise(s.splitValue ?? 0)}%`
          : e.splitType === "EXACT"
            ? formatInr(s.splitValue ?? 0)
            : null,
    })),
    createdText: `Added by ${who(e.createdBy)} on ${formatTimestamp(e.createdAt, tz)}`,
    updatedText: edited
      ? `Last changed by ${who(e.updatedBy)} on ${formatTimestamp(e.updatedAt, tz)}`
      : null,
    canChange,
  };
}
