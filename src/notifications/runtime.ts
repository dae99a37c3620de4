import type PgBoss from "pg-boss";
import type { Config } from "../config.js";
import type { DatabaseHandle } from "../db/client.js";
import type { HandlerDeps } from "./handler.js";
import { createMailer, type Mailer } from "./mailer.js";
import {
  pgBossPublisher,
  startBoss,
  startNotificationWorker,
  startWeeklySchedule,
} from "./pgboss.js";
import { startRelay } from "./relay.js";
import { loadSecret } from "./tokens.js";

export interface Log {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface NotificationRuntime {
  boss: PgBoss;
  mailer: Mailer;
  /** Publish pending outbox rows now (called after a write commits in this process). */
  kick(): void;
  /** Stops polling, waits for in-flight jobs, closes the mailer. */
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
  opts: { mailer?: Mailer } = {},
): Promise<NotificationRuntime> {
  const boss = await startBoss(handle, config);
  const mailer = opts.mailer ?? createMailer(config);
  const deps: HandlerDeps = {
    db: handle.db,
    mailer,
    secret: await loadSecret(handle.db, config.APP_SECRET),
    publicUrl: config.PUBLIC_URL,
    mailFrom: config.MAIL_FROM,
    leaseSeconds: config.NOTIFY_LEASE_SECONDS,
    inviteTtlHours: config.INVITE_TTL_HOURS,
  };
  let workerId: string | undefined;
  const relay = startRelay(handle, pgBossPublisher(boss), {
    intervalMs: config.OUTBOX_POLL_MS,
    batchSize: config.OUTBOX_BATCH_SIZE,
    onError: (err) => log.error({ err }, "outbox relay failed; will retry"),
    // Wake this process's worker once new jobs are committed instead of waiting for its next poll.
    onPublished: () => workerId && boss.notifyWorker(workerId),
  });
  workerId = await startNotificationWorker(boss, deps, config, {
    onResult: (key, result) => log.info({ dedupeKey: key, result }, "notification handled"),
    onError: (err, context) => log.error({ err }, `${context} failed; will retry`),
  });
  await startWeeklySchedule(boss, handle.db, config, () => relay.kick());
  log.info({ mailer: mailer.kind }, "notification worker started");
  return {
    boss,
    mailer,
    kick: relay.kick,
    async stop() {
      await relay.stop();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 } as PgBoss.StopOptions);
      mailer.close();
    },
  };
}
