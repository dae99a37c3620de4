import { lockPendingWeekly, markPublished } from "../db/repos/outbox.js";
import { handleNotification } from "../notifications/handler.js";
import { parseMessage } from "../notifications/message.js";
import { writeWeeklySummaries } from "../notifications/weekly.js";
import { type LambdaContext, lambdaContext } from "./context.js";

/** EventBridge Scheduler passes its scheduled time, so a retried run computes the same week. */
export interface WeeklyEvent {
  time?: string;
}

export interface WeeklyResult {
  week: string;
  users: number;
  sent: number;
  skipped: number;
  failed: number;
}

/**
 * Weekly summary (EventBridge schedule): reads balances, writes one outbox message per user with a
 * non-zero balance and sends them here through the shared handler, all in one transaction whose
 * rows stay locked, so the relay (SKIP LOCKED) never publishes them meanwhile. Sent rows commit as
 * published; a failed one commits pending and the relay takes it to SQS, where the consumer
 * retries it. A retried run adds nothing new: keys name the ISO week and deliveries are deduped.
 */
export function weeklyHandler(context: () => Promise<LambdaContext>) {
  return async (event: WeeklyEvent | undefined): Promise<WeeklyResult> => {
    const { handle, deps, config } = await context();
    const now = event?.time ? new Date(event.time) : new Date();
    return handle.db.transaction(async (tx) => {
      const { week, users } = await writeWeeklySummaries(tx, {
        timeZone: config.WEEKLY_SUMMARY_TZ,
        currency: config.APP_CURRENCY,
        now,
      });
      const rows = await lockPendingWeekly(tx, week);
      const done: number[] = [];
      let sent = 0;
      for (const row of rows) {
        try {
          // deps.db is the pool, not tx: the delivery claim commits on its own, as in the worker.
          const result = await handleNotification(parseMessage(row.payload), deps);
          if (result === "sent") sent++;
          done.push(row.id);
        } catch (err) {
          console.error(JSON.stringify({ outboxId: row.id, error: String(err) }));
        }
      }
      await markPublished(tx, done);
      const result = {
        week,
        users,
        sent,
        skipped: done.length - sent,
        failed: rows.length - done.length,
      };
      console.log(JSON.stringify(result));
      return result;
    });
  };
}

export const handler = weeklyHandler(lambdaContext);
