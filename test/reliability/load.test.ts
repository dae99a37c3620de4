import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { txRetryStats } from "../../src/db/transaction.js";
import { verifyLedger } from "../../src/services/ledger.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { sqlRecomputedPairs, storedPairs } from "../helpers/ledger-sql.js";
import { byStatus, percentile, runWorkload } from "../helpers/workload.js";

const SECONDS = Number(process.env.LOAD_SECONDS ?? 10);
const CLIENTS = 16;
const USERS = 50;

// Real PostgreSQL server, real sockets.
describe("under load", () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp({ engine: "server" });
    base = await t.app.listen({ port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => t.close());

  it(
    `${CLIENTS} clients, ${USERS} overlapping users, ${SECONDS} s: no 5xx, no deadlock reaches a user, ledger exact`,
    async () => {
      const users: number[] = [];
      for (let i = 0; i < USERS; i++) users.push(await t.user("L"));
      const retriesBefore = { ...txRetryStats };
      const started = Date.now();
      const { samples } = await runWorkload({
        base,
        users,
        clients: CLIENTS,
        seconds: SECONDS,
        headersFor: t.authHeaders,
      });
      const elapsed = (Date.now() - started) / 1000;
      const statuses = byStatus(samples);
      const ops: Record<string, number> = {};
      for (const s of samples) ops[s.op] = (ops[s.op] ?? 0) + 1;
      const ms = samples.map((s) => s.ms);
      const opLatency = Object.keys(ops)
        .map((op) => {
          const m = samples.filter((s) => s.op === op).map((s) => s.ms);
          return `${op} ${percentile(m, 50).toFixed(0)}/${percentile(m, 95).toFixed(0)}`;
        })
        .join(", ");
      const report = await verifyLedger(t.db.db);
      const sqlPairs = await sqlRecomputedPairs(t.db.db);
      const stored = await storedPairs(t.db.db);
      console.log(
        [
          `load: ${samples.length} requests in ${elapsed.toFixed(1)} s (${(samples.length / elapsed).toFixed(0)}/s) by ${CLIENTS} clients over ${USERS} users`,
          `  by status: ${JSON.stringify(statuses)}`,
          `  by operation: ${JSON.stringify(ops)}`,
          `  latency p50 ${percentile(ms, 50).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms`,
          `  p50/p95 ms by operation: ${opLatency}`,
          `  deadlock/serialization retries absorbed: ${txRetryStats.retries - retriesBefore.retries}, exhausted: ${txRetryStats.exhausted - retriesBefore.exhausted}`,
          `  ledger: ${report.expensesChecked} expenses, ${report.settlementsChecked} settlements, ${report.pairsChecked} pairs; drift ${report.drift.length}, bad expenses ${report.badExpenses.length}, net sum ${report.netSum}; SQL recomputation ${sqlPairs.size === stored.size ? "matches" : "differs"}`,
        ].join("\n"),
      );
      expect(samples.length).toBeGreaterThan(SECONDS * 20);
      expect(samples.filter((s) => s.status >= 500 || s.status === 0)).toEqual([]);
      // Expected refusals only: 404 (deleted meanwhile), 412 (stale If-Match, some on purpose).
      expect(
        Object.keys(statuses).filter((s) => !["200", "201", "204", "404", "412"].includes(s)),
      ).toEqual([]);
      expect(samples.filter((s) => s.status >= 400 && !s.problem)).toEqual([]);
      expect(txRetryStats.exhausted - retriesBefore.exhausted).toBe(0);
      expect(report.drift).toEqual([]);
      expect(report.badExpenses).toEqual([]);
      expect(report.netSum).toBe(0);
      expect(stored).toEqual(sqlPairs);
    },
    SECONDS * 1000 + 120_000,
  );
});
