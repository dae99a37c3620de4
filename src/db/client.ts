import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { Logger } from "drizzle-orm/logger";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import * as schema from "./schema.js";

export type Schema = typeof schema;
/** The same query API whichever engine is underneath. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Anything that can run a query: the database or an open transaction. */
export type Executor = Database | Tx;

export interface DatabaseHandle {
  db: Database;
  kind: "postgres" | "pglite";
  /** Applies pending migrations from ./drizzle (idempotent). */
  migrate(): Promise<void>;
  /** A cheap round trip used by readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** The raw PGlite instance in embedded mode (the queue library shares it later). */
  pglite?: PGlite;
  /** The pg pool and its connection string in server mode. */
  pool?: pg.Pool;
  url?: string;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** Folder that holds the embedded database; `memory://` for a throwaway in-memory one. */
  dataDir: string;
  poolMax?: number;
  /** A connection attempt that takes longer fails (the request gets 503 instead of hanging). */
  connectTimeoutMs?: number;
  /** Server-side statement_timeout for every query; 0 disables it. */
  statementTimeoutMs?: number;
  logger?: Logger;
}

const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

// pg returns int8 (bigint) as strings by default; every bigint we store is paise or basis points,
// bounded by CHECK constraints far below 2^53, so parse them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export async function openDatabase(opts: OpenOptions): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolMax ?? 10,
      // Fail fast while the server is down: a refused connection errors at once, a hanging one
      // after this long; either becomes a 503 problem in the error handler.
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 3_000,
      statement_timeout: opts.statementTimeoutMs ?? 30_000,
      keepAlive: true,
    });
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on("error", () => {});
    // Nor may a checked-out client whose connection dies between two queries of a transaction:
    // without a listener its 'error' event would be thrown. The failing query reports it, and the
    // pool discards the broken client when it is released.
    pool.on("connect", (client) => client.on("error", () => {}));
    const logger = opts.logger ?? false;
    const db = drizzleNodePg({ client: pool, schema, logger });
    // drizzle's pool transaction sends BEGIN outside its try/finally: when the connection dies
    // (database outage) between checkout and BEGIN, the client is never released, and enough such
    // leaks exhaust the pool for good. So transactions check out their client here and always
    // release it; a broken client (not queryable) is discarded by the pool on release.
    type TxArgs = Parameters<typeof db.transaction>;
    (db as { transaction: unknown }).transaction = async (work: TxArgs[0], config?: TxArgs[1]) => {
      const client = await pool.connect();
      try {
        return await drizzleNodePg({ client, schema, logger }).transaction(work, config);
      } finally {
        client.release();
      }
    };
    return {
      db: db as unknown as Database,
      kind: "postgres",
      pool,
      url: opts.databaseUrl,
      migrate: () => migrateNodePg(db, { migrationsFolder }),
      ping: async () => {
        await pool.query("select 1");
      },
      close: () => pool.end(),
    };
  }
  const dir = opts.dataDir.startsWith("memory://") ? opts.dataDir : path.join(opts.dataDir, "pg");
  if (!dir.startsWith("memory://")) mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir);
  const db = drizzlePglite({ client, schema, logger: opts.logger ?? false });
  return {
    db: db as unknown as Database,
    kind: "pglite",
    pglite: client,
    migrate: () => migratePglite(db, { migrationsFolder }),
    ping: async () => {
      await client.query("select 1");
    },
    close: () => client.close(),
  };
}
