import { availableParallelism } from "node:os";
import path from "node:path";
import { z } from "zod";
import { type AuthConfig, authConfigSchema } from "./config/auth.js";
import { cronExpression } from "./config/cron.js";
import { blankToUndefined, int, optionalString, timeZone } from "./config/fields.js";
import { type FxRatesConfig, fxRatesConfigSchema } from "./config/fx-rates.js";

export type { AuthConfig };

/**
 * Every setting the app reads from the environment, parsed and validated once at start-up.
 * Each variable is documented in the README's configuration table; keep the two in sync.
 */

export const configSchema = z.object({
  /** HTTP port. */
  PORT: int(3000, 0, 65535),
  /** Interface to bind; 0.0.0.0 so containers and load balancers can reach it. */
  HOST: z.preprocess(blankToUndefined, z.string().default("0.0.0.0")),
  /** Folder for the embedded database (and, later, mail previews). */
  DATA_DIR: z.preprocess(blankToUndefined, z.string().default("./data")),
  /** PostgreSQL server URL; without it the app uses embedded PGlite under DATA_DIR. */
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
      .optional(),
  ),
  /**
   * ARN of a Secrets Manager secret holding the database credentials (the JSON RDS generates:
   * host, port, username, password, dbname); read at start-up when DATABASE_URL is unset (AWS).
   */
  DATABASE_SECRET_ARN: optionalString.pipe(
    z
      .string()
      .regex(/^arn:aws[\w-]*:secretsmanager:/, "must be a Secrets Manager ARN")
      .optional(),
  ),
  /**
   * Web processes behind the one port (node:cluster). Default: the number of CPUs with a
   * PostgreSQL server, 1 with the embedded database (which refuses more).
   */
  WEB_CONCURRENCY: z.preprocess(
    blankToUndefined,
    z.coerce.number().int().min(1).max(256).optional(),
  ),
  /** Connections per process in the pg pool (server mode only). */
  DB_POOL_MAX: int(10, 1, 200),
  /** Largest accepted request body in bytes; larger bodies get 413. */
  BODY_LIMIT_BYTES: int(1_048_576, 1024, 50 * 1_048_576),
  /** Largest accepted POST /groups/import body in bytes (the file travels inside it); larger: 413. */
  IMPORT_MAX_BYTES: int(10 * 1_048_576, 1024, 200 * 1_048_576),
  /**
   * Expense and settlement rows one imported file may have; more: 422 before any row is read
   * (reading is synchronous: a 10 MiB file of short rows holds ~400,000 and would block the process).
   */
  IMPORT_MAX_ROWS: int(20_000, 1, Number.MAX_SAFE_INTEGER),
  /** People one import may invite (new accounts, each mailed); more: 422. Never above INVITE_RATE_LIMIT. */
  IMPORT_MAX_INVITES: int(50, 0, 10_000),
  /** pino log level. */
  LOG_LEVEL: z.preprocess(
    blankToUndefined,
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ),
  /** Time zone that decides "today" for expenses without a date. */
  APP_TIMEZONE: z.preprocess(blankToUndefined, timeZone("Asia/Kolkata")),
  /**
   * The app's own currency (ISO 4217, as Intl knows it): the default of expenses and settlements
   * outside a group and of new groups, and the currency of a user's `net`.
   */
  APP_CURRENCY: z.preprocess(
    blankToUndefined,
    z
      .string()
      .default("INR")
      // The same test as the domain's isCurrencyCode (config imports nothing of the app).
      .refine(
        (code) => /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf("currency").includes(code),
        "must be an ISO 4217 currency code such as INR",
      ),
  ),
  /** How many times a transaction is retried after a serialization failure or deadlock. */
  TX_MAX_RETRIES: int(5, 0, 50),
  /** How long a new database connection may take before the request fails with 503. */
  DB_CONNECT_TIMEOUT_MS: int(3000, 100, 120_000),
  /** Server-side statement_timeout of every query (0 = none): nothing hangs forever. */
  DB_STATEMENT_TIMEOUT_MS: int(30_000, 0, 3_600_000),
  /**
   * Client-side limit on every query (node-postgres `query_timeout`): a database that stops
   * answering (frozen, network gone) cannot enforce statement_timeout, so the client gives up.
   * Default: DB_STATEMENT_TIMEOUT_MS + 2 s (none when that is 0); when set, above it.
   */
  DB_QUERY_TIMEOUT_MS: z.preprocess(
    blankToUndefined,
    z.coerce.number().int().min(0).max(3_600_000).optional(),
  ),
  /** How long /readyz waits for the database before answering 503. */
  DB_READY_TIMEOUT_MS: int(2000, 100, 60_000),
  /** How long Idempotency-Key responses are kept (at least 24 hours). */
  IDEMPOTENCY_RETENTION_HOURS: int(24, 24, 24 * 365),
  /** `production` forbids development-only features (MAIL_PREVIEW). */
  NODE_ENV: optionalString,
});

