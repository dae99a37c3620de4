import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import pg from "pg";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.js";

/**
 * The PostgreSQL server the tests run on: TEST_DATABASE_URL, else DATABASE_URL, else the local
 * server on 127.0.0.1:5432 (test/setup/global.ts checks it answers before any file runs).
 */
export function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!url)
    throw new Error("No TEST_DATABASE_URL: run the tests with vitest (see vitest.config.ts)");
  return url;
}

/** Settings every process shares (the generated app secret): a running app has cached them. */
export const KEPT_BY_RESET = ["app_settings"];

/**
 * Every table of the app's schema but KEPT_BY_RESET, read from the catalogue after migrating,
 * so a table added by a migration is emptied by reset() without anyone listing it here.
 */
async function resettableTables(handle: DatabaseHandle): Promise<string[]> {
  const result = (await handle.db.execute(
    sql`select quote_ident(tablename) as name from pg_tables where schemaname = current_schema() order by 1`,
  )) as unknown as { rows: { name: string }[] };
  return result.rows.map((r) => r.name).filter((name) => !KEPT_BY_RESET.includes(name));
}

/** A new, empty database on the test server (a private one per file or process), and how to drop it. */
export async function createServerDatabase(
  prefix: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const server = serverUrl();
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface TestDatabase extends DatabaseHandle {
  /** Empties every table but KEPT_BY_RESET and restarts ids: cheap, so tests reset instead of reopening. */
  reset(): Promise<void>;
  /** Drops the per-file database (server) or closes PGlite. */
  destroy(): Promise<void>;
  statements: { count: number; enabled: boolean };
}

/**
 * One database per test file: a fresh database on the server (so files run in parallel without
 * seeing each other), or an in-memory PGlite when a test asks for the embedded engine.
 */
export async function openTestDatabase(
  opts: { engine?: "server" | "pglite" } = {},
): Promise<TestDatabase> {
  const engine = opts.engine ?? "server";
  const statements = { count: 0, enabled: false };
  const logger = {
    logQuery: () => {
      if (statements.enabled) statements.count++;
    },
  };
  let dropDatabase = async () => {};
  let handle: DatabaseHandle;
  if (engine === "server") {
    const created = await createServerDatabase("evenly_test");
    handle = await openDatabase({
      databaseUrl: created.url,
      dataDir: "unused",
      poolMax: 20,
      // Tests queue hundreds of requests on a busy 2-CPU machine: a long wait for a pooled
      // connection is not an outage here (the outage test opens its database with its own).
      connectTimeoutMs: 30_000,
      logger,
    });
    dropDatabase = created.drop;
  } else {
    handle = await openDatabase({ dataDir: "memory://", logger });
  }
  await handle.migrate();
  const tables = await resettableTables(handle);
  return {
    ...handle,
    statements,
    async reset() {
      await handle.db.execute(sql.raw(`truncate ${tables.join(", ")} restart identity cascade`));
    },
    async destroy() {
      await handle.close();
      await dropDatabase();
    },
  };
}
