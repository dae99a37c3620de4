import { eq, type SQL, sql } from "drizzle-orm";
import { named, param, toDate } from "../named.js";
import { users } from "../schema.js";
import type { Executor } from "../types.js";
import { knows } from "./knows.js";

export type UserRow = typeof users.$inferSelect;

export async function insertUser(
  db: Executor,
  u: {
    name: string;
    email: string;
    mobileNumber: string | null;
    passwordHash?: string | null;
    invitedBy?: number | null;
  },
): Promise<UserRow> {
  const [row] = await db.insert(users).values(u).returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

export async function findUser(db: Executor, id: number): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

/** The user with this email, compared case-insensitively (the unique index's expression). */
export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  return row;
}

export async function setPasswordHash(
  db: Executor,
  id: number,
  passwordHash: string,
): Promise<void> {
  await db.update(users).set({ passwordHash }).where(eq(users.id, id));
}

export async function updateProfile(
  db: Executor,
  id: number,
  p: { name?: string; mobileNumber?: string },
): Promise<UserRow | undefined> {
  const [row] = await db.update(users).set(p).where(eq(users.id, id)).returning();
  return row;
}

/** Locks one user row for an update that depends on the user's balances (deactivation). */
export async function lockUserForUpdate(db: Executor, id: number): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).for("update");
  return row;
}

/**
 * Share-locks the given users (in id order, one statement) so that none can be deactivated
 * while a transaction moves money involving them. Returns the rows found, each saying whether
 * `actor` knows them (the same statement: constant statements whatever the number of ids).
 */
export async function lockUsersForShare(
  db: Executor,
  actor: number,
  ids: number[],
): Promise<(Pick<UserRow, "id" | "name" | "deactivatedAt"> & { known: boolean })[]> {
  if (ids.length === 0) return [];
  const rows = await lockForShare.run(db, { actor, ids });
  return rows.map((r) => ({
    id: Number(r.id),
    name: String(r.name),
    deactivatedAt: toDate(r.deactivated_at),
    known: Boolean(r.known),
  }));
}

const lockForShare = named<{ actor: number; ids: number[] }>(
  "users_lock_for_share",
  sql`select ${users}.id, ${users}.name, ${users}.deactivated_at,
      ${knows(param("actor") as unknown as SQL, sql`${users}.id`)} as known
    from ${users} where ${users}.id = any(${param("ids")}::int[])
    order by ${users}.id
    for share of ${users}`,
);

export async function deactivateUser(db: Executor, id: number): Promise<void> {
  await db.update(users).set({ deactivatedAt: sql`now()` }).where(eq(users.id, id));
}

/** Names by id (one statement). */
export async function namesOf(db: Executor, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await namesById.run(db, { ids: [...new Set(ids)] });
  return new Map(rows.map((r) => [Number(r.id), String(r.name)]));
}

const namesById = named<{ ids: number[] }>(
  "users_names",
  sql`select id, name from ${users} where id = any(${param("ids")}::int[])`,
);

const emailsTaken = named<{ emails: string[] }>(
  "users_emails_taken",
  sql`select lower(email) as email from ${users} where lower(email) = any(${param("emails")}::text[])`,
);

/** Which of these emails already have an account, lowercased (one statement, the unique index). */
export async function takenEmails(db: Executor, emails: string[]): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const rows = await emailsTaken.run(db, {
    emails: [...new Set(emails.map((e) => e.toLowerCase()))],
  });
  return new Set(rows.map((r) => String(r.email)));
}
