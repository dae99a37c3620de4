import type { ConnectionOptions } from "node:tls";
import { fileURLToPath } from "node:url";
import type { Logger } from "drizzle-orm/logger";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import type { Database, DatabaseHandle } from "./client.js";
import * as schema from "./schema.js";

// The server path on its own, so code that never uses the embedded database (the Lambda bundles)
// imports only `pg`, not PGlite.

const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

// pg returns int8 (bigint) as strings by default; every bigint we store is paise or basis points,
// bounded by CHECK constraints far below 2^53, so parse them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export function openPostgres(opts: {
  databaseUrl: string;
  poolMax?: number | undefined;
  logger?: Logger | undefined;
  /** TLS settings (verified TLS to RDS); the URL's sslmode, if any, takes precedence in pg. */
  ssl?: ConnectionOptions | undefined;
}): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: opts.databaseUrl,
    max: opts.poolMax ?? 10,
    connectionTimeoutMillis: 5_000,
    ...(opts.ssl ? { ssl: opts.ssl } : {}),
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", () => {});
  const db = drizzle({ client: pool, schema, logger: opts.logger ?? false });
  return {
    db: db as unknown as Database,
    kind: "postgres",
    pool,
    url: opts.databaseUrl,
    migrate: () => migrate(db, { migrationsFolder }),
    ping: async () => {
      await pool.query("select 1");
    },
    close: () => pool.end(),
  };
}
