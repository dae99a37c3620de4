import type { ExpenseFilter } from "../db/repos/expense-lists.js";
import { type CurrencyTotal, type MonthTotal, monthTotalsOfUser } from "../db/repos/spending.js";
import { assertSelf } from "./access.js";
import type { AppContext } from "./context.js";

export type { CurrencyTotal, MonthTotal };

/** "2026-11" plus `delta` months, e.g. ("2026-01", -1) → "2025-12". */
export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split("-").map(Number);
  const index = (y ?? 1970) * 12 + (m ?? 1) - 1 + delta;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/**
 * Per-month totals of a user's own expenses (only the user may ask), oldest month first, each
 * currency apart.
 */
export function monthTotals(
  ctx: AppContext,
  userId: number,
  filter: ExpenseFilter,
  range: { fromMonth: string; toMonth: string },
  actor: number,
): Promise<MonthTotal[]> {
  assertSelf(actor, userId);
  return monthTotalsOfUser(ctx.db, userId, filter, range);
}

/**
 * The last `count` months up to `toMonth`, every month present (0 where nothing was spent):
 * what a spending chart draws.
 */
export async function recentMonths(
  ctx: AppContext,
  userId: number,
  toMonth: string,
  count: number,
  actor: number,
): Promise<MonthTotal[]> {
  const fromMonth = addMonths(toMonth, 1 - count);
  const found = new Map(
    (await monthTotals(ctx, userId, {}, { fromMonth, toMonth }, actor)).map((m) => [m.month, m]),
  );
  return Array.from({ length: count }, (_, i) => {
    const month = addMonths(fromMonth, i);
    return found.get(month) ?? { month, currencies: [], count: 0 };
  });
}
