import { and, eq, sql } from "drizzle-orm";
import { expenseShares, expenses } from "../schema.js";
import type { Executor } from "../types.js";
import { type ExpenseFilter, expenseConditions } from "./expense-lists.js";

/** One currency's part of a month: its expenses' amounts and the user's shares in them. */
export interface CurrencyTotal {
  currency: string;
  /** Sum of the expenses' amounts (minor units of `currency`). */
  total: number;
  /** Sum of the user's shares in them (0 where they only paid). */
  yours: number;
  count: number;
}

/** One calendar month of a user's expenses, per currency: amounts are never added across. */
export interface MonthTotal {
  /** "2026-11" */
  month: string;
  /** Every currency with expenses that month, by code. */
  currencies: CurrencyTotal[];
  /** The month's expenses in all currencies (a count, not money). */
  count: number;
}

/**
 * Per-month totals of the live expenses a user is part of (the list's filters apply), for the
 * months from `fromMonth` to `toMonth` ("YYYY-MM", inclusive), each currency apart; months
 * without expenses are absent. One statement, grouped in the database.
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
      currency: expenses.currency,
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
    .groupBy(month, expenses.currency)
    .orderBy(month, expenses.currency);
  const months: MonthTotal[] = [];
  for (const r of rows) {
    let m = months.at(-1);
    if (m?.month !== r.month) {
      m = { month: r.month, currencies: [], count: 0 };
      months.push(m);
    }
    const count = Number(r.count);
    m.currencies.push({
      currency: r.currency,
      total: Number(r.total),
      yours: Number(r.yours),
      count,
    });
    m.count += count;
  }
  return months;
}
