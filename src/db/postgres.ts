import type { ConnectionOptions } from "node:tls";
import { fileURLToPath } from "node:url";
import type { Logger } from "drizzle-orm/logger";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { isDatabaseUnavailable } from "./errors.js";
import * as schema from "./schema.js";
import type { Database, DatabaseHandle } from "./types.js";

// The server path on its own, so code that never uses the embedded database (the Lambda bundles)
// imports only `pg`, not PGlite.

const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

// pg returns int8 (bigint) as strings by default; every bigint we store is paise or basis points,
// bounded by CHECK constraints far below 2^53, so parse them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/**
 * Resolves or rejects with `work`, but rejects (as unavailable) after `ms` at the latest, also
 * while waiting for a connection from an exhausted pool.
 */
async function withDeadline(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          Object.assign(new Error(`database did not answer within ${ms} ms`), {
            code: "ETIMEDOUT",
          }),
        ),
      ms,
    );
  });
  work.catch(() => {}); // a late failure after the deadline is nobody's concern
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Key of the session-level advisory lock every migrating process takes ("evenly" in ASCII). */
export const MIGRATION_LOCK_KEY = 0x6576656e6c79;

/**
 * Applies pending migrations while holding an advisory lock, on one connection: processes that
 * start together on a new database (web instances, the worker, `npm run migrate`) take turns, so
 * none trips over another's half-created tables (23505 on pg_type). The lock ends with the session
 * if the process dies; a broken connection is discarded, not pooled.
 */
async function migrateUnderLock(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await migrate(drizzle({ client, schema }), { migrationsFolder });
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    client.release();
  } catch (err) {
    client.release(err as Error); // closing the session drops the lock
    throw err;
  }
}

export function openPostgres(opts: {
  databaseUrl: string;
  poolMax?: number | undefined;
  /** A connection attempt that takes longer fails (the request gets 503 instead of hanging). */
  connectTimeoutMs?: number | undefined;
  /** Server-side statement_timeout for every query; 0 disables it. */
  statementTimeoutMs?: number | undefined;
  /** Client-side limit on every query (a frozen server cannot time out); 0 disables it. */
  queryTimeoutMs?: number | undefined;
  /** How long ping() (readiness) waits for an answer. */
  readyTimeoutMs?: number | undefined;
  logger?: Logger | undefined;
  /** TLS settings (verified TLS to RDS); the URL's sslmode, if any, takes precedence in pg. */
  ssl?: ConnectionOptions | undefined;
  /** node-postgres Client class (src/aws/db-secret.ts: re-reads a rotated password). */
  clientClass?: typeof pg.Client | undefined;
}): DatabaseHandle {
  const statementTimeoutMs = opts.statementTimeoutMs ?? 30_000;
  const queryTimeoutMs =
    opts.queryTimeoutMs ?? (statementTimeoutMs === 0 ? 0 : statementTimeoutMs + 2000);
  const readyTimeoutMs = opts.readyTimeoutMs ?? 2000;
  const pool = new pg.Pool({
    connectionString: opts.databaseUrl,
    max: opts.poolMax ?? 10,
    // Fail fast while the server is down: a refused connection errors at once, a hanging one
    // after this long; either becomes a 503 problem in the error handler.
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 3_000,
    statement_timeout: statementTimeoutMs,
    // The server enforces statement_timeout only while it runs; a frozen or unreachable server
    // never answers, so the client gives up a little later (the request gets 503).
    ...(queryTimeoutMs > 0 ? { query_timeout: queryTimeoutMs } : {}),
    keepAlive: true,
    ...(opts.ssl ? { ssl: opts.ssl } : {}),
    ...(opts.clientClass ? { Client: opts.clientClass } : {}),
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", () => {});
  // Nor may a checked-out client whose connection dies between two queries of a transaction:
  // without a listener its 'error' event would be thrown. The failing query reports it, and the
  // pool discards the broken client when it is released.
  pool.on("connect", (client) => client.on("error", () => {}));
  const logger = opts.logger ?? false;
  const db = drizzle({ client: pool, schema, logger });
  // drizzle's pool transaction sends BEGIN outside its try/finally: when the connection dies
  // (database outage) between checkout and BEGIN, the client is never released, and enough such
  // leaks exhaust the pool for good. So transactions check out their client here and always
  // release it. A client whose query timed out or whose connection broke is closed at once (its
  // ROLLBACK would only queue behind the unanswered query; the server rolls back when the session
  // ends) and discarded, never handed to the next request.
  type TxArgs = Parameters<typeof db.transaction>;
  // One drizzle per pooled connection, not per transaction: building one walks the whole schema
  // (extractTablesRelationalConfig), which showed up in the create-expense profile.
  const make = (client: pg.PoolClient) => drizzle({ client, schema, logger });
  const perClient = new WeakMap<pg.PoolClient, ReturnType<typeof make>>();
  const drizzleFor = (client: pg.PoolClient) => {
    const d = perClient.get(client) ?? make(client);
    perClient.set(client, d);
    return d;
  };
  (db as { transaction: unknown }).transaction = async (work: TxArgs[0], config?: TxArgs[1]) => {
    const client = await pool.connect();
    let broken: Error | undefined;
    let released = false;
    const discard = (err: unknown) => {
      broken ??= err as Error;
      if (!released) client.release(broken);
      released = true;
    };
    try {
      return await drizzleFor(client).transaction(async (tx) => {
        try {
          return await work(tx);
        } catch (err) {
          if (isDatabaseUnavailable(err)) discard(err);
          throw err;
        }
      }, config);
    } catch (err) {
      if (broken || isDatabaseUnavailable(err)) discard(err);
      throw broken ?? err;
    } finally {
      if (!released) client.release();
    }
  };
  return {
    db: db as unknown as Database,
    kind: "postgres",
    pool,
    url: opts.databaseUrl,
    migrate: () => migrateUnderLock(pool),
    ping: () =>
      withDeadline(
        pool.query({ text: "select 1", query_timeout: readyTimeoutMs } as pg.QueryConfig),
        readyTimeoutMs,
      ),
    close: () => pool.end(),
  };
}
