import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { type Database, type DatabaseHandle, openDatabase } from "../../src/db/client.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { freePort } from "../helpers/ports.js";
import { type PrivatePostgres, startPrivatePostgres } from "../helpers/private-postgres.js";
import { type SmtpSink, startSmtpSink } from "../helpers/smtp.js";
import {
  addExpenses,
  dedupeKeys,
  expectStableMessageIds,
  FAST_RECOVERY,
  type FixtureUser,
  fixtureUsers,
  startWorker,
  until,
  type WorkerProcess,
} from "../helpers/worker-process.js";

// A separate worker process shares the test's database on the server.
const rows = async <T>(db: Database, query: ReturnType<typeof sql>) =>
  ((await db.execute(query)) as unknown as { rows: T[] }).rows;
const outboxKeys = async (db: Database) =>
  (await rows<{ dedupe_key: string }>(db, sql`select dedupe_key from outbox`)).map(
    (r) => r.dedupe_key,
  );

describe("worker crash", () => {
  let db: TestDatabase;
  let smtp: SmtpSink;
  let users: FixtureUser[];
  let worker: WorkerProcess | undefined;
  beforeAll(async () => {
    db = await openTestDatabase({ engine: "server" });
    smtp = await startSmtpSink();
    users = await fixtureUsers(db.db, 20);
  });
  afterAll(async () => {
    worker?.child.kill("SIGKILL");
    await smtp.close();
    await db.destroy();
  });

  const env = (extra: Record<string, string> = {}) => ({
    DATABASE_URL: db.url as string,
    SMTP_URL: smtp.url,
    ...extra,
  });
  const progress = () => `${dedupeKeys(smtp).size} distinct, ${smtp.mails.length} total`;

  async function recordExpenses(count: number, label: string) {
    const app = await buildApp({
      config: loadConfig({ LOG_LEVEL: "silent" }),
      database: db,
      logger: false,
    });
    await addExpenses(app, users, count, label);
    await app.close();
  }

  it("SIGKILLing the worker mid-run loses no notification; duplicates are at most one per kill", async () => {
    await recordExpenses(100, "e");
    const expected = await outboxKeys(db.db);
    expect(expected).toHaveLength(500);

    const kills: number[] = [];
    for (const at of [120, 300]) {
      worker = startWorker(env(FAST_RECOVERY));
      const t0 = Date.now();
      await until(
        () => dedupeKeys(smtp).size >= at,
        60_000,
        () => `${at} mails: ${progress()}`,
      );
      console.log(`reached ${at} after ${Date.now() - t0} ms`);
      worker.child.kill("SIGKILL");
      kills.push(smtp.mails.length);
      await worker.exited;
    }
    worker = startWorker(env(FAST_RECOVERY));
    await until(
      () => dedupeKeys(smtp).size >= 500,
      90_000,
      () => `all 500 mails: ${progress()}`,
    );
    await new Promise((r) => setTimeout(r, 1500)); // let any late duplicate arrive before counting

    const got = dedupeKeys(smtp);
    const lost = expected.filter((k) => !got.has(k));
    const duplicates = smtp.mails.length - got.size;
    console.log(
      `crash test: ${expected.length} notifications, worker SIGKILLed after ${kills.join(" and ")} mails; delivered ${got.size} distinct, lost ${lost.length}, duplicates ${duplicates}`,
    );
    expect(lost).toEqual([]);
    expect(duplicates).toBeLessThanOrEqual(kills.length);
    expectStableMessageIds(smtp); // a duplicate carries the same Message-ID as the original
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
  }, 240_000);

  it("with the default settings, a SIGKILLed worker's stranded batch is delivered within about a minute", async () => {
    const before = new Set(await outboxKeys(db.db));
    await recordExpenses(10, "r");
    const expected = (await outboxKeys(db.db)).filter((k) => !before.has(k));
    const mailsBefore = smtp.mails.length;
    smtp.delayMs = 100; // a batch of 10 takes ~1 s, so the kill lands inside one
    const firstSeen = new Map<string, number>();
    const watch = setInterval(() => {
      for (const k of dedupeKeys(smtp)) if (!firstSeen.has(k)) firstSeen.set(k, Date.now());
    }, 10);
    try {
      worker = startWorker(env()); // only the database and the mail server: default timings
      const delivered = () => expected.filter((k) => dedupeKeys(smtp).has(k)).length;
      await until(
        () => delivered() >= 3,
        60_000,
        () => `3 mails: ${progress()}`,
      );
      worker.child.kill("SIGKILL");
      const killedAt = Date.now();
      await worker.exited;
      const active = (
        await rows<{ key: string }>(
          db.db,
          sql`select data->>'dedupeKey' as key from pgboss.job where name = 'notification' and state = 'active'`,
        )
      ).map((r) => r.key);
      // The batch in hand: its jobs still active, their mail not yet out (completion is per batch).
      const stranded = active.filter(
        (k) => (firstSeen.get(k) ?? Number.POSITIVE_INFINITY) > killedAt,
      );
      worker = startWorker(env());
      await until(
        () => delivered() === expected.length,
        180_000,
        () => `${expected.length} mails: ${progress()}`,
      );
      await new Promise((r) => setTimeout(r, 1500)); // let any late duplicate arrive
      const got = dedupeKeys(smtp);
      const lost = expected.filter((k) => !got.has(k));
      const mine = smtp.mails.slice(mailsBefore);
      const duplicates =
        mine.length - new Set(mine.map((m) => m.headers.get("x-evenly-dedupe-key"))).size;
      const recoveredMs = Math.max(
        ...stranded.map((k) => (firstSeen.get(k) ?? Number.POSITIVE_INFINITY) - killedAt),
      );
      const deliveredAtKill = expected.filter(
        (k) => (firstSeen.get(k) ?? Number.POSITIVE_INFINITY) <= killedAt,
      ).length;
      console.log(
        `crash recovery (default settings): ${expected.length} notifications, worker SIGKILLed after ${deliveredAtKill} mails with ${active.length} jobs active, ${stranded.length} of them not yet sent; that stranded batch was delivered ${(recoveredMs / 1000).toFixed(1)} s after the kill; lost ${lost.length}, duplicates ${duplicates} (at most the mail whose SMTP conversation the kill interrupted)`,
      );
      expect(stranded.length).toBeGreaterThan(0);
      expect(recoveredMs).toBeLessThan(180_000);
      expect(lost).toEqual([]);
      // Only the mail the server accepted just before the kill can be sent again: its mark never came.
      expect(duplicates).toBeLessThanOrEqual(1);
      expectStableMessageIds(smtp);
      worker.child.kill("SIGTERM");
      expect(await worker.exited).toBe(0);
    } finally {
      clearInterval(watch);
      smtp.delayMs = 0;
    }
  }, 300_000);
});

