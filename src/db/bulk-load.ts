import type { PairDelta } from "../domain/debts.js";
import type { SplitType } from "../domain/split.js";
import type { RawExec } from "./raw.js";

// Bulk loading for `npm run seed`: one statement per table and batch, every column sent as one
// array parameter and unnested server-side (no per-row parameters, no 65,535-parameter limit).

export interface BulkUser {
  name: string;
  email: string;
  mobileNumber: string | null;
}

/** Inserts users; returns their ids in the order given. */
export async function insertUsersBulk(exec: RawExec, users: BulkUser[]): Promise<number[]> {
  const { rows } = await exec(
    `insert into users (name, email, mobile_number)
     select name, email, mobile
     from unnest($1::text[], $2::text[], $3::text[]) with ordinality as u(name, email, mobile, n)
     order by n
     returning id`,
    [users.map((u) => u.name), users.map((u) => u.email), users.map((u) => u.mobileNumber)],
  );
  return rows.map((r) => Number(r.id));
}

export interface BulkExpense {
  description: string;
  amount: number;
  splitType: SplitType;
  date: string;
  payer: number;
  /** Participants with their shares, in order. */
  shares: { userId: number; amount: number }[];
}

/**
 * Inserts expenses (INR: the column's default) with their payer and share rows (three statements). Ids are taken from the
 * identity sequence first, so the lines can name their expense without a round trip per row.
 */
export async function insertExpensesBulk(exec: RawExec, list: BulkExpense[]): Promise<void> {
  if (list.length === 0) return;
  const { rows } = await exec(
    `select nextval(pg_get_serial_sequence('expenses', 'id'))::int as id from generate_series(1, $1::int)`,
    [list.length],
  );
  const ids = rows.map((r) => Number(r.id));
  await exec(
    `insert into expenses (id, description, amount_paise, split_type, expense_date, created_by)
     overriding system value
     select * from unnest($1::int[], $2::text[], $3::bigint[], $4::text[], $5::date[], $6::int[])`,
    [
      ids,
      list.map((e) => e.description),
      list.map((e) => e.amount),
      list.map((e) => e.splitType),
      list.map((e) => e.date),
      list.map((e) => e.payer),
    ],
  );
  await exec(
    `insert into expense_payers (expense_id, user_id, amount_paise)
     select * from unnest($1::int[], $2::int[], $3::bigint[])`,
    [ids, list.map((e) => e.payer), list.map((e) => e.amount)],
  );
  const shareExpense: number[] = [];
  const shareUser: number[] = [];
  const sharePosition: number[] = [];
  const shareAmount: number[] = [];
  list.forEach((e, i) => {
    e.shares.forEach((s, position) => {
      shareExpense.push(ids[i] as number);
      shareUser.push(s.userId);
      sharePosition.push(position);
      shareAmount.push(s.amount);
    });
  });
  await exec(
    `insert into expense_shares (expense_id, user_id, position, amount_paise)
     select * from unnest($1::int[], $2::int[], $3::int[], $4::bigint[])`,
    [shareExpense, shareUser, sharePosition, shareAmount],
  );
}

/**
 * Adds deltas in one currency (the seed's expenses are INR, as they always were) to the pair
 * balances (one statement). Sorted by (user_a, user_b) like every other balance write, so it
 * takes row locks in the same order as the app and cannot deadlock with it.
 */
export async function addPairDeltasBulk(
  exec: RawExec,
  deltas: PairDelta[],
  currency = "INR",
): Promise<void> {
  if (deltas.length === 0) return;
  const sorted = [...deltas].sort((x, y) => x.userA - y.userA || x.userB - y.userB);
  await exec(
    `insert into pair_balances (user_a, user_b, currency, a_owes_b_paise)
     select a, b, $4::text, owed from unnest($1::int[], $2::int[], $3::bigint[]) as d(a, b, owed)
     on conflict (user_a, user_b, currency) do update
       set a_owes_b_paise = pair_balances.a_owes_b_paise + excluded.a_owes_b_paise, updated_at = now()`,
    [sorted.map((d) => d.userA), sorted.map((d) => d.userB), sorted.map((d) => d.aOwesB), currency],
  );
}

/** How many rows the ledger tables hold (progress and bench set-up). */
export async function ledgerCounts(
  exec: RawExec,
): Promise<{ users: number; expenses: number; pairs: number }> {
  const { rows } = await exec(
    `select (select count(*) from users)::int as users, (select count(*) from expenses)::int as expenses,
            (select count(*) from pair_balances)::int as pairs`,
  );
  const r = rows[0] ?? {};
  return { users: Number(r.users), expenses: Number(r.expenses), pairs: Number(r.pairs) };
}

/** Fresh planner statistics after a bulk load (autovacuum would take its time to notice). */
export async function analyzeLedger(exec: RawExec): Promise<void> {
  await exec("analyze users, expenses, expense_payers, expense_shares, pair_balances");
}
