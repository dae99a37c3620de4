import { and, eq, lt, ne, sql } from "drizzle-orm";
import { named, param } from "../named.js";
import { sessions } from "../schema.js";
import type { Executor } from "../types.js";

// Every page request reads its session: a named statement, prepared once per connection.
const sessionData = named<{ sid: string }>(
  "sessions_read",
  sql`select data from ${sessions} where sid = ${param("sid")} and expires_at > now()`,
);

export async function readSession(db: Executor, sid: string): Promise<unknown | undefined> {
  const [row] = await sessionData.run(db, { sid });
  if (!row) return undefined;
  // PostgreSQL's driver parses jsonb; PGlite may hand back text.
  return typeof row.data === "string" ? JSON.parse(row.data) : row.data;
}

export async function writeSession(
  db: Executor,
  s: { sid: string; userId: number | null; data: unknown; expiresAt: Date },
): Promise<void> {
  await db
    .insert(sessions)
    .values(s)
    .onConflictDoUpdate({
      target: sessions.sid,
      set: { userId: s.userId, data: s.data, expiresAt: s.expiresAt },
    });
}

export async function deleteSession(db: Executor, sid: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.sid, sid));
}

/** Ends every session of a user, except optionally the current one (password change). */
export async function deleteUserSessions(
  db: Executor,
  userId: number,
  exceptSid?: string,
): Promise<void> {
  await db
    .delete(sessions)
    .where(
      exceptSid
        ? and(eq(sessions.userId, userId), ne(sessions.sid, exceptSid))
        : eq(sessions.userId, userId),
    );
}

export async function deleteExpiredSessions(db: Executor): Promise<number> {
  const rows = await db
    .delete(sessions)
    .where(lt(sessions.expiresAt, sql`now()`))
    .returning({ sid: sessions.sid });
  return rows.length;
}
