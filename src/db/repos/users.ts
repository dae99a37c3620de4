import { and, asc, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { users } from "../schema.js";

export type UserRow = typeof users.$inferSelect;

export async function insertUser(
  db: Executor,
  u: { name: string; email: string; mobileNumber: string },
): Promise<UserRow> {
  const [row] = await db.insert(users).values(u).returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

export async function findUser(db: Executor, id: number): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

/** Locks one user row for an update that depends on the user's balances (deactivation). */
export async function lockUserForUpdate(db: Executor, id: number): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).for("update");
  return row;
}

/**
 * Share-locks the given users (in id order, one statement) so that none can be deactivated
 * while a transaction moves money involving them. Returns the rows found.
 */
export async function lockUsersForShare(
  db: Executor,
  ids: number[],
): Promise<Pick<UserRow, "id" | "name" | "deactivatedAt">[]> {
  if (ids.length === 0) return [];
  return db
    .select({ id: users.id, name: users.name, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(inArray(users.id, ids))
    .orderBy(asc(users.id))
    .for("share");
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Active users in id order after `afterId`, optionally by case-insensitive name/email prefix. */
export async function listUsers(
  db: Executor,
  opts: { afterId: number; limit: number; prefix?: string | undefined },
): Promise<UserRow[]> {
  const conditions = [isNull(users.deactivatedAt), gt(users.id, opts.afterId)];
  if (opts.prefix) {
    const pattern = `${escapeLike(opts.prefix.toLowerCase())}%`;
    const byPrefix = or(
      sql`lower(${users.name}) like ${pattern}`,
      sql`lower(${users.email}) like ${pattern}`,
    );
    if (byPrefix) conditions.push(byPrefix);
  }
  return db
    .select()
    .from(users)
    .where(and(...conditions))
    .orderBy(asc(users.id))
    .limit(opts.limit);
}

export async function deactivateUser(db: Executor, id: number): Promise<void> {
  await db.update(users).set({ deactivatedAt: sql`now()` }).where(eq(users.id, id));
}

/** Names by id (one statement). */
export async function namesOf(db: Executor, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(inArray(users.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}
