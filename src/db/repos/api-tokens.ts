import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
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
  const [row] = await db
    .select({ id: apiTokens.id, userId: apiTokens.userId, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(
        eq(apiTokens.tokenHash, tokenHash),
        isNull(apiTokens.revokedAt),
        gt(apiTokens.expiresAt, sql`now()`),
        isNull(users.deactivatedAt),
      ),
    );
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
