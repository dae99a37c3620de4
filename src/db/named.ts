import { fillPlaceholders, type SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Executor } from "./types.js";

// Named prepared statements for the hot paths. Building SQL text with drizzle's query builder on
// every request cost about a fifth of the web process's CPU, and an unnamed statement is parsed
// and planned by PostgreSQL every time. A NamedStatement is rendered to text once (with drizzle,
// so shared fragments such as knownIdsOf stay the single source of truth); each connection
// prepares it on first use and then only binds values. It runs through the executor's own
// session: in its transaction, logged like every other statement (the statement-count test sees
// it), and on PGlite too (which ignores the name).

const dialect = new PgDialect();

/** A named placeholder for a value bound at run time. */
export const param = (name: string) => sql.placeholder(name);

interface Session {
  prepareQuery(
    query: { sql: string; params: unknown[] },
    fields: undefined,
    name: string | undefined,
    isResponseInArrayMode: boolean,
  ): { execute(): Promise<{ rows: Record<string, unknown>[] }> };
}

export class NamedStatement<Values extends Record<string, unknown>> {
  private compiled: { sql: string; params: unknown[] } | undefined;
  constructor(
    readonly name: string,
    private readonly query: SQL,
  ) {}

  /** Runs the statement on `db` (the database or a transaction); rows keep the columns' names. */
  async run(db: Executor, values: Values): Promise<Record<string, unknown>[]> {
    this.compiled ??= dialect.sqlToQuery(this.query);
    const params = fillPlaceholders(this.compiled.params, values);
    const session = (db as unknown as { session: Session }).session;
    const result = await session
      .prepareQuery({ sql: this.compiled.sql, params }, undefined, this.name, false)
      .execute();
    return result.rows;
  }
}

export const named = <Values extends Record<string, unknown>>(name: string, query: SQL) =>
  new NamedStatement<Values>(name, query);

/** A timestamp column as returned by a named statement (text), as a Date. */
export const toDate = (v: unknown): Date | null =>
  v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v));
