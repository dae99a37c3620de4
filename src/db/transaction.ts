import { isRetryableTxError } from "./errors.js";
import type { Database, Tx } from "./types.js";

/**
 * Work a caller adds to a write's transaction (e.g. claiming an idempotency key): `before` runs
 * first, `after` last with the write's result; both commit or roll back with the write.
 */
export interface TxHooks<R> {
  before?(tx: Tx): Promise<void>;
  after?(tx: Tx, result: R): Promise<void>;
}

/** Runs `work` between the hooks, inside the caller's transaction. */
export async function withHooks<R>(
  tx: Tx,
  hooks: TxHooks<R> | undefined,
  work: () => Promise<R>,
): Promise<R> {
  await hooks?.before?.(tx);
  const result = await work();
  await hooks?.after?.(tx, result);
  return result;
}

/** Retries absorbed by inTransaction since start-up (tests and load runs print them). */
export const txRetryStats = { retries: 0, exhausted: 0 };

/**
 * Runs `work` in one transaction: everything it writes commits together or not at all.
 * Serialization failures and deadlocks are retried (bounded) so they never reach users;
 * `work` must therefore be safe to re-run from the start (no side effects outside the tx).
 */
export async function inTransaction<T>(
  db: Database,
  work: (tx: Tx) => Promise<T>,
  maxRetries = 5,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (err) {
      if (!isRetryableTxError(err)) throw err;
      if (attempt >= maxRetries) {
        txRetryStats.exhausted++;
        throw err;
      }
      txRetryStats.retries++;
      // Jittered backoff so two retrying transactions do not collide again in lockstep.
      await new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** attempt));
    }
  }
}
