import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/app.js";
import { type Config, loadConfig } from "../../src/config.js";
import { type NotificationRuntime, startNotifications } from "../../src/notifications/runtime.js";
import { smtpMailer } from "../../src/smtp/mailer.js";
import { openTestDatabase, type TestDatabase } from "./database.js";
import { type SmtpSink, startSmtpSink } from "./smtp.js";

export interface MailApp {
  config: Config;
  db: TestDatabase;
  smtp: SmtpSink;
  runtime: NotificationRuntime;
  app: FastifyInstance;
  close(): Promise<void>;
}

const silent = { info() {}, error() {} };

/**
 * The app with the whole notification pipeline running in-process (outbox relay, pg-boss worker)
 * and mail going to a real SMTP server started for the test.
 */
export async function startMailApp(env: Record<string, string> = {}): Promise<MailApp> {
  const config = loadConfig({
    LOG_LEVEL: "silent",
    MAIL_FROM: "Evenly <mail@evenly.test>",
    PUBLIC_URL: "http://evenly.test",
    WORKER_POLL_SECONDS: "0.5",
    OUTBOX_POLL_MS: "100",
    ...env,
  });
  const db = await openTestDatabase();
  const smtp = await startSmtpSink();
  const runtime = await startNotifications(
    db,
    { ...config, SMTP_URL: smtp.url },
    silent,
    smtpMailer(smtp.url, config.MAIL_FROM),
  );
  const app = await buildApp({
    config,
    database: db,
    logger: false,
    outboxWritten: () => runtime.kick(),
  });
  return {
    config,
    db,
    smtp,
    runtime,
    app,
    async close() {
      await app.close();
      await runtime.stop();
      await smtp.close();
      await db.destroy();
    },
  };
}

/** Waits until every outbox row is published and no notification job is left in the queue. */
export async function drainNotifications(db: TestDatabase, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = (await db.db.execute(sql`select
      (select count(*) from outbox where published_at is null)::int as pending,
      (select count(*) from pgboss.job where name = 'notification' and state in ('created', 'retry', 'active'))::int as queued`)) as unknown as {
      rows: { pending: number; queued: number }[];
    };
    if (r.rows[0]?.pending === 0 && r.rows[0]?.queued === 0) return;
    if (Date.now() > deadline) throw new Error(`queue did not drain: ${JSON.stringify(r.rows[0])}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}
