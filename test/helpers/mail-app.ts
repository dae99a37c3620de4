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
