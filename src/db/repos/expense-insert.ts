import { sql } from "drizzle-orm";
import type { SplitType } from "../../domain/split.js";
import { named, param, toDate } from "../named.js";
import { expensePayers, expenseShares, expenses } from "../schema.js";
import type { Executor } from "../types.js";

/** What the statement needs of an expense (ExpenseContent in ./expenses.ts fits). */
export interface NewExpense {
  description: string;
  amount: number;
  currency: string;
  splitType: SplitType;
  date: string;
  groupId: number | null;
  payers: { userId: number; amount: number }[];
  shares: { userId: number; amount: number; splitValue: number | null }[];
}

// Creating an expense is the hottest write: the expense, its payer rows and its share rows go in
// ONE prepared statement (data-modifying CTEs; lines as arrays, so the text is the same for 2 or
// 1000 participants).

type Values = {
  description: string;
  amount: number;
  currency: string;
  splitType: SplitType;
  date: string;
  groupId: number | null;
  actor: number | null;
  payers: number[];
  paid: number[];
  sharers: number[];
  shares: number[];
  splitValues: (number | null)[];
};

const insertWithLines = named<Values>(
  "expense_insert_with_lines",
  sql`with e as (
      insert into ${expenses} (description, amount_paise, currency, split_type, expense_date, group_id, created_by)
      values (${param("description")}, ${param("amount")}, ${param("currency")}, ${param("splitType")},
              ${param("date")}, ${param("groupId")}::int, ${param("actor")}::int)
      returning id, version, created_at, updated_at
    ), p as (
      insert into ${expensePayers} (expense_id, user_id, amount_paise)
      select e.id, l.u, l.a from e, unnest(${param("payers")}::int[], ${param("paid")}::bigint[]) as l(u, a)
    ), s as (
      insert into ${expenseShares} (expense_id, user_id, position, amount_paise, split_value)
      select e.id, l.u, l.n - 1, l.a, l.v
      from e, unnest(${param("sharers")}::int[], ${param("shares")}::bigint[], ${param("splitValues")}::bigint[])
        with ordinality as l(u, a, v, n)
    )
    select id, version, created_at, updated_at from e`,
);

/** Inserts the expense and its lines; returns what the database chose (id, version, times). */
export async function insertExpenseWithLines(
  db: Executor,
  c: NewExpense,
  actor: number | null,
): Promise<{ id: number; version: number; createdAt: Date; updatedAt: Date }> {
  const [row] = await insertWithLines.run(db, {
    description: c.description,
    amount: c.amount,
    currency: c.currency,
    splitType: c.splitType,
    date: c.date,
    groupId: c.groupId,
    actor,
    payers: c.payers.map((p) => p.userId),
    paid: c.payers.map((p) => p.amount),
    sharers: c.shares.map((s) => s.userId),
    shares: c.shares.map((s) => s.amount),
    splitValues: c.shares.map((s) => s.splitValue),
  });
  if (!row) throw new Error("insert returned no row");
  const createdAt = toDate(row.created_at) as Date;
  return {
    id: Number(row.id),
    version: Number(row.version),
    createdAt,
    updatedAt: toDate(row.updated_at) ?? createdAt,
  };
}
