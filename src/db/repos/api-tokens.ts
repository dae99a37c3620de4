import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { named, param, toDate } from "../named.js";
import { apiTokens, users } from "../schema.js";
import type { Executor } from "../types.js";

export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function insertApiToken(
  db: Executor,
  t: { userId: number; tokenHash: string; label: string; expiresAt: Date },
): Promise<ApiTokenRow> {
  const [row] = await db.insert(apiTokens).values(t).returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

/**
 * The live token with this hash and its active owner (one read). last_used_at is touched by a
 * separate conditional update at most once a minute, so a busy token neither writes nor locks its
 * row on every request.
 */
export async function useApiToken(
  db: Executor,
  tokenHash: string,
): Promise<{ id: number; userId: number } | undefined> {
  const [found] = await liveToken.run(db, { hash: tokenHash });
  const row = found && {
    id: Number(found.id),
    userId: Number(found.user_id),
    lastUsedAt: toDate(found.last_used_at),
  };
  if (!row) return undefined;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db
      .update(apiTokens)
      .set({ lastUsedAt: sql`now()` })
      .where(
        and(
          eq(apiTokens.id, row.id),
          sql`(${apiTokens.lastUsedAt} is null or ${apiTokens.lastUsedAt} < now() - interval '1 minute')`,
        ),
      );
  }
  return { id: row.id, userId: row.userId };
}

// Every API request runs this: prepared once per connection.
const liveToken = named<{ hash: string }>(
  "api_token_live",
  sql`select t.id, t.user_id, t.last_used_at
    from ${apiTokens} t join ${users} u on u.id = t.user_id
    where t.token_hash = ${param("hash")} and t.revoked_at is null and t.expires_at > now()
      and u.deactivated_at is null`,
);

export function listApiTokens(db: Executor, userId: number): Promise<ApiTokenRow[]> {
  return db
    .select()
    .from(apiTokens)
    .where(
      and(
        eq(apiTokens.userId, userId),
        isNull(apiTokens.revokedAt),
        gt(apiTokens.expiresAt, sql`now()`),
      ),
    )
    .orderBy(desc(apiTokens.id));
}

/** Revokes one of the user's tokens; false when it is not theirs or already gone. */
export async function revokeApiToken(db: Executor, userId: number, id: number): Promise<boolean> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

/** Revokes every live token of the user (after a password reset). */
export async function revokeAllApiTokens(db: Executor, userId: number): Promise<void> {
  await db
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)));
}
