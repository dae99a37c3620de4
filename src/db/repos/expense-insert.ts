import { sql } from "drizzle-orm";
import type { ExpenseDraft } from "../../domain/expense.js";
import { named, param, toDate } from "../named.js";
import { expensePayers, expenseShares, expenses } from "../schema.js";
import type { Executor } from "../types.js";

/** Each share's split value as stored (aligned with the shares; null for EQUAL and ITEMIZED). */
export function lineValues(c: Pick<ExpenseDraft, "shares" | "split">): (number | null)[] {
  const values = c.split.values;
  return c.shares.map((_, i) => (values ? (values[i] ?? null) : null));
}

// Creating an expense is the hottest write: the expense, its payer rows and its share rows go in
// ONE prepared statement (data-modifying CTEs; lines as arrays, so the text is the same for 2 or
// 1000 participants).

type Values = {
  description: string;
  category: string | null;
  notes: string | null;
  amount: number;
  currency: string;
  originalAmount: number | null;
  originalCurrency: string | null;
  exchangeRate: string | null;
  splitType: string;
  items: string | null;
  tax: number | null;
  tip: number | null;
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
      insert into ${expenses} (description, amount_paise, currency, original_amount, original_currency,
                               exchange_rate, split_type, split_items, tax_paise, tip_paise,
                               expense_date, group_id, created_by, category, notes)
      values (${param("description")}, ${param("amount")}, ${param("currency")},
              ${param("originalAmount")}::bigint, ${param("originalCurrency")}::text,
              ${param("exchangeRate")}::numeric, ${param("splitType")},
              ${param("items")}::jsonb, ${param("tax")}::bigint, ${param("tip")}::bigint,
              ${param("date")}, ${param("groupId")}::int, ${param("actor")}::int,
              ${param("category")}::text, ${param("notes")}::text)
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
  c: ExpenseDraft,
  actor: number | null,
): Promise<{ id: number; version: number; createdAt: Date; updatedAt: Date }> {
  const [row] = await insertWithLines.run(db, {
    description: c.description,
    category: c.category ?? null,
    notes: c.notes ?? null,
    amount: c.amount,
    currency: c.currency,
    // Set only for an expense booked at a rate (all three, or none).
    originalAmount: c.original?.amount ?? null,
    originalCurrency: c.original?.currency ?? null,
    exchangeRate: c.original?.rate ?? null,
    splitType: c.split.type,
    // ITEMIZED only: the items as entered (one jsonb value, so still one statement).
    items: c.split.type === "ITEMIZED" ? JSON.stringify(c.split.items ?? []) : null,
    tax: c.split.type === "ITEMIZED" ? (c.split.tax ?? 0) : null,
    tip: c.split.type === "ITEMIZED" ? (c.split.tip ?? 0) : null,
    date: c.date,
    groupId: c.groupId,
    actor,
    payers: c.payers.map((p) => p.userId),
    paid: c.payers.map((p) => p.amount),
    sharers: c.shares.map((s) => s.userId),
    shares: c.shares.map((s) => s.amount),
    splitValues: lineValues(c),
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
