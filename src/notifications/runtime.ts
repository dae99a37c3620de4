import type PgBoss from "pg-boss";
import type { Config } from "../config.js";
import type { DatabaseHandle } from "../db/client.js";
import type { Consumer } from "./consumer.js";
import { notificationDeps } from "./deps.js";
import type { Mailer } from "./mailer.js";
import {
  pgBossPublisher,
  startBoss,
  startNotificationWorker,
  startWeeklySchedule,
} from "./pgboss.js";
import { type Publisher, startRelay } from "./relay.js";

export interface Log {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What the web process and `npm run worker` hold on to, whichever queue is configured. */
export interface QueueRuntime {
  /** Publish pending outbox rows now (called after a write commits in this process). */
  kick(): void;
  stop(): Promise<void>;
}

export interface NotificationRuntime extends QueueRuntime {
  boss: PgBoss;
  mailer: Mailer;
  /** Publish pending outbox rows now (called after a write commits in this process). */
  kick(): void;
  /** Stops polling, waits for the jobs in hand, closes the mailer. */
  stop(): Promise<void>;
}

/**
 * The local notification pipeline: outbox relay → pg-boss queue → worker → mailer, plus the weekly
 * summary schedule. Runs in `npm run worker`, or inside the web process with the embedded database.
 */
export async function startNotifications(
  handle: DatabaseHandle,
  config: Config,
  log: Log,
  mailer: Mailer,
): Promise<NotificationRuntime> {
  const boss = await startBoss(handle, config, (err) =>
    log.error({ err }, "queue maintenance failed; will retry"),
  );
  const deps = await notificationDeps(config, handle.db, mailer);
  const onError = (err: unknown, context: string) =>
    log.error({ err }, `${context} failed; will retry`);
  let worker: Consumer | undefined;
  const relay = startRelay(handle, pgBossPublisher(boss), {
    intervalMs: config.OUTBOX_POLL_MS,
    batchSize: config.OUTBOX_BATCH_SIZE,
    onError: (err) => log.error({ err }, "outbox relay failed; will retry"),
    // Wake this process's worker once new jobs are committed instead of waiting for its next poll.
    onPublished: () => worker?.notify(),
  });
  worker = startNotificationWorker(boss, deps, config, {
    onResult: (key, result) => log.info({ dedupeKey: key, result }, "notification handled"),
    onError,
  });
  const weekly = await startWeeklySchedule(boss, handle.db, config, {
    afterEnqueue: () => relay.kick(),
    onError,
  });
  log.info({ mailer: mailer.kind }, "notification worker started");
  return {
    boss,
    mailer,
    kick: relay.kick,
    async stop() {
      await relay.stop();
      await Promise.all([worker?.stop(), weekly.stop()]); // after their batch in hand
      await boss
        .stop({ graceful: true, wait: true, timeout: 10_000 } as PgBoss.StopOptions)
        .catch((err: unknown) => log.error({ err }, "queue shutdown failed"));
      mailer.close();
    },
  };
}

/**
 * QUEUE=sqs (AWS): only the outbox relay runs in this process, publishing to SQS; a Lambda consumes
 * the queue and another sends the weekly summaries, so there is no local worker or schedule.
 */
export function startSqsRelay(
  handle: DatabaseHandle,
  config: Config,
  log: Log,
  publisher: Publisher,
): QueueRuntime {
  const relay = startRelay(handle, publisher, {
    intervalMs: config.OUTBOX_POLL_MS,
    batchSize: config.OUTBOX_BATCH_SIZE,
    onError: (err) => log.error({ err }, "outbox relay to SQS failed; will retry"),
  });
  log.info({ queue: config.SQS_QUEUE_URL }, "outbox relay to SQS started");
  return relay;
}
