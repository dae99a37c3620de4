import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { apiTokens, users } from "../schema.js";

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
 * The live token with this hash and its active owner, touching last_used_at at most once a
 * minute (one statement; a busy token does not write on every request).
 */
export async function useApiToken(
  db: Executor,
  tokenHash: string,
): Promise<{ id: number; userId: number } | undefined> {
  const [row] = await db
    .update(apiTokens)
    .set({
      lastUsedAt: sql`case when ${apiTokens.lastUsedAt} is null or ${apiTokens.lastUsedAt} < now() - interval '1 minute' then now() else ${apiTokens.lastUsedAt} end`,
    })
    .where(
      and(
        eq(apiTokens.tokenHash, tokenHash),
        isNull(apiTokens.revokedAt),
        gt(apiTokens.expiresAt, sql`now()`),
        sql`exists (select 1 from ${users} where ${users.id} = ${apiTokens.userId} and ${users.deactivatedAt} is null)`,
      ),
    )
    .returning({ id: apiTokens.id, userId: apiTokens.userId });
  return row;
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

export async function revokeAllApiTokens(db: Executor, userId: number): Promise<void> {
  await db
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)));
}
