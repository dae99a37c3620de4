import type { Database, Tx } from "./client.js";
import { isRetryableTxError } from "./errors.js";

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
      if (attempt >= maxRetries || !isRetryableTxError(err)) throw err;
      // Jittered backoff so two retrying transactions do not collide again in lockstep.
      await new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** attempt));
    }
  }
}
