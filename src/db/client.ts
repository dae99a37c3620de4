import { mkdirSync } from "node:fs";
import path from "node:path";
import type { ConnectionOptions } from "node:tls";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { Logger } from "drizzle-orm/logger";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type pg from "pg";
import { openPostgres } from "./postgres.js";
import * as schema from "./schema.js";
import type { Database, DatabaseHandle } from "./types.js";

export type { Database, DatabaseHandle, Executor, Schema, Tx } from "./types.js";

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** Folder that holds the embedded database; `memory://` for a throwaway in-memory one. */
  dataDir: string;
  poolMax?: number;
  /** A connection attempt that takes longer fails (the request gets 503 instead of hanging). */
  connectTimeoutMs?: number;
  /** Server-side statement_timeout for every query; 0 disables it. */
  statementTimeoutMs?: number;
  /** Client-side limit on every query (a frozen server cannot time out); 0 disables it. */
  queryTimeoutMs?: number;
  /** How long ping() (readiness) waits for an answer. */
  readyTimeoutMs?: number;
  logger?: Logger;
  /** TLS for the server connection (RDS: verified against Amazon's CAs). */
  ssl?: ConnectionOptions;
  /** node-postgres Client class (src/aws/db-secret.ts: re-reads a rotated password). */
  clientClass?: typeof pg.Client;
}

const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

export async function openDatabase(opts: OpenOptions): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    return openPostgres({
      databaseUrl: opts.databaseUrl,
      poolMax: opts.poolMax,
      connectTimeoutMs: opts.connectTimeoutMs,
      statementTimeoutMs: opts.statementTimeoutMs,
      queryTimeoutMs: opts.queryTimeoutMs,
      readyTimeoutMs: opts.readyTimeoutMs,
      logger: opts.logger,
      ssl: opts.ssl,
      clientClass: opts.clientClass,
    });
  }
  const dir = opts.dataDir.startsWith("memory://") ? opts.dataDir : path.join(opts.dataDir, "pg");
  if (!dir.startsWith("memory://")) mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir);
  const db = drizzlePglite({ client, schema, logger: opts.logger ?? false });
  return {
    db: db as unknown as Database,
    kind: "pglite",
    pglite: client,
    // No lock needed: PGlite's data folder belongs to this one process.
    migrate: () => migratePglite(db, { migrationsFolder }),
    ping: async () => {
      await client.query("select 1");
    },
    close: () => client.close(),
  };
}
