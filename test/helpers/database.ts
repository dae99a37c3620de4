import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import pg from "pg";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.js";

/** The PostgreSQL server the integration tests use, if any (CI sets it; see .ci/run). */
export const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;

// In CI the suite must run against the real server: never fall back to PGlite silently.
if (process.env.CI === "true" && !serverUrl) {
  throw new Error("CI=true but TEST_DATABASE_URL is not set: run the suite through .ci/run");
}

export interface TestDatabase extends DatabaseHandle {
  /** Empties every table and restarts ids: cheap, so tests reset instead of reopening. */
  reset(): Promise<void>;
  /** Drops the per-file database (server) or closes PGlite. */
  destroy(): Promise<void>;
  statements: { count: number; enabled: boolean };
}

/**
 * One database per test file: a fresh database on the server when a URL is given (so files run
 * in parallel without seeing each other), otherwise an in-memory PGlite.
 */
export async function openTestDatabase(
  opts: { engine?: "server" | "pglite" } = {},
): Promise<TestDatabase> {
  const engine = opts.engine ?? (serverUrl ? "server" : "pglite");
  const statements = { count: 0, enabled: false };
  const logger = {
    logQuery: () => {
      if (statements.enabled) statements.count++;
    },
  };
  let dropDatabase = async () => {};
  let handle: DatabaseHandle;
  if (engine === "server") {
    if (!serverUrl) throw new Error("TEST_DATABASE_URL is not set");
    const name = `evenly_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    handle = await openDatabase({
      databaseUrl: url.toString(),
      dataDir: "unused",
      poolMax: 20,
      logger,
    });
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  } else {
    handle = await openDatabase({ dataDir: "memory://", logger });
  }
  await handle.migrate();
  return {
    ...handle,
    statements,
    async reset() {
      await handle.db.execute(
        sql`truncate idempotency_keys, pair_balances, settlements, expense_shares, expense_payers, expenses, users restart identity cascade`,
      );
    },
    async destroy() {
      await handle.close();
      await dropDatabase();
    },
  };
}
