import type { ExpenseRecord } from "../../db/repos/expenses.js";
import { formatPaise } from "../../domain/money.js";
import type { ExpenseSplitType } from "../../domain/splits.js";
import type { AppContext } from "../../services/context.js";
import { getExpenseWithAccess } from "../../services/expense-reads.js";
import { namesByIds } from "../../services/people.js";
import { formatAmount, formatDate, formatTimestamp } from "./format.js";
import type { ExpenseDetailView, ExpenseListItem } from "./views.js";

/** View models of the expense pages: what the list and the detail page show, from the viewer's side. */

/** "You", "Asha", "You and Bela", "Asha, Bela and Chen": who paid, from the viewer's side. */
export function payersText(
  e: Pick<ExpenseRecord, "payers">,
  me: number,
  names: Map<number, string>,
): string {
  const ids = [...e.payers.map((p) => p.userId)].sort(
    (a, b) => Number(b === me) - Number(a === me),
  );
  const each = ids.map((id) => (id === me ? "You" : (names.get(id) ?? `User ${id}`)));
  return each.length <= 1
    ? (each[0] ?? "")
    : `${each.slice(0, -1).join(", ")} and ${each.at(-1) ?? ""}`;
}

/** Every payer's id (for the names a list needs). */
export const payerIds = (list: Pick<ExpenseRecord, "payers">[]): number[] =>
  list.flatMap((e) => e.payers.map((p) => p.userId));

/** One row of the list; `names` holds the payers' names. */
export function expenseListItem(
  e: ExpenseRecord,
  me: number,
  names: Map<number, string>,
): ExpenseListItem {
  const paid = e.payers.find((p) => p.userId === me)?.amount ?? 0;
  const mine = e.shares.find((s) => s.userId === me)?.amount ?? 0;
  // What the expense does to the viewer's balance: paid − share (several payers too).
  const net = paid - mine;
  const formatInr = (minor: number) => formatAmount(minor, e.currency);
  const [yourPart, partTone]: [string, ExpenseListItem["partTone"]] =
    net > 0
      ? [`you lent ${formatInr(net)}`, "lent"]
      : net < 0
        ? [`you borrowed ${formatInr(-net)}`, "borrowed"]
        : paid > 0
          ? ["only your own share", "none"]
          : ["not your share", "none"];
  return {
    id: e.id,
    description: e.description,
    category: e.category ?? null,
    date: formatDate(e.date),
    amountText: formatInr(e.amount),
    payerName: payersText(e, me, names),
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
  const items = e.split.type === "ITEMIZED" ? (e.split.items ?? []) : [];
  const ids = [
    ...payerIds([e]),
    ...e.shares.map((s) => s.userId),
    ...items.flatMap((i) => i.participants),
    e.createdBy ?? 0,
    e.updatedBy ?? 0,
  ];
  const names = await namesByIds(ctx, ids);
  const who = (id: number | null) =>
    id === null ? "someone" : id === me ? "you" : (names.get(id) ?? `User ${id}`);
  const person = (id: number) => (id === me ? "You" : who(id));
  const tz = ctx.config.APP_TIMEZONE;
  const edited = e.version > 1 || e.updatedBy !== null;
  const values = e.split.values;
  const formatInr = (minor: number) => formatAmount(minor, e.currency);
  const o = e.original;
  return {
    id: e.id,
    version: e.version,
    description: e.description,
    category: e.category ?? null,
    notes: e.notes ?? null,
    date: formatDate(e.date),
    amountText: formatInr(e.amount),
    // Entered in another currency and booked at a rate: what was typed, and the rate.
    originalText: o
      ? `Entered as ${formatAmount(o.amount, o.currency)} at 1 ${o.currency} = ${o.rate} ${e.currency}`
      : null,
    splitType: e.split.type,
    payerName: payersText(e, me, names),
    payers:
      e.payers.length > 1
        ? e.payers.map((p) => ({ name: person(p.userId), amountText: formatInr(p.amount) }))
        : null,
    shares: e.shares.map((s, i) => ({
      name: person(s.userId),
      amountText: formatInr(s.amount),
      valueText: valueText(e.split.type, values?.[i], e.currency),
    })),
    items:
      e.split.type === "ITEMIZED"
        ? items.map((i) => ({
            description: i.description,
            amountText: formatInr(i.amount),
            people: i.participants.map(person).join(", "),
          }))
        : null,
    taxText: e.split.type === "ITEMIZED" ? formatInr(e.split.tax ?? 0) : null,
    tipText: e.split.type === "ITEMIZED" ? formatInr(e.split.tip ?? 0) : null,
    createdText: `Added by ${who(e.createdBy)} on ${formatTimestamp(e.createdAt, tz)}`,
    updatedText: edited
      ? `Last changed by ${who(e.updatedBy)} on ${formatTimestamp(e.updatedAt, tz)}`
      : null,
    canChange,
  };
}

/** A share's value as entered, in the split type's own terms; null when it has none. */
function valueText(type: ExpenseSplitType, v: number | undefined, currency: string): string | null {
  if (v === undefined) return null;
  const formatInr = (minor: number) => formatAmount(minor, currency);
  switch (type) {
    case "PERCENTAGE":
      return `${formatPaise(v)}%`;
    case "EXACT":
      return formatInr(v);
    case "SHARES":
      return `${formatPaise(v)} × share`;
    case "ADJUSTMENT":
      return v < 0 ? `− ${formatInr(-v)}` : `+ ${formatInr(v)}`;
    default:
      return null;
  }
}
