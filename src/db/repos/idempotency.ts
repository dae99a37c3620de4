import { and, eq, lt, sql } from "drizzle-orm";
import { idempotencyKeys } from "../schema.js";
import type { Executor } from "../types.js";

export interface IdempotencyClaim {
  scope: string;
  key: string;
  userId: number | null;
  fingerprint: string;
  method: string;
  path: string;
}

export type ClaimResult =
  | { kind: "claimed" }
  | {
      kind: "existing";
      fingerprint: string;
      status: number | null;
      response: unknown;
    };

/**
 * Claims (scope, key) inside the caller's transaction. A concurrent claim of the same key waits
 * on the primary key until this transaction ends: after a commit it finds the stored response,
 * after a rollback it claims the key itself. A key older than `retentionHours` is taken over.
 */
export async function claimIdempotencyKey(
  tx: Executor,
  c: IdempotencyClaim,
  retentionHours: number,
): Promise<ClaimResult> {
  const claimed = await tx
    .insert(idempotencyKeys)
    .values({ ...c, status: null, response: null })
    .onConflictDoUpdate({
      target: [idempotencyKeys.scope, idempotencyKeys.key],
      set: {
        userId: c.userId,
        fingerprint: c.fingerprint,
        method: c.method,
        path: c.path,
        status: null,
        response: null,
        createdAt: sql`now()`,
      },
      setWhere: sql`${idempotencyKeys.createdAt} < now() - make_interval(hours => ${retentionHours})`,
    })
    .returning({ key: idempotencyKeys.key });
  if (claimed.length > 0) return { kind: "claimed" };
  const [row] = await tx
    .select({
      fingerprint: idempotencyKeys.fingerprint,
      status: idempotencyKeys.status,
      response: idempotencyKeys.response,
    })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, c.scope), eq(idempotencyKeys.key, c.key)));
  if (!row) throw new Error("idempotency key vanished between claim and read");
  return { kind: "existing", ...row };
}

/** Stores the response of the claimed key, in the same transaction as the write it describes. */
export async function storeIdempotentResponse(
  tx: Executor,
  scope: string,
  key: string,
  status: number,
  response: unknown,
): Promise<void> {
  await tx
    .update(idempotencyKeys)
    .set({ status, response })
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
}

/** Deletes keys older than the retention; returns how many. */
export async function purgeIdempotencyKeys(db: Executor, retentionHours: number): Promise<number> {
  const rows = await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${retentionHours})`))
    .returning({ key: idempotencyKeys.key });
  return rows.length;
}
