import type { PGlite } from "@electric-sql/pglite";
import PgBoss from "pg-boss";
import type { Config } from "../config.js";
import type { DatabaseHandle } from "../db/client.js";
import { DeliveryInProgress, type HandlerDeps, handleNotification } from "./handler.js";
import { parseMessage } from "./message.js";
import type { Publisher } from "./relay.js";
import { enqueueWeeklySummaries } from "./weekly.js";

export const NOTIFY_QUEUE = "notification";
export const DEAD_LETTER_QUEUE = "notification-dead";
export const WEEKLY_QUEUE = "weekly-summary";

/** pg-boss speaks plain SQL; on PGlite it runs through this adapter (multi-statement DDL via exec). */
function pgliteAdapter(pg: PGlite): PgBoss.Db {
  return {
    async executeSql(text, values) {
      if (values && values.length > 0) return { rows: (await pg.query(text, values)).rows };
      const results = await pg.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    },
  };
}

/** Starts pg-boss on the app's database (its own `pgboss` schema) and creates the queues. */
export async function startBoss(handle: DatabaseHandle, config: Config): Promise<PgBoss> {
  const common = {
    schema: "pgboss",
    supervise: true,
    schedule: true,
    maintenanceIntervalSeconds: config.QUEUE_MAINTENANCE_SECONDS,
  } as const;
  const boss = handle.pglite
    ? new PgBoss({ ...common, db: pgliteAdapter(handle.pglite) })
    : new PgBoss({ ...common, connectionString: handle.url, max: 4 });
  boss.on("error", () => {}); // surfaced through the worker's onError; never crash the process
  await boss.start();
  await boss.createQueue(DEAD_LETTER_QUEUE, {
    name: DEAD_LETTER_QUEUE,
    retentionDays: 30,
  } as PgBoss.Queue);
  const queue: PgBoss.Queue = {
    name: NOTIFY_QUEUE,
    retryLimit: config.NOTIFY_RETRY_LIMIT,
    retryDelay: config.NOTIFY_RETRY_DELAY_SECONDS,
    retryBackoff: true,
    expireInSeconds: config.NOTIFY_JOB_EXPIRE_SECONDS,
    deadLetter: DEAD_LETTER_QUEUE,
  };
  await boss.createQueue(NOTIFY_QUEUE, queue);
  await boss.updateQueue(NOTIFY_QUEUE, queue); // settings may have changed since it was created
  await boss.createQueue(WEEKLY_QUEUE, { name: WEEKLY_QUEUE, policy: "singleton" });
  return boss;
}

/** Enqueues on the relay's own transaction: marking rows published and creating jobs commit together. */
export function pgBossPublisher(boss: PgBoss): Publisher {
  return {
    async publish(messages, exec) {
      await boss.insert(
        messages.map((m) => ({ name: NOTIFY_QUEUE, data: m })),
        { db: { executeSql: (text, values) => exec(text, values) } },
      );
      return new Set(messages.map((m) => m.dedupeKey));
    },
  };
}

export interface WorkerHooks {
  onResult?: (dedupeKey: string, result: string) => void;
  onError: (err: unknown, context: string) => void;
}

/** Consumes notification jobs; each job succeeds or fails on its own (failed ones are retried). */
export async function startNotificationWorker(
  boss: PgBoss,
  deps: HandlerDeps,
  config: Config,
  hooks: WorkerHooks,
): Promise<string> {
  const batchSize = config.WORKER_BATCH_SIZE;
  const workerId: string = await boss.work<unknown>(
    NOTIFY_QUEUE,
    { batchSize, pollingIntervalSeconds: config.WORKER_POLL_SECONDS },
    async (jobs) => {
      for (const job of jobs) {
        try {
          const result = await handleNotification(parseMessage(job.data), deps);
          hooks.onResult?.((job.data as { dedupeKey?: string }).dedupeKey ?? job.id, result);
        } catch (err) {
          if (!(err instanceof DeliveryInProgress))
            hooks.onError(err, `notification job ${job.id}`);
          await boss.fail(NOTIFY_QUEUE, job.id, {
            message: String((err as Error)?.message ?? err),
          });
        }
      }
      // A full batch means more are waiting: fetch again at once instead of sleeping.
      if (jobs.length === batchSize) boss.notifyWorker(workerId);
    },
  );
  return workerId;
}

/** Schedules the weekly summary (cron in its time zone) and handles it by filling the outbox. */
export async function startWeeklySchedule(
  boss: PgBoss,
  db: DatabaseHandle["db"],
  config: Config,
  afterEnqueue: () => void,
): Promise<void> {
  await boss.schedule(
    WEEKLY_QUEUE,
    config.WEEKLY_SUMMARY_CRON,
    {},
    { tz: config.WEEKLY_SUMMARY_TZ },
  );
  await boss.work(
    WEEKLY_QUEUE,
    { pollingIntervalSeconds: config.WORKER_POLL_SECONDS },
    async () => {
      await enqueueWeeklySummaries(db, { timeZone: config.WEEKLY_SUMMARY_TZ });
      afterEnqueue();
    },
  );
}
