import { and, asc, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { pairBalances, users } from "../schema.js";
import type { UserRow } from "./users.js";

/**
 * Who a user may see: people they have shared an expense or settlement with (a pair_balances row
 * exists, even at zero) and people one of them invited.
 */
function connectedTo(userId: number) {
  return or(
    eq(users.id, userId),
    eq(users.invitedBy, userId),
    sql`${users.id} = (select u.invited_by from ${users} u where u.id = ${userId})`,
    sql`exists (select 1 from ${pairBalances} pb where (pb.user_a = ${userId} and pb.user_b = ${users.id}) or (pb.user_b = ${userId} and pb.user_a = ${users.id}))`,
  );
}

export async function isConnected(db: Executor, userId: number, otherId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, otherId), connectedTo(userId)));
  return row !== undefined;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The user's connections (and themselves), active, in id order, optionally by name/email prefix. */
export function listConnections(
  db: Executor,
  userId: number,
  opts: { afterId: number; limit: number; prefix?: string | undefined },
): Promise<UserRow[]> {
  const conditions = [isNull(users.deactivatedAt), gt(users.id, opts.afterId), connectedTo(userId)];
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
