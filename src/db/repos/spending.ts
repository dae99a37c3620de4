import { and, eq, sql } from "drizzle-orm";
import { expenseShares, expenses } from "../schema.js";
import type { Executor } from "../types.js";
import { type ExpenseFilter, expenseConditions } from "./expense-lists.js";

/** One calendar month of a user's expenses: all of their amounts and the user's own shares. */
export interface MonthTotal {
  /** "2026-11" */
  month: string;
  /** Sum of the expenses' amounts (paise). */
  total: number;
  /** Sum of the user's shares in them (paise; 0 where they only paid). */
  yours: number;
  count: number;
}

/**
 * Per-month totals of the live expenses a user is part of (the list's filters apply), for the
 * months from `fromMonth` to `toMonth` ("YYYY-MM", inclusive); months without expenses are absent.
 * One statement, grouped in the database.
 */
export async function monthTotalsOfUser(
  db: Executor,
  userId: number,
  filter: ExpenseFilter,
  range: { fromMonth: string; toMonth: string },
): Promise<MonthTotal[]> {
  const month = sql<string>`to_char(${expenses.expenseDate}, 'YYYY-MM')`;
  const rows = await db
    .select({
      month,
      total: sql<string>`sum(${expenses.amount})`,
      yours: sql<string>`coalesce(sum(${expenseShares.amount}), 0)`,
      count: sql<string>`count(*)`,
    })
    .from(expenses)
    .leftJoin(
      expenseShares,
      and(eq(expenseShares.expenseId, expenses.id), eq(expenseShares.userId, userId)),
    )
    .where(
      and(
        ...expenseConditions(userId, filter),
        sql`${expenses.expenseDate} >= to_date(${range.fromMonth}, 'YYYY-MM')`,
        sql`${expenses.expenseDate} < to_date(${range.toMonth}, 'YYYY-MM') + interval '1 month'`,
      ),
    )
    .groupBy(month)
    .orderBy(month);
  return rows.map((r) => ({
    month: r.month,
    total: Number(r.total),
    yours: Number(r.yours),
    count: Number(r.count),
  }));
}
