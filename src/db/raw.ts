import { isDatabaseUnavailable } from "./errors.js";
import type { DatabaseHandle } from "./types.js";

/** Runs one parameterised statement on a transaction's connection. */
export type RawExec = (
  text: string,
  values?: unknown[],
) => Promise<{ rows: Record<string, unknown>[] }>;

/**
 * A transaction on a raw connection, for code that must share it with a library speaking plain
 * SQL (the outbox relay enqueues pg-boss jobs on the same connection, so marking rows published
 * and creating their jobs commit together).
 */
export async function withRawTransaction<T>(
  handle: DatabaseHandle,
  work: (exec: RawExec) => Promise<T>,
): Promise<T> {
  if (handle.pglite) {
    return handle.pglite.transaction(async (tx) =>
      work(async (text, values) => {
        const r = await tx.query<Record<string, unknown>>(text, values as unknown[]);
        return { rows: r.rows };
      }),
    );
  }
  if (!handle.pool) throw new Error("no database connection");
  const client = await handle.pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("begin");
    const result = await work(async (text, values) => {
      const r = await client.query(text, values as unknown[]);
      return { rows: r.rows };
    });
    await client.query("commit");
    return result;
  } catch (err) {
    // A timed-out or broken connection is discarded instead (closing it rolls back): a ROLLBACK
    // would only wait behind the unanswered query.
    if (isDatabaseUnavailable(err)) broken = err as Error;
    else await client.query("rollback").catch((e: Error) => (broken = e));
    throw err;
  } finally {
    client.release(broken);
  }
}