// The worker must ride out a database outage with jobs in flight: keep polling, retry settling its
// jobs, deliver everything (including mail for expenses recorded after the restart), exit only on
// a signal. A private PostgreSQL is stopped and started; the shared one is never touched.
describe("worker during a database outage", () => {
  const OUTAGE_MS = 5000;
  let pgp: PrivatePostgres;
  let database: DatabaseHandle;
  let smtp: SmtpSink;
  let worker: WorkerProcess | undefined;
  beforeAll(async () => {
    pgp = await startPrivatePostgres(await freePort());
    database = await openDatabase({ databaseUrl: pgp.url, dataDir: "unused", poolMax: 4 });
    await database.migrate();
    smtp = await startSmtpSink();
  }, 120_000);
  afterAll(async () => {
    worker?.child.kill("SIGKILL");
    await smtp?.close();
    await database?.close();
    pgp?.destroy();
  });

  it(`PostgreSQL stopped for ${OUTAGE_MS / 1000} s mid-run: the worker stays up and delivers every mail`, async () => {
    const app = await buildApp({
      config: loadConfig({ LOG_LEVEL: "silent" }),
      database,
      logger: false,
    });
    const users = await fixtureUsers(database.db, 20);
    await addExpenses(app, users, 60, "o");
    smtp.delayMs = 10; // seconds of sending: jobs are in flight when the server goes away
    worker = startWorker({
      ...FAST_RECOVERY,
      DATABASE_URL: pgp.url,
      SMTP_URL: smtp.url,
      NOTIFY_LEASE_SECONDS: "20", // longer than the outage: a claim made before it stays valid
      DB_CONNECT_TIMEOUT_MS: "1000",
    });
    const t0 = Date.now();
    // Waits for `count` distinct mails; fails at once if the worker died.
    const delivered = (count: number) =>
      until(
        () => {
          if (worker?.exit !== undefined) throw new Error(`the worker exited (${worker.exit})`);
          return dedupeKeys(smtp).size >= count;
        },
        60_000,
        () => `${count} mails: ${dedupeKeys(smtp).size}`,
      );
    await delivered(60);
    await pgp.stopImmediate();
    const stoppedAt = Date.now();
    const deliveredAtStop = dedupeKeys(smtp).size;
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await pgp.start();
    const startedAt = Date.now();
    await delivered(300);
    const drainedAt = Date.now();
    // Mail for expenses recorded after the restart goes out too.
    await addExpenses(app, users, 10, "after");
    await app.close();
    const expected = await outboxKeys(database.db);
    await delivered(expected.length);
    await new Promise((r) => setTimeout(r, 1500)); // let any late duplicate arrive
    const got = dedupeKeys(smtp);
    const lost = expected.filter((k) => !got.has(k));
    const duplicates = smtp.mails.length - got.size;
    const retryLogs = worker.logs.filter((l) => l.includes("will retry")).length;
    worker.child.kill("SIGTERM");
    const exit = await worker.exited;
    console.log(
      `worker outage: PostgreSQL stopped for ${OUTAGE_MS / 1000} s after ${deliveredAtStop} of 300 mails; sending resumed and the first 300 were out ${drainedAt - startedAt} ms after the restart (stopped at +${stoppedAt - t0} ms); ${expected.length} notifications (50 recorded after the restart), delivered ${got.size} distinct, lost ${lost.length}, duplicates ${duplicates}; ${retryLogs} "will retry" log lines; exit on SIGTERM ${exit}`,
    );
    expect(lost).toEqual([]);
    expect(duplicates).toBe(0);
    expect(retryLogs).toBeGreaterThan(0);
    expect(exit).toBe(0);
  }, 180_000);
});
