import { and, asc, gt, isNull, ne, or, type SQL, sql } from "drizzle-orm";
import { named, param } from "../named.js";
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

/**
 * The same relation as knownIdsOf, as a test of ONE person (`other`, a column or a value):
 * indexed lookups that stop at the first hit, so its cost does not grow with the actor's
 * history. knownIdsOf builds the whole set (every co-participant of every expense the actor ever
 * shared) and suits listing; checks on the write path use this. Cheapest first: self, friendship
 * (primary key), invitation, group co-membership, and last the expenses of `other` (not the
 * actor's: the actor is who records many) probed against the actor by primary key. (A balance
 * row is no shortcut: a settlement between friends leaves one behind after they unfriend.)
 */
export function knows(actorId: SQL | number, otherId: SQL | number): SQL {
  // Typed once: the same parameter is compared with several columns.
  const actor = sql`(${actorId})::int`;
  const other = sql`(${otherId})::int`;
  return sql`(${other} = ${actor}
    or exists (select 1 from ${friendships} f where f.user_id = ${actor} and f.friend_id = ${other})
    or exists (select 1 from ${users} inv where inv.id = ${other} and inv.invited_by = ${actor})
    or exists (select 1 from ${users} me where me.id = ${actor} and me.invited_by = ${other})
    or exists (select 1 from ${groupMembers} ga join ${groupMembers} gb on gb.group_id = ga.group_id
      where ga.user_id = ${actor} and gb.user_id = ${other})
    or exists (select 1 from (
        select expense_id from ${expenseShares} where user_id = ${other}
        union all select expense_id from ${expensePayers} where user_id = ${other}) theirs
      cross join lateral (
        select 1 from ${expenseShares} m where m.expense_id = theirs.expense_id and m.user_id = ${actor}
        union all select 1 from ${expensePayers} m
          where m.expense_id = theirs.expense_id and m.user_id = ${actor}
        limit 1) hit))`;
}

const actorParam = param("actor") as unknown as SQL;

const knownOne = named<{ actor: number; other: number }>(
  "knows_one",
  sql`select id from ${users} where id = ${param("other")} and ${knows(actorParam, sql`${users}.id`)}`,
);

/** Whether `other` exists and the actor knows them (one indexed statement). */
export async function isKnown(db: Executor, actor: number, other: number): Promise<boolean> {
  return (await knownOne.run(db, { actor, other })).length > 0;
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

const knownNames = named<{ actor: number; ids: number[] }>(
  "knows_names_among",
  sql`select u.id, u.name from ${users} u
    where u.id = any(${param("ids")}::int[]) and ${knows(actorParam, sql`u.id`)}`,
);

/** Names of those of `ids` the actor knows (deactivated ones too: history keeps names). */
export async function knownNamesAmong(
  db: Executor,
  actor: number,
  ids: number[],
): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await knownNames.run(db, { actor, ids: [...new Set(ids)] });
  return new Map(rows.map((r) => [Number(r.id), String(r.name)]));
}
