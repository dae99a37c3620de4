import type { DatabaseHandle } from "../db/client.js";
import { type RawExec, withRawTransaction } from "../db/raw.js";
import { lockPendingBatch, markPublishedRaw } from "../db/repos/outbox.js";
import { type NotificationMessage, parseMessage } from "./message.js";

/** A queue the relay can hand messages to: pg-boss locally, SQS on AWS. */
export interface Publisher {
  /**
   * Publishes the messages; returns the dedupe keys the queue accepted (the rest stay pending and
   * are retried next round). `exec` runs SQL on the relay's transaction, for a queue that lives in
   * the same database (so enqueueing and marking commit together).
   */
  publish(messages: NotificationMessage[], exec: RawExec): Promise<Set<string>>;
}

/**
 * Moves one batch of unpublished outbox rows to the queue. Rows are locked with SKIP LOCKED, so
 * several relays can run at once without publishing a row twice; a row is marked published only
 * after the queue accepted it. Returns the number published.
 */
export async function relayOnce(
  handle: DatabaseHandle,
  publisher: Publisher,
  batchSize: number,
): Promise<number> {
  return withRawTransaction(handle, async (exec) => {
    const rows = await lockPendingBatch(exec, batchSize);
    if (rows.length === 0) return 0;
    const messages = rows.map((r) => parseMessage(r.payload));
    const accepted = await publisher.publish(messages, exec);
    const ids = rows
      .filter((_, i) => accepted.has((messages[i] as NotificationMessage).dedupeKey))
      .map((r) => r.id);
    await markPublishedRaw(exec, ids);
    return ids.length;
  });
}

/** Runs the relay every `intervalMs` and whenever `kick()` is called; drains full batches at once. */
export function startRelay(
  handle: DatabaseHandle,
  publisher: Publisher,
  opts: {
    intervalMs: number;
    batchSize: number;
    onError: (err: unknown) => void;
    /** Called after a batch was published and committed. */
    onPublished?: (count: number) => void;
  },
): { kick(): void; stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const run = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      try {
        do {
          again = false;
          for (;;) {
            const n = stopped ? 0 : await relayOnce(handle, publisher, opts.batchSize);
            if (n > 0) opts.onPublished?.(n);
            if (n < opts.batchSize) break;
          }
        } while (again && !stopped);
      } catch (err) {
        opts.onError(err);
      } finally {
        running = null;
      }
    })();
  };
  const timer = setInterval(run, opts.intervalMs);
  timer.unref();
  run();
  return {
    kick: run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
