import { and, eq, gt, lt, ne, sql } from "drizzle-orm";
import { sessions } from "../schema.js";
import type { Executor } from "../types.js";

export async function readSession(db: Executor, sid: string): Promise<unknown | undefined> {
  const [row] = await db
    .select({ data: sessions.data })
    .from(sessions)
    .where(and(eq(sessions.sid, sid), gt(sessions.expiresAt, sql`now()`)));
  return row?.data;
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
