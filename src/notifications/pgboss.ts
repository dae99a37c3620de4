import type { PGlite } from "@electric-sql/pglite";
import PgBoss from "pg-boss";
import type { Config } from "../config.js";
import type { DatabaseHandle } from "../db/client.js";
import { type Consumer, startConsumer } from "./consumer.js";
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
export async function startBoss(
  handle: DatabaseHandle,
  config: Config,
  onError: (err: unknown) => void = () => {},
): Promise<PgBoss> {
  const common = {
    schema: "pgboss",
    supervise: true,
    schedule: true,
    maintenanceIntervalSeconds: config.QUEUE_MAINTENANCE_SECONDS,
  } as const;
  // Its own small pool, bounded like the app's: a frozen or unreachable server fails its queries
  // instead of hanging the worker (pg-boss passes these options to pg.Pool).
  const timeouts = {
    connectionTimeoutMillis: config.DB_CONNECT_TIMEOUT_MS,
    ...(config.DB_QUERY_TIMEOUT_MS > 0 ? { query_timeout: config.DB_QUERY_TIMEOUT_MS } : {}),
  };
  const boss = handle.pglite
    ? new PgBoss({ ...common, db: pgliteAdapter(handle.pglite) })
    : new PgBoss({
        ...common,
        ...timeouts,
        connectionString: handle.url,
        max: config.WORKER_POOL_MAX,
      });
  // Maintenance, cron and pool errors (e.g. during a database outage): pg-boss retries them on
  // its next tick; without a listener they would end the process.
  boss.on("error", onError);
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
export function startNotificationWorker(
  boss: PgBoss,
  deps: HandlerDeps,
  config: Config,
  hooks: WorkerHooks,
): Consumer {
  return startConsumer(boss, {
    queue: NOTIFY_QUEUE,
    batchSize: config.WORKER_BATCH_SIZE,
    pollMs: config.WORKER_POLL_SECONDS * 1000,
    onError: (err, context) => hooks.onError(err, context),
    async handle(job) {
      try {
        const result = await handleNotification(parseMessage(job.data), deps);
        hooks.onResult?.((job.data as { dedupeKey?: string }).dedupeKey ?? job.id, result);
      } catch (err) {
        if (!(err instanceof DeliveryInProgress)) hooks.onError(err, `notification job ${job.id}`);
        throw err;
      }
    },
  });
}

/** Schedules the weekly summary (cron in its time zone) and handles it by filling the outbox. */
export async function startWeeklySchedule(
  boss: PgBoss,
  db: DatabaseHandle["db"],
  config: Config,
  hooks: { afterEnqueue: () => void; onError: WorkerHooks["onError"] },
): Promise<Consumer> {
  await boss.schedule(
    WEEKLY_QUEUE,
    config.WEEKLY_SUMMARY_CRON,
    {},
    { tz: config.WEEKLY_SUMMARY_TZ },
  );
  return startConsumer(boss, {
    queue: WEEKLY_QUEUE,
    batchSize: 1,
    pollMs: config.WORKER_POLL_SECONDS * 1000,
    onError: hooks.onError,
    async handle() {
      await enqueueWeeklySummaries(db, {
        timeZone: config.WEEKLY_SUMMARY_TZ,
        currency: config.APP_CURRENCY,
      });
      hooks.afterEnqueue();
    },
  });
}
