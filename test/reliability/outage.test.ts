import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.js";
import { verifyLedger } from "../../src/services/ledger.js";
import { createFixtureUser } from "../helpers/app.js";
import { sqlRecomputedPairs, storedPairs } from "../helpers/ledger-sql.js";
import { freePort } from "../helpers/ports.js";
import { type PrivatePostgres, startPrivatePostgres } from "../helpers/private-postgres.js";
import { testSeed } from "../helpers/seed.js";
import { byStatus, percentile, runWorkload } from "../helpers/workload.js";

const sameMap = (a: Map<string, number>, b: Map<string, number>) =>
  a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
const SECONDS = Number(process.env.OUTAGE_SECONDS ?? 10);
const CONNECT_TIMEOUT_MS = 1000;
/** Every wait is bounded: a request, and the app becoming ready again after the restart. */
const REQUEST_TIMEOUT_MS = 10_000;
const READY_WITHIN_MS = 60_000;

// Runs a private PostgreSQL server (stopped and started), so the shared one is never touched.
describe("database outage", () => {
  let pgp: PrivatePostgres;
  let database: DatabaseHandle;
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    pgp = await startPrivatePostgres(await freePort());
    const config = loadConfig({
      LOG_LEVEL: "silent",
      DATABASE_URL: pgp.url,
      DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    });
    database = await openDatabase({
      databaseUrl: pgp.url,
      dataDir: "unused",
      poolMax: 10,
      connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    });
    await database.migrate();
    app = await buildApp({ config, database, logger: false });
    base = await app.listen({ port: 0, host: "127.0.0.1" });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.close();
    pgp?.destroy();
  });

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it(`PostgreSQL stopped mid-load (${SECONDS} s run): fast 503 problems, nothing half-written, recovery without a restart`, async () => {
    // Users with accounts and API tokens, written straight into the private database.
    const credentials = new Map<number, Record<string, string>>();
    for (let i = 0; i < 20; i++) {
      const u = await createFixtureUser(database.db, `O${i}`, {
        friends: [...credentials.keys()],
      });
      credentials.set(u.id, u.headers);
    }
    const users = [...credentials.keys()];
    const headersFor = (userId: number) => {
      const headers = credentials.get(userId);
      if (!headers) throw new Error(`no credentials for user ${userId}`);
      return headers;
    };
    const started = Date.now();
    const stopAt = started + SECONDS * 300;
    const restartAt = started + SECONDS * 600;
    let stoppedAt = 0;
    let restartedAt = 0;
    let restartingAt = 0;
    let readyAt = 0;
    const chaos = (async () => {
      await new Promise((r) => setTimeout(r, stopAt - Date.now()));
      await pgp.stopImmediate();
      stoppedAt = Date.now();
      await new Promise((r) => setTimeout(r, restartAt - Date.now()));
      restartingAt = Date.now();
      await pgp.start();
      restartedAt = Date.now();
      for (;;) {
        const r = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) }).catch(
          () => undefined,
        );
        if (r?.status === 200) break;
        if (Date.now() - restartedAt > READY_WITHIN_MS)
          throw new Error(`not ready ${READY_WITHIN_MS} ms after PostgreSQL was started again`);
        await new Promise((res) => setTimeout(res, 50));
      }
      readyAt = Date.now();
    })();
    const { samples, creates } = await runWorkload({
      base,
      users,
      clients: 8,
      seconds: SECONDS,
      headersFor,
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
    await chaos;
    // And after recovery (however long the restart took), 2 s more of the same load.
    const recovered = await runWorkload({
      base,
      users,
      clients: 8,
      seconds: 2,
      headersFor,
      seed: testSeed + 1, // not the first phase's sequence again
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
    samples.push(...recovered.samples);
    creates.push(...recovered.creates);
    // Every pooled connection came back: none leaked by a transaction cut off mid-way.
    const pool = database.pool as NonNullable<DatabaseHandle["pool"]>;
    const leaked = pool.totalCount - pool.idleCount;
    // `at` is when a response came back: "during" = answered while the server was surely down
    // (from 200 ms after the stop until the restart began; pg_ctl start returns only once the
    // server already accepts connections).
    const during = samples.filter((s) => s.at > stoppedAt + 200 && s.at < restartingAt);
    const after = recovered.samples;
    const outageMs = during.map((s) => s.ms);

    // Every create that did not get its answer is retried with its key: exactly once, never twice.
    const unanswered = creates.filter((c) => c.status !== 201);
    let retried201 = 0;
    for (const c of unanswered) {
      // Keys are per user: the retry comes from whoever sent the original.
      const r = await post(c.path, c.body, { ...headersFor(c.actor), "idempotency-key": c.key });
      if (r.status === 201) retried201++;
    }
    const q = async (text: string) =>
      Number(
        ((await database.db.execute(sql.raw(text))) as unknown as { rows: { n: number }[] }).rows[0]
          ?.n,
      );
    const expenseRows = await q("select count(*)::int as n from expenses");
    const expenseKeys = await q(
      "select count(*)::int as n from idempotency_keys where path = '/expenses'",
    );
    const settlementRows = await q("select count(*)::int as n from settlements");
    const settlementKeys = await q(
      "select count(*)::int as n from idempotency_keys where path = '/settlements'",
    );
    const orphanLines = await q(
      "select count(*)::int as n from expenses e where not exists (select 1 from expense_shares s where s.expense_id = e.id) or not exists (select 1 from expense_payers p where p.expense_id = e.id)",
    );
    const report = await verifyLedger(database.db);
    const sqlPairs = await sqlRecomputedPairs(database.db);
    const stored = await storedPairs(database.db);
    console.log(
      [
        `outage: ${samples.length} requests over ${SECONDS} s by 8 clients; PostgreSQL stopped (immediate) at +${((stoppedAt - started) / 1000).toFixed(1)} s, started at +${((restartedAt - started) / 1000).toFixed(1)} s, app ready ${readyAt - restartedAt} ms later (no restart)`,
        `  all requests by status: ${JSON.stringify(byStatus(samples))}`,
        `  during the outage: ${during.length} requests, by status ${JSON.stringify(byStatus(during))}, latency p50 ${percentile(outageMs, 50).toFixed(1)} ms, p95 ${percentile(outageMs, 95).toFixed(1)} ms, max ${Math.max(0, ...outageMs).toFixed(1)} ms`,
        `  after recovery: ${after.length} requests, by status ${JSON.stringify(byStatus(after))}`,
        `  pool after the run: ${pool.totalCount} connections, ${leaked} still checked out`,
        `  unanswered creates retried with their key: ${unanswered.length} → ${retried201} × 201`,
        `  expenses ${expenseRows} = keys ${expenseKeys}; settlements ${settlementRows} = keys ${settlementKeys}; expenses without lines ${orphanLines}`,
        `  ledger: drift ${report.drift.length}, bad expenses ${report.badExpenses.length}, net sum ${report.netSum}; SQL recomputation ${sameMap(stored, sqlPairs) ? "matches" : "differs"}`,
      ].join("\n"),
    );
    // The app never went away and never answered 500.
    expect(samples.filter((s) => s.status === 0 || (s.status >= 500 && s.status !== 503))).toEqual(
      [],
    );
    // While the database is down: 503 problems, fast.
    expect(during.length).toBeGreaterThan(0);
    expect(during.filter((s) => s.status !== 503 || !s.problem)).toEqual([]);
    expect(percentile(outageMs, 95)).toBeLessThan(CONNECT_TIMEOUT_MS + 500);
    expect(leaked).toBe(0);
    // Recovered without a restart.
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((s) => s.status >= 500)).toEqual([]);
    // Nothing lost, nothing doubled, nothing half-written.
    expect(retried201).toBe(unanswered.length);
    expect(expenseRows).toBe(expenseKeys);
    expect(settlementRows).toBe(settlementKeys);
    expect(orphanLines).toBe(0);
    expect(report.drift).toEqual([]);
    expect(report.badExpenses).toEqual([]);
    expect(report.netSum).toBe(0);
    expect(stored).toEqual(sqlPairs);
  }, 180_000);
});
