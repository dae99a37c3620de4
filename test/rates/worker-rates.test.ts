import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startQueue } from "../../src/compose/queue.js";
import { type Config, loadConfig } from "../../src/config.js";
import { startBoss } from "../../src/notifications/pgboss.js";
import { FX_RATES_QUEUE, startRatesSchedule } from "../../src/notifications/rates-schedule.js";
import type { Log } from "../../src/notifications/runtime.js";
import { refreshRates } from "../../src/services/fx-rates.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { type RatesServer, startRatesServer } from "../helpers/rates-server.js";
import { startWorker, until } from "../helpers/worker-process.js";

// The daily FX_RATES_URL download on the worker's pg-boss, against a local server serving the
// fixture files: in-process (schedule, start-up download, retry) and as `npm run worker`.
let db: TestDatabase;
let server: RatesServer;
let dataDir: string;
beforeAll(async () => {
  db = await openTestDatabase({ engine: "server" });
  server = await startRatesServer({ file: "eurofxref-daily.xml" });
  dataDir = mkdtempSync(path.join(tmpdir(), "evenly-rates-"));
});
afterAll(async () => {
  await server.close();
  await db.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await db.reset();
  server.answer = { file: "eurofxref-daily.xml" };
  server.requests = 0;
});

const count = async () =>
  Number(
    (
      (await db.db.execute(sql`select count(*)::int as n from fx_rates`)) as unknown as {
        rows: { n: number }[];
      }
    ).rows[0]?.n,
  );
/** Polls the table until it holds `n` rates. */
async function rates(n: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await count()) < n) {
    if (Date.now() > deadline)
      throw new Error(`the rates table has ${await count()} rows, not ${n}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A Log that keeps the messages (the worker's pino in production). */
function memoryLog(): Log & { lines: { level: string; msg: string; obj: object }[] } {
  const lines: { level: string; msg: string; obj: object }[] = [];
  return {
    lines,
    info: (obj, msg = "") => lines.push({ level: "info", msg, obj }),
    error: (obj, msg = "") => lines.push({ level: "error", msg, obj }),
  };
}

const configWith = (env: Record<string, string>): Config =>
  loadConfig({
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    WORKER_POLL_SECONDS: "0.5",
    QUEUE_MAINTENANCE_SECONDS: "1",
    ...env,
  });
const schedules = async (boss: PgBoss) =>
  // The row as stored (pg-boss's type leaves out its timezone column).
  (await boss.getSchedules()).map((s) => ({
    name: s.name,
    cron: s.cron,
    tz: (s as PgBoss.Schedule & { timezone?: string }).timezone,
  }));

describe("the worker's daily rates download", () => {
  it("is scheduled in UTC, downloads at once when no rate is stored, and not again when fresh", async () => {
    const log = memoryLog();
    const runtime = (await startQueue(
      db,
      configWith({ FX_RATES_URL: server.url }),
      log,
    )) as Awaited<ReturnType<typeof startQueue>> & { boss: PgBoss };
    try {
      expect(await schedules(runtime.boss)).toContainEqual({
        name: FX_RATES_QUEUE,
        cron: "0 16 * * *",
        tz: "UTC",
      });
      await rates(8);
      expect(server.requests).toBe(1);
      await until(
        () => log.lines.some((l) => l.msg === "exchange rates stored"),
        10_000,
        () => JSON.stringify(log.lines),
      );
      expect(log.lines.find((l) => l.msg === "exchange rates stored")?.obj).toMatchObject({
        days: 1,
        rates: 8,
        newest: "2024-06-14",
      });
    } finally {
      await runtime.stop();
    }
    // Restarted with fresh rates: no download until the schedule says so.
    const again = await startQueue(db, configWith({ FX_RATES_URL: server.url }), memoryLog());
    await new Promise((r) => setTimeout(r, 1500));
    await again.stop();
    expect(server.requests).toBe(1);
  });

  it("is unscheduled when FX_RATES_URL is unset", async () => {
    const runtime = (await startQueue(db, configWith({}), memoryLog())) as Awaited<
      ReturnType<typeof startQueue>
    > & { boss: PgBoss };
    try {
      expect((await schedules(runtime.boss)).map((s) => s.name)).not.toContain(FX_RATES_QUEUE);
    } finally {
      await runtime.stop();
    }
  });

  it("logs a failed download and retries it (pg-boss), which then stores the rates", async () => {
    const config = configWith({ FX_RATES_URL: server.url });
    const log = memoryLog();
    const boss = await startBoss(db, config);
    server.answer = { status: 503 };
    const consumer = await startRatesSchedule(boss, db.db, {
      cron: config.FX_RATES_CRON,
      refresh: () => refreshRates(db.db, server.url, { timeoutMs: 2000 }),
      pollMs: 200,
      log,
      retryDelaySeconds: 1,
    });
    try {
      await until(
        () => log.lines.some((l) => l.level === "error"),
        30_000,
        () => "a logged failure",
      );
      const failure = log.lines.find((l) => l.level === "error");
      expect(failure?.msg).toBe(
        "exchange rates download failed; retried later, and by the next schedule",
      );
      expect((failure?.obj as { err?: Error } | undefined)?.err?.message).toBe(
        `GET ${server.url} answered HTTP 503`,
      );
      expect(await count()).toBe(0);
      server.answer = { file: "eurofxref-hist.xml" };
      await rates(9);
      expect(server.requests).toBeGreaterThanOrEqual(2);
    } finally {
      await consumer.stop();
      await boss.stop({ graceful: false, wait: true });
    }
  });
});

describe("npm run worker with FX_RATES_URL", () => {
  it("survives a download that hangs past FX_RATES_TIMEOUT_MS, logs it, and stops cleanly", async () => {
    server.answer = "hang";
    const worker = startWorker({
      DATABASE_URL: db.url as string,
      DATA_DIR: dataDir,
      FX_RATES_URL: server.url,
      FX_RATES_TIMEOUT_MS: "1000",
      WORKER_POLL_SECONDS: "0.5",
    });
    try {
      await until(
        () => worker.logs.some((l) => l.includes("exchange rates download failed")),
        60_000,
        () => `the failure in the worker's log (exit ${worker.exit}): ${worker.logs.join("\n")}`,
      );
      const line = JSON.parse(
        worker.logs.find((l) => l.includes("exchange rates download failed")) as string,
      );
      expect(line.err.message).toBe(`GET ${server.url} took longer than 1000 ms`);
      // Still running well after the failure; SIGTERM ends it normally.
      await new Promise((r) => setTimeout(r, 2000));
      expect(worker.exit).toBeUndefined();
      worker.child.kill("SIGTERM");
      expect(await worker.exited).toBe(0);
      expect(await count()).toBe(0);
    } finally {
      if (worker.exit === undefined) worker.child.kill("SIGKILL");
    }
  });

  it("refuses to start with an FX_RATES_URL that is not http(s)", async () => {
    const worker = startWorker({
      DATABASE_URL: db.url as string,
      FX_RATES_URL: "file:///etc/passwd",
    });
    expect(await worker.exited).toBe(2);
  });
});
