import { resolveDatabase } from "../aws/db-secret.js";
import { createMailer } from "../compose/mailer.js";
import { type Config, loadConfig } from "../config.js";
import type { DatabaseHandle } from "../db/client.js";
import { openPostgres } from "../db/postgres.js";
import { notificationDeps } from "../notifications/deps.js";
import type { HandlerDeps } from "../notifications/handler.js";

/** What both Lambdas need: the database, the same handler deps the local worker builds, config. */
export interface LambdaContext {
  config: Config;
  handle: DatabaseHandle;
  deps: HandlerDeps;
}

let ready: Promise<LambdaContext> | undefined;

/**
 * The database as every Lambda opens it: credentials from the secret, TLS, two connections per
 * warm instance (the weekly run holds a transaction while the handler claims deliveries on the
 * other); overall concurrency is capped on the event source, not here.
 */
export async function openLambdaDatabase(config: Config): Promise<DatabaseHandle> {
  const target = await resolveDatabase(config);
  if (!target.databaseUrl) throw new Error("Lambda needs DATABASE_URL or DATABASE_SECRET_ARN");
  return openPostgres({
    databaseUrl: target.databaseUrl,
    ssl: target.ssl,
    clientClass: target.clientClass,
    poolMax: 2,
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    queryTimeoutMs: config.DB_QUERY_TIMEOUT_MS,
  });
}

async function init(): Promise<LambdaContext> {
  const config = loadConfig();
  const handle = await openLambdaDatabase(config);
  const deps = await notificationDeps(config, handle.db, createMailer(config));
  return { config, handle, deps };
}

/** Built once per cold start and reused by warm invocations; a failed start is retried next time. */
export function lambdaContext(): Promise<LambdaContext> {
  ready ??= init().catch((err) => {
    ready = undefined;
    throw err;
  });
  return ready;
}

/** Closes the cached context (tests; Lambda itself just freezes the process). */
export async function closeLambdaContext(): Promise<void> {
  const ctx = await ready?.catch(() => undefined);
  ready = undefined;
  ctx?.deps.mailer.close();
  await ctx?.handle.close();
}
