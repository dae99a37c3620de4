import { and, asc, eq, gt, isNull, or, sql } from "drizzle-orm";
import { friendships, pairBalances, users } from "../schema.js";
import type { Executor } from "../types.js";

/** Makes two people friends (both directions, one statement); false if they already were. */
export async function befriend(db: Executor, a: number, b: number): Promise<boolean> {
  const rows = await db
    .insert(friendships)
    .values([
      { userId: a, friendId: b },
      { userId: b, friendId: a },
    ])
    .onConflictDoNothing()
    .returning({ userId: friendships.userId });
  return rows.length > 0;
}

/** Ends a friendship (both directions); false if they were not friends. */
export async function unfriend(db: Executor, a: number, b: number): Promise<boolean> {
  const rows = await db
    .delete(friendships)
    .where(
      or(
        and(eq(friendships.userId, a), eq(friendships.friendId, b)),
        and(eq(friendships.userId, b), eq(friendships.friendId, a)),
      ),
    )
    .returning({ userId: friendships.userId });
  return rows.length > 0;
}

export interface FriendRow {
  id: number;
  name: string;
  email: string;
  /**
   * What the friend owes the user in each currency where it is not zero (negative: what the
   * user owes them), minor units, by currency code.
   */
  balances: { currency: string; amount: number }[];
}

/** The user's active friends in id order, each with the pair balances in every currency (one statement). */
export async function listFriendsOf(
  db: Executor,
  userId: number,
  opts: { afterId: number; limit: number },
): Promise<FriendRow[]> {
  // pair_balances: a_owes_b > 0 means user_a owes user_b. Amounts travel as text (bigint).
  const balances = sql<{ currency: string; amount: string }[]>`coalesce((
      select json_agg(json_build_object('currency', ${pairBalances.currency}, 'amount',
        (case when ${pairBalances.userA} = ${userId} then -${pairBalances.aOwesB}
          else ${pairBalances.aOwesB} end)::text) order by ${pairBalances.currency})
      from ${pairBalances}
      where ${pairBalances.userA} = least(${userId}::int, ${users.id})
        and ${pairBalances.userB} = greatest(${userId}::int, ${users.id})
        and ${pairBalances.aOwesB} <> 0), '[]'::json)`;
  const rows = await db
    .select({ id: users.id, name: users.name, email: users.email, balances })
    .from(friendships)
    .innerJoin(users, eq(users.id, friendships.friendId))
    .where(
      and(eq(friendships.userId, userId), gt(users.id, opts.afterId), isNull(users.deactivatedAt)),
    )
    .orderBy(asc(users.id))
    .limit(opts.limit);
  return rows.map((r) => ({
    ...r,
    balances: (typeof r.balances === "string" ? JSON.parse(r.balances) : r.balances).map(
      (b: { currency: string; amount: string }) => ({
        currency: b.currency,
        amount: Number(b.amount),
      }),
    ),
  }));
}
