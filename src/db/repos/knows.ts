import { and, asc, eq, gt, inArray, isNull, ne, or, type SQL, sql } from "drizzle-orm";
import { expensePayers, expenseShares, friendships, groupMembers, users } from "../schema.js";
import type { Executor } from "../types.js";

type UserRow = typeof users.$inferSelect;

/**
 * THE relation "people the actor knows", in one place: themselves, their friends (friendships:
 * POST /friends, invitations, settlements along a plan), whoever invited them or was invited by
 * them, and everyone they share an expense with as payer or participant (a deleted expense still
 * counts), and everyone they share a group with (co-members, past ones included: like a deleted
 * expense, a left group keeps its history and its names). Only these may be seen in full
 * (GET /users/{id}) or added to the actor's expenses, settlements and groups.
 *
 * An uncorrelated subquery, so PostgreSQL computes the set once per statement (hashed), whatever
 * the number of ids checked against it: checking 1000 participants stays one statement.
 */
export function knownIdsOf(actor: number): SQL {
  const mine = sql`(select ${expenseShares.expenseId} from ${expenseShares} where ${expenseShares.userId} = ${actor}
      union select ${expensePayers.expenseId} from ${expensePayers} where ${expensePayers.userId} = ${actor})`;
  return sql`(
    select ${actor}::int
    union select ${friendships.friendId} from ${friendships} where ${friendships.userId} = ${actor}
    union select inv.id from ${users} inv where inv.invited_by = ${actor}
    union select me.invited_by from ${users} me where me.id = ${actor} and me.invited_by is not null
    union select ${expenseShares.userId} from ${expenseShares} where ${expenseShares.expenseId} in ${mine}
    union select ${expensePayers.userId} from ${expensePayers} where ${expensePayers.expenseId} in ${mine}
    union select ${groupMembers.userId} from ${groupMembers} where ${groupMembers.groupId} in
      (select ${groupMembers.groupId} from ${groupMembers} where ${groupMembers.userId} = ${actor}))`;
}

const isKnownBy = (actor: number) => sql`${users.id} in ${knownIdsOf(actor)}`;

export async function isKnown(db: Executor, actor: number, other: number): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, other), isKnownBy(actor)));
  return row !== undefined;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The people the actor knows (and themselves), active, in id order, optionally by name/email prefix. */
export function listKnown(
  db: Executor,
  actor: number,
  opts: { afterId: number; limit: number; prefix?: string | undefined },
): Promise<UserRow[]> {
  const conditions: (SQL | undefined)[] = [
    isNull(users.deactivatedAt),
    gt(users.id, opts.afterId),
    isKnownBy(actor),
  ];
  if (opts.prefix) {
    const pattern = `${escapeLike(opts.prefix.toLowerCase())}%`;
    conditions.push(
      or(sql`lower(${users.name}) like ${pattern}`, sql`lower(${users.email}) like ${pattern}`),
    );
  }
  return db
    .select()
    .from(users)
    .where(and(...conditions))
    .orderBy(asc(users.id))
    .limit(opts.limit);
}

/** Active people the actor knows (not themselves), by name: whom the pages offer. */
export function activeKnownPeople(
  db: Executor,
  actor: number,
): Promise<{ id: number; name: string; email: string }[]> {
  return db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(and(isKnownBy(actor), ne(users.id, actor), isNull(users.deactivatedAt)))
    .orderBy(asc(users.name), asc(users.id));
}

/** Names of those of `ids` the actor knows (deactivated ones too: history keeps names). */
export async function knownNamesAmong(
  db: Executor,
  actor: number,
  ids: number[],
): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(inArray(users.id, [...new Set(ids)]), isKnownBy(actor)));
  return new Map(rows.map((r) => [r.id, r.name]));
}
