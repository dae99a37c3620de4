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
  /** What the friend owes the user, in paise (negative: what the user owes them). */
  balance: number;
}

/** The user's active friends in id order, each with the pair balance (one statement). */
export function listFriendsOf(
  db: Executor,
  userId: number,
  opts: { afterId: number; limit: number },
): Promise<FriendRow[]> {
  // pair_balances: a_owes_b > 0 means user_a owes user_b.
  const balance = sql<number>`coalesce(case when ${pairBalances.userA} = ${userId}
      then -${pairBalances.aOwesB} else ${pairBalances.aOwesB} end, 0)`.mapWith(Number);
  return db
    .select({ id: users.id, name: users.name, email: users.email, balance })
    .from(friendships)
    .innerJoin(users, eq(users.id, friendships.friendId))
    .leftJoin(
      pairBalances,
      and(
        eq(pairBalances.userA, sql`least(${userId}::int, ${users.id})`),
        eq(pairBalances.userB, sql`greatest(${userId}::int, ${users.id})`),
      ),
    )
    .where(
      and(eq(friendships.userId, userId), gt(users.id, opts.afterId), isNull(users.deactivatedAt)),
    )
    .orderBy(asc(users.id))
    .limit(opts.limit);
}
