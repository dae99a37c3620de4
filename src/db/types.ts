import type { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type pg from "pg";
import type * as schema from "./schema.js";

// The database's types on their own, so both openers (client.ts: PGlite, postgres.ts: a server)
// can name them without importing each other.

export type Schema = typeof schema;
/** The same query API whichever engine is underneath. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Anything that can run a query: the database or an open transaction. */
export type Executor = Database | Tx;

export interface DatabaseHandle {
  db: Database;
  kind: "postgres" | "pglite";
  /** Applies pending migrations from ./drizzle (idempotent; concurrent processes take turns). */
  migrate(): Promise<void>;
  /** A cheap round trip used by readiness checks; rejects when the database does not answer soon. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** The raw PGlite instance in embedded mode (the queue library shares it later). */
  pglite?: PGlite;
  /** The pg pool and its connection string in server mode. */
  pool?: pg.Pool;
  url?: string;
}