export const notificationConfigSchema = z.object({
  /** smtp(s)://user:pass@host:port; without it mails are written as .eml files under DATA_DIR/mail. */
  SMTP_URL: optionalString.pipe(
    z
      .string()
      .regex(/^smtps?:\/\//, "must start with smtp:// or smtps://")
      .optional(),
  ),
  /** Where mail goes: `auto` = SMTP when SMTP_URL is set, else .eml files; `ses` = Amazon SES. */
  MAIL_TRANSPORT: z.preprocess(
    blankToUndefined,
    z.enum(["auto", "smtp", "ses", "file"]).default("auto"),
  ),
  /** SES configuration set every mail is sent with (MAIL_TRANSPORT=ses; optional). */
  SES_CONFIGURATION_SET: optionalString,
  /** Notification queue: `pgboss` (in the database, local worker) or `sqs` (AWS, Lambda consumer). */
  QUEUE: z.preprocess(blankToUndefined, z.enum(["pgboss", "sqs"]).default("pgboss")),
  /** URL of the SQS queue the outbox relay publishes to (required with QUEUE=sqs). */
  SQS_QUEUE_URL: optionalString.pipe(z.url().optional()),
  /** AWS region of SQS and SES (required with QUEUE=sqs or MAIL_TRANSPORT=ses; Lambda sets it). */
  AWS_REGION: optionalString,
  /** Sender address of every mail. */
  MAIL_FROM: z.preprocess(blankToUndefined, z.string().default("Evenly <evenly@localhost>")),
  /** Base URL used in links inside mails (expense pages, unsubscribe). */
  PUBLIC_URL: z.preprocess(
    blankToUndefined,
    z
      .url()
      .default("http://localhost:3000")
      .transform((u) => u.replace(/\/+$/, "")),
  ),
  /** Secret that signs unsubscribe links; generated once and kept in the database when unset. */
  APP_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  /** Run the notification worker inside the web process: `auto` = only with the embedded database. */
  RUN_WORKER: z.preprocess(blankToUndefined, z.enum(["auto", "true", "false"]).default("auto")),
  /** Connections of `npm run worker`'s pool, and of pg-boss's own pool wherever the worker runs. */
  WORKER_POOL_MAX: int(4, 1, 200),
  /** How often the worker polls the queue. */
  WORKER_POLL_SECONDS: z.preprocess(
    blankToUndefined,
    z.coerce.number().min(0.5).max(60).default(2),
  ),
  /** Notification jobs fetched per poll. */
  WORKER_BATCH_SIZE: int(10, 1, 500),
  /** How often pg-boss maintenance runs (hands out jobs of crashed workers again, archives). */
  QUEUE_MAINTENANCE_SECONDS: int(15, 1, 3600),
  /** How often the outbox relay looks for unpublished notifications (it is also nudged after each write). */
  OUTBOX_POLL_MS: int(1000, 50, 60_000),
  /** Outbox rows published per relay transaction. */
  OUTBOX_BATCH_SIZE: int(200, 1, 5000),
  /** Delivery attempts before a notification goes to the dead-letter queue. */
  NOTIFY_RETRY_LIMIT: int(8, 0, 100),
  /** First retry delay; doubles on each attempt (pg-boss backoff, with jitter). */
  NOTIFY_RETRY_DELAY_SECONDS: int(5, 1, 86_400),
  /**
   * A job still active after this long (crashed worker) is handed out again at the next
   * maintenance. Recovery after a crash takes about expiry + maintenance + retry delay.
   */
  NOTIFY_JOB_EXPIRE_SECONDS: int(30, 1, 86_400),
  /** A claim on a mail older than this (crashed worker) may be taken over by a redelivery. */
  NOTIFY_LEASE_SECONDS: int(30, 1, 86_400),
  /** Cron of the weekly summary (5 fields), in WEEKLY_SUMMARY_TZ. */
  WEEKLY_SUMMARY_CRON: z.preprocess(blankToUndefined, cronExpression("0 9 * * 1")),
  WEEKLY_SUMMARY_TZ: z.preprocess(blankToUndefined, timeZone("Asia/Kolkata")),
  /**
   * Development only: /dev/mail shows a logged-in user the .eml files addressed to them. Off
   * unless set to true (it serves claim links through the web app); refused in production.
   */
  MAIL_PREVIEW: z.preprocess(blankToUndefined, z.enum(["true", "false"]).default("false")),
});

export type NotificationConfig = z.infer<typeof notificationConfigSchema>;
export type Config = z.infer<typeof configSchema> &
  NotificationConfig &
  AuthConfig &
  FxRatesConfig & { dataDir: string; DB_QUERY_TIMEOUT_MS: number; WEB_CONCURRENCY: number };

export class ConfigError extends Error {}

/** Settings that only make sense together: each AWS choice names what it needs. */
function requireAwsSettings(c: NotificationConfig, ctx: z.RefinementCtx): void {
  const need = (key: keyof NotificationConfig, why: string) => {
    if (!c[key]) ctx.addIssue({ code: "custom", path: [key], message: `required ${why}` });
  };
  if (c.QUEUE === "sqs") {
    need("SQS_QUEUE_URL", "with QUEUE=sqs");
    need("AWS_REGION", "with QUEUE=sqs");
  }
  if (c.MAIL_TRANSPORT === "ses") need("AWS_REGION", "with MAIL_TRANSPORT=ses");
  if (c.MAIL_TRANSPORT === "smtp") need("SMTP_URL", "with MAIL_TRANSPORT=smtp");
}

/** Development-only features stay off in production, whatever else is set. */
function refuseDevFeaturesInProduction(
  c: z.infer<typeof configSchema> & NotificationConfig,
  ctx: z.RefinementCtx,
): void {
  if (c.NODE_ENV === "production" && c.MAIL_PREVIEW === "true")
    ctx.addIssue({
      code: "custom",
      path: ["MAIL_PREVIEW"],
      message:
        "must not be true with NODE_ENV=production (the preview serves mails, claim links included, through the web app)",
    });
}

/** The client gives up on a query only after the server would have cancelled it. */
function queryTimeoutAboveStatementTimeout(
  c: z.infer<typeof configSchema>,
  ctx: z.RefinementCtx,
): void {
  const q = c.DB_QUERY_TIMEOUT_MS;
  if (
    q !== undefined &&
    q !== 0 &&
    c.DB_STATEMENT_TIMEOUT_MS !== 0 &&
    q <= c.DB_STATEMENT_TIMEOUT_MS
  )
    ctx.addIssue({
      code: "custom",
      path: ["DB_QUERY_TIMEOUT_MS"],
      message: `must be 0 or above DB_STATEMENT_TIMEOUT_MS (${c.DB_STATEMENT_TIMEOUT_MS})`,
    });
}

/** PGlite's data folder belongs to one process: several web processes need a PostgreSQL server. */
function oneProcessWithEmbeddedDatabase(
  c: z.infer<typeof configSchema>,
  ctx: z.RefinementCtx,
): void {
  if ((c.WEB_CONCURRENCY ?? 1) > 1 && !c.DATABASE_URL && !c.DATABASE_SECRET_ARN)
    ctx.addIssue({
      code: "custom",
      path: ["WEB_CONCURRENCY"],
      message:
        "must be 1 with the embedded database (PGlite's data folder belongs to one process); set DATABASE_URL to run several web processes",
    });
}

const defaultQueryTimeout = (statementTimeoutMs: number) =>
  statementTimeoutMs === 0 ? 0 : statementTimeoutMs + 2000;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema
    .and(notificationConfigSchema)
    .and(authConfigSchema)
    .and(fxRatesConfigSchema)
    .superRefine(requireAwsSettings)
    .superRefine(refuseDevFeaturesInProduction)
    .superRefine(queryTimeoutAboveStatementTimeout)
    .superRefine(oneProcessWithEmbeddedDatabase)
    .safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const { DB_QUERY_TIMEOUT_MS, DB_STATEMENT_TIMEOUT_MS, WEB_CONCURRENCY } = parsed.data;
  const server = Boolean(parsed.data.DATABASE_URL || parsed.data.DATABASE_SECRET_ARN);
  return {
    ...parsed.data,
    WEB_CONCURRENCY: WEB_CONCURRENCY ?? (server ? availableParallelism() : 1),
    DB_QUERY_TIMEOUT_MS: DB_QUERY_TIMEOUT_MS ?? defaultQueryTimeout(DB_STATEMENT_TIMEOUT_MS),
    dataDir: path.resolve(parsed.data.DATA_DIR),
  };
}
