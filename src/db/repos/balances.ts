import { ne, sql } from "drizzle-orm";
import type { LedgerDelta } from "../../domain/debts.js";
import { named, param } from "../named.js";
import { pairBalances, users } from "../schema.js";
import type { Executor } from "../types.js";

/**
 * Adds the deltas to the pairwise balances (one row per pair and currency) in ONE statement. The
 * deltas arrive sorted by (user_a, user_b, currency) and are inserted in that order, so
 * concurrent writers over the same people take row locks in the same order and cannot deadlock;
 * `amount + excluded.amount` is atomic, so no concurrent update is lost.
 */
export async function applyDeltas(db: Executor, deltas: LedgerDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  await upsertPairs.run(db, {
    a: deltas.map((d) => d.userA),
    b: deltas.map((d) => d.userB),
    currency: deltas.map((d) => d.currency),
    owed: deltas.map((d) => d.aOwesB),
  });
}

/**
 * applyDeltas, and the balances between `read.user` and each of `read.others` afterwards, in every
 * currency, in ONE statement (a mail quotes them): the pairs the upsert touched come from its
 * RETURNING (the values after this change), the others from the table. A missing row is 0.
 */
export async function applyDeltasAndRead(
  db: Executor,
  deltas: LedgerDelta[],
  read: { user: number; others: number[] } | null,
): Promise<LedgerDelta[]> {
  if (!read || read.others.length === 0) {
    await applyDeltas(db, deltas);
    return [];
  }
  if (deltas.length === 0) return pairsWith(db, read.user, read.others);
  const rows = await upsertPairsAndRead.run(db, {
    a: deltas.map((d) => d.userA),
    b: deltas.map((d) => d.userB),
    currency: deltas.map((d) => d.currency),
    owed: deltas.map((d) => d.aOwesB),
    user: read.user,
    others: read.others,
  });
  return rows.map(toPair);
}

// One statement text whatever the number of pairs (arrays, not a VALUES row per pair), so it is
// prepared once per connection; `with ordinality` keeps the callers' sorted order.
const upsertPairs = named<{ a: number[]; b: number[]; currency: string[]; owed: number[] }>(
  "pair_balances_add",
  sql`insert into ${pairBalances} (user_a, user_b, currency, a_owes_b_paise)
    select a, b, c, owed
    from unnest(${param("a")}::int[], ${param("b")}::int[], ${param("currency")}::text[], ${param("owed")}::bigint[])
      with ordinality as d(a, b, c, owed, n)
    order by n
    on conflict (user_a, user_b, currency) do update
      set a_owes_b_paise = ${pairBalances}.a_owes_b_paise + excluded.a_owes_b_paise, updated_at = now()`,
);

// The outer select reads the table as it was before the statement (a data-modifying WITH's rows
// are visible only through its RETURNING), so touched pairs are taken from `up` alone.
const upsertPairsAndRead = named<{
  a: number[];
  b: number[];
  currency: string[];
  owed: number[];
  user: number;
  others: number[];
}>(
  "pair_balances_add_read",
  sql`with up as (
      insert into ${pairBalances} (user_a, user_b, currency, a_owes_b_paise)
      select a, b, c, owed
      from unnest(${param("a")}::int[], ${param("b")}::int[], ${param("currency")}::text[], ${param("owed")}::bigint[])
        with ordinality as d(a, b, c, owed, n)
      order by n
      on conflict (user_a, user_b, currency) do update
        set a_owes_b_paise = ${pairBalances}.a_owes_b_paise + excluded.a_owes_b_paise, updated_at = now()
      returning user_a, user_b, currency, a_owes_b_paise
    )
    select user_a, user_b, currency, a_owes_b_paise as a_owes_b from up
    where (user_a = ${param("user")} and user_b = any(${param("others")}::int[]))
       or (user_b = ${param("user")} and user_a = any(${param("others")}::int[]))
    union all
    select p.user_a, p.user_b, p.currency, p.a_owes_b_paise from ${pairBalances} p
    where ((p.user_a = ${param("user")} and p.user_b = any(${param("others")}::int[]))
        or (p.user_b = ${param("user")} and p.user_a = any(${param("others")}::int[])))
      and not exists (select 1 from up
        where up.user_a = p.user_a and up.user_b = p.user_b and up.currency = p.currency)`,
);

