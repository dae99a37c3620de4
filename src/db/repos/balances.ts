import { and, eq, inArray, ne, or, sql } from "drizzle-orm";
import type { PairDelta } from "../../domain/debts.js";
import { pairBalances } from "../schema.js";
import type { Executor } from "../types.js";

/**
 * Adds the deltas to the pairwise balances in ONE statement. The deltas arrive sorted by
 * (user_a, user_b) and are inserted in that order, so concurrent writers over the same people
 * take row locks in the same order and cannot deadlock; `amount + excluded.amount` is atomic,
 * so no concurrent update is lost.
 */
export async function applyDeltas(db: Executor, deltas: PairDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  await db
    .insert(pairBalances)
    .values(deltas.map((d) => ({ userA: d.userA, userB: d.userB, aOwesB: d.aOwesB })))
    .onConflictDoUpdate({
      target: [pairBalances.userA, pairBalances.userB],
      set: {
        aOwesB: sql`${pairBalances.aOwesB} + excluded.a_owes_b_paise`,
        updatedAt: sql`now()`,
      },
    });
}

/** Every non-zero pair the user is part of. */
export async function nonZeroPairsOf(db: Executor, userId: number): Promise<PairDelta[]> {
  const rows = await db
    .select({ userA: pairBalances.userA, userB: pairBalances.userB, aOwesB: pairBalances.aOwesB })
    .from(pairBalances)
    .where(
      and(
        or(eq(pairBalances.userA, userId), eq(pairBalances.userB, userId)),
        ne(pairBalances.aOwesB, 0),
      ),
    );
  return rows;
}

/**
 * Every non-zero pair in the connected component of `userId` (users linked by non-zero debts),
 * found with one recursive query.
 */
export async function componentPairsOf(db: Executor, userId: number): Promise<PairDelta[]> {
  const result = (await db.execute(sql`
    with recursive component(uid) as (
      select ${userId}::int
      union
      select case when pb.user_a = c.uid then pb.user_b else pb.user_a end
      from pair_balances pb
      join component c on pb.user_a = c.uid or pb.user_b = c.uid
      where pb.a_owes_b_paise <> 0
    )
    select pb.user_a, pb.user_b, pb.a_owes_b_paise as a_owes_b
    from pair_balances pb
    where pb.a_owes_b_paise <> 0 and pb.user_a in (select uid from component)
    order by pb.user_a, pb.user_b`)) as unknown as {
    rows: { user_a: number | string; user_b: number | string; a_owes_b: number | string }[];
  };
  return result.rows.map((r) => ({
    userA: Number(r.user_a),
    userB: Number(r.user_b),
    aOwesB: Number(r.a_owes_b),
  }));
}

/** All non-zero pairs (ledger verification). */
export async function allNonZeroPairs(db: Executor): Promise<PairDelta[]> {
  return db
    .select({ userA: pairBalances.userA, userB: pairBalances.userB, aOwesB: pairBalances.aOwesB })
    .from(pairBalances)
    .where(ne(pairBalances.aOwesB, 0))
    .orderBy(pairBalances.userA, pairBalances.userB);
}

/** The balance between `userId` and each of `others` (one statement); missing pairs are 0. */
export async function pairsWith(
  db: Executor,
  userId: number,
  others: number[],
): Promise<PairDelta[]> {
  if (others.length === 0) return [];
  return db
    .select({ userA: pairBalances.userA, userB: pairBalances.userB, aOwesB: pairBalances.aOwesB })
    .from(pairBalances)
    .where(
      or(
        and(eq(pairBalances.userA, userId), inArray(pairBalances.userB, others)),
        and(eq(pairBalances.userB, userId), inArray(pairBalances.userA, others)),
      ),
    );
}
