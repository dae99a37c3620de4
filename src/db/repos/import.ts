import { and, eq, sql } from "drizzle-orm";
import type { SplitType } from "../../domain/split.js";
import { named, param } from "../named.js";
import { expensePayers, expenseShares, expenses, imports, settlements } from "../schema.js";
import type { Executor } from "../types.js";

// Writes of POST /groups/import: a whole group's history at once. Every statement takes its rows
// as column arrays unnested server-side, so its text is the same for 1 or 10,000 rows (prepared
// once per connection) and no parameter limit applies.

/** Whether `userId` has imported a file with this SHA-256 before. */
export async function hasImported(db: Executor, userId: number, sha256: string): Promise<boolean> {
  const [row] = await db
    .select({ id: imports.id })
    .from(imports)
    .where(and(eq(imports.userId, userId), eq(imports.sha256, sha256)))
    .limit(1);
  return row !== undefined;
}

/**
 * Holds imports of this file by this user back until the caller's transaction ends: of the same
 * file sent twice at once, the second then finds the first's `imports` row (`hasImported` again,
 * after this) instead of importing it a second time.
 */
export async function lockImportsOf(db: Executor, userId: number, sha256: string): Promise<void> {
  await db.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`import:${userId}:${sha256}`}, 0))`,
  );
}

export async function recordImport(
  db: Executor,
  r: { userId: number; sha256: string; format: string; groupId: number },
): Promise<void> {
  await db.insert(imports).values(r);
}

export interface ImportedExpense {
  description: string;
  category: string | null;
  notes: string | null;
  amount: number;
  currency: string;
  /** Entered in `original.currency` and booked at `original.rate` (1 unit in `currency`). */
  original: { amount: number; currency: string; rate: string } | null;
  splitType: SplitType;
  date: string;
  payers: { userId: number; amount: number }[];
  shares: { userId: number; amount: number; splitValue: number | null }[];
}

const takeIds = named<{ table: string; n: number }>(
  "import_take_ids",
  sql`select nextval(pg_get_serial_sequence(${param("table")}::text, 'id'))::int as id
    from generate_series(1, ${param("n")}::int)`,
);

/** `n` ids of `table`'s identity, in order, so the rows' lines and activity can name them. */
const idsOf = async (db: Executor, table: "expenses" | "settlements", n: number) =>
  (await takeIds.run(db, { table, n })).map((r) => Number(r.id));

const insertExpenses = named<{
  ids: number[];
  description: string[];
  category: (string | null)[];
  notes: (string | null)[];
  amount: number[];
  currency: string[];
  originalAmount: (number | null)[];
  originalCurrency: (string | null)[];
  exchangeRate: (string | null)[];
  splitType: string[];
  date: string[];
  groupId: number;
  actor: number;
}>(
  "import_expenses",
  sql`insert into ${expenses}
      (id, description, amount_paise, currency, original_amount, original_currency, exchange_rate,
       split_type, expense_date, group_id, created_by, category, notes)
    overriding system value
    select id, d, a, c, oa, oc, r, t, dt, ${param("groupId")}::int, ${param("actor")}::int, cat, n
    from unnest(${param("ids")}::int[], ${param("description")}::text[], ${param("amount")}::bigint[],
                ${param("currency")}::text[], ${param("originalAmount")}::bigint[],
                ${param("originalCurrency")}::text[], ${param("exchangeRate")}::numeric[],
                ${param("splitType")}::text[], ${param("date")}::date[],
                ${param("category")}::text[], ${param("notes")}::text[])
      as x(id, d, a, c, oa, oc, r, t, dt, cat, n)`,
);

const insertPayers = named<{ expense: number[]; user: number[]; amount: number[] }>(
  "import_expense_payers",
  sql`insert into ${expensePayers} (expense_id, user_id, amount_paise)
    select * from unnest(${param("expense")}::int[], ${param("user")}::int[], ${param("amount")}::bigint[])`,
);

const insertShares = named<{
  expense: number[];
  user: number[];
  position: number[];
  amount: number[];
  value: (number | null)[];
}>(
  "import_expense_shares",
  sql`insert into ${expenseShares} (expense_id, user_id, position, amount_paise, split_value)
    select * from unnest(${param("expense")}::int[], ${param("user")}::int[], ${param("position")}::int[],
                         ${param("amount")}::bigint[], ${param("value")}::bigint[])`,
);

/**
 * Inserts a group's expenses with their payer and share rows: four statements for any number
 * (ids are taken from the identity sequence first so the lines can name their expense).
 * Returns the expenses' ids, in order.
 */
export async function insertExpensesOfGroup(
  db: Executor,
  groupId: number,
  actor: number,
  list: ImportedExpense[],
): Promise<number[]> {
  if (list.length === 0) return [];
  const ids = await idsOf(db, "expenses", list.length);
  await insertExpenses.run(db, {
    ids,
    description: list.map((e) => e.description),
    category: list.map((e) => e.category),
    notes: list.map((e) => e.notes),
    amount: list.map((e) => e.amount),
    currency: list.map((e) => e.currency),
    originalAmount: list.map((e) => e.original?.amount ?? null),
    originalCurrency: list.map((e) => e.original?.currency ?? null),
    exchangeRate: list.map((e) => e.original?.rate ?? null),
    splitType: list.map((e) => e.splitType),
    date: list.map((e) => e.date),
    groupId,
    actor,
  });
  const payers = { expense: [] as number[], user: [] as number[], amount: [] as number[] };
  const shares = {
    expense: [] as number[],
    user: [] as number[],
    position: [] as number[],
    amount: [] as number[],
    value: [] as (number | null)[],
  };
  list.forEach((e, i) => {
    const id = ids[i] as number;
    for (const p of e.payers) {
      payers.expense.push(id);
      payers.user.push(p.userId);
      payers.amount.push(p.amount);
    }
    e.shares.forEach((s, position) => {
      shares.expense.push(id);
      shares.user.push(s.userId);
      shares.position.push(position);
      shares.amount.push(s.amount);
      shares.value.push(s.splitValue);
    });
  });
  await insertPayers.run(db, payers);
  await insertShares.run(db, shares);
  return ids;
}

const insertSettlements = named<{
  ids: number[];
  from: number[];
  to: number[];
  amount: number[];
  currency: string[];
  note: (string | null)[];
  groupId: number;
  actor: number;
}>(
  "import_settlements",
  sql`insert into ${settlements}
      (id, from_user, to_user, amount_paise, currency, group_id, created_by, note)
    overriding system value
    select id, f, t, a, c, ${param("groupId")}::int, ${param("actor")}::int, n
    from unnest(${param("ids")}::int[], ${param("from")}::int[], ${param("to")}::int[],
                ${param("amount")}::bigint[], ${param("currency")}::text[], ${param("note")}::text[])
      as x(id, f, t, a, c, n)`,
);

/** Inserts a group's settlements in the given order (two statements); returns their ids. */
export async function insertSettlementsOfGroup(
  db: Executor,
  groupId: number,
  actor: number,
  list: {
    fromUser: number;
    toUser: number;
    amount: number;
    currency: string;
    note: string | null;
  }[],
): Promise<number[]> {
  if (list.length === 0) return [];
  const ids = await idsOf(db, "settlements", list.length);
  await insertSettlements.run(db, {
    ids,
    from: list.map((s) => s.fromUser),
    to: list.map((s) => s.toUser),
    amount: list.map((s) => s.amount),
    currency: list.map((s) => s.currency),
    note: list.map((s) => s.note),
    groupId,
    actor,
  });
  return ids;
}