const toPair = (r: Record<string, unknown>): LedgerDelta => ({
  userA: Number(r.user_a),
  userB: Number(r.user_b),
  currency: String(r.currency),
  aOwesB: Number(r.a_owes_b),
});

const pairsOfUser = named<{ user: number }>(
  "pair_balances_of_user",
  sql`select user_a, user_b, currency, a_owes_b_paise as a_owes_b from ${pairBalances}
    where (user_a = ${param("user")} or user_b = ${param("user")}) and a_owes_b_paise <> 0`,
);

/** Every non-zero pair (in any currency) the user is part of. */
export async function nonZeroPairsOf(db: Executor, userId: number): Promise<LedgerDelta[]> {
  return (await pairsOfUser.run(db, { user: userId })).map(toPair);
}

const pairsAndNamesOfUser = named<{ user: number }>(
  "pair_balances_with_names",
  sql`select p.user_a, p.user_b, p.currency, p.a_owes_b_paise as a_owes_b, n.name
    from ${users} me
    left join lateral (select user_a, user_b, currency, a_owes_b_paise from ${pairBalances}
      where (user_a = ${param("user")} or user_b = ${param("user")}) and a_owes_b_paise <> 0) p on true
    left join ${users} n on n.id = case when p.user_a = me.id then p.user_b else p.user_a end
    where me.id = ${param("user")}`,
);

/**
 * The user's non-zero pairs (every currency) with the other person's name, in ONE round trip (a
 * balances read was four: user, pairs, names, and each waits for a CPU on a busy machine);
 * undefined when the user does not exist.
 */
export async function pairsWithNamesOf(
  db: Executor,
  userId: number,
): Promise<{ pairs: LedgerDelta[]; names: Map<number, string> } | undefined> {
  const rows = await pairsAndNamesOfUser.run(db, { user: userId });
  if (rows.length === 0) return undefined;
  const pairs: LedgerDelta[] = [];
  const names = new Map<number, string>();
  for (const r of rows) {
    if (r.user_a === null) continue; // the user, without any open balance
    const pair = toPair(r);
    pairs.push(pair);
    names.set(pair.userA === userId ? pair.userB : pair.userA, String(r.name));
  }
  return { pairs, names };
}

/**
 * Every non-zero pair in the connected component of `userId` (users linked by non-zero debts in
 * any currency), found with one recursive query; in (user_a, user_b, currency) order.
 */
export async function componentPairsOf(db: Executor, userId: number): Promise<LedgerDelta[]> {
  const result = (await db.execute(sql`
    with recursive component(uid) as (
      select ${userId}::int
      union
      select case when pb.user_a = c.uid then pb.user_b else pb.user_a end
      from pair_balances pb
      join component c on pb.user_a = c.uid or pb.user_b = c.uid
      where pb.a_owes_b_paise <> 0
    )
    select pb.user_a, pb.user_b, pb.currency, pb.a_owes_b_paise as a_owes_b
    from pair_balances pb
    where pb.a_owes_b_paise <> 0 and pb.user_a in (select uid from component)
    order by pb.user_a, pb.user_b, pb.currency`)) as unknown as {
    rows: Record<string, unknown>[];
  };
  return result.rows.map(toPair);
}

/** All non-zero pairs (ledger verification, weekly summaries). */
export async function allNonZeroPairs(db: Executor): Promise<LedgerDelta[]> {
  return db
    .select({
      userA: pairBalances.userA,
      userB: pairBalances.userB,
      currency: pairBalances.currency,
      aOwesB: pairBalances.aOwesB,
    })
    .from(pairBalances)
    .where(ne(pairBalances.aOwesB, 0))
    .orderBy(pairBalances.userA, pairBalances.userB, pairBalances.currency);
}

const pairsWithUser = named<{ user: number; others: number[] }>(
  "pair_balances_with",
  sql`select user_a, user_b, currency, a_owes_b_paise as a_owes_b from ${pairBalances}
    where (user_a = ${param("user")} and user_b = any(${param("others")}::int[]))
       or (user_b = ${param("user")} and user_a = any(${param("others")}::int[]))`,
);

/**
 * The balances between `userId` and each of `others`, in every currency (one statement); a
 * missing row is 0.
 */
export async function pairsWith(
  db: Executor,
  userId: number,
  others: number[],
): Promise<LedgerDelta[]> {
  if (others.length === 0) return [];
  return (await pairsWithUser.run(db, { user: userId, others })).map(toPair);
}
