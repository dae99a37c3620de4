import { type ChildProcess, spawn } from "node:child_process";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createFixtureUser } from "../helpers/app.js";
import { openTestDatabase, serverUrl, type TestDatabase } from "../helpers/database.js";
import { type SmtpSink, startSmtpSink } from "../helpers/smtp.js";

// A separate worker process needs a database server it can share with the test.
if (!serverUrl)
  console.warn("crash test needs TEST_DATABASE_URL (a PostgreSQL server); .ci/run sets it");

describe.runIf(serverUrl)("worker crash", () => {
  let db: TestDatabase;
  let smtp: SmtpSink;
  let worker: ChildProcess | undefined;
  beforeAll(async () => {
    db = await openTestDatabase({ engine: "server" });
    smtp = await startSmtpSink();
  });
  afterAll(async () => {
    worker?.kill("SIGKILL");
    await smtp.close();
    await db.destroy();
  });

  function startWorker(): ChildProcess {
    const child = spawn(process.execPath, ["--import", "tsx", "src/worker.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        SMTP_URL: smtp.url,
        LOG_LEVEL: "error",
        WORKER_POLL_SECONDS: "0.5",
        OUTBOX_POLL_MS: "100",
        NOTIFY_JOB_EXPIRE_SECONDS: "3",
        QUEUE_MAINTENANCE_SECONDS: "1",
        NOTIFY_LEASE_SECONDS: "2",
        NOTIFY_RETRY_DELAY_SECONDS: "1",
        NOTIFY_RETRY_LIMIT: "10",
      },
      stdio: ["ignore", "inherit", "inherit"],
    });
    return child;
  }

  const distinctKeys = () =>
    new Set(smtp.mails.map((m) => String(m.headers.get("x-evenly-dedupe-key"))));

  async function until(cond: () => boolean, timeoutMs: number, what: string) {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${what}: ${distinctKeys().size} distinct, ${smtp.mails.length} total`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it("SIGKILLing the worker mid-run loses no notification; duplicates are at most one per kill", async () => {
    const config = loadConfig({ LOG_LEVEL: "silent" });
    const app = await buildApp({ config, database: db, logger: false });
    // Users with accounts and API tokens, written straight to the shared database.
    const users: { id: number; headers: Record<string, string> }[] = [];
    for (let i = 0; i < 20; i++)
      users.push(await createFixtureUser(db.db, `U${i}`, { friends: users.map((u) => u.id) }));
    for (let e = 0; e < 100; e++) {
      const involved = [0, 1, 2, 3, 4].map((k) => users[(e + k * 3) % 20] as (typeof users)[0]);
      const participants = involved.map((u) => u.id);
      const res = await app.inject({
        method: "POST",
        url: "/expenses",
        headers: involved[0]?.headers, // the payer records it
        payload: {
          paid_by: participants[0],
          amount: "100.00",
          split_type: "EQUAL",
          participants,
          description: `e${e}`,
        },
      });
      expect(res.statusCode).toBe(201);
    }
    await app.close();
    const expected = (
      (await db.db.execute(sql`select dedupe_key from outbox`)) as unknown as {
        rows: { dedupe_key: string }[];
      }
    ).rows.map((r) => r.dedupe_key);
    expect(expected).toHaveLength(500);

    const kills: number[] = [];
    for (const at of [120, 300]) {
      worker = startWorker();
      const t0 = Date.now();
      await until(() => distinctKeys().size >= at, 60_000, `${at} mails`);
      console.log(`reached ${at} after ${Date.now() - t0} ms`);
      worker.kill("SIGKILL");
      kills.push(smtp.mails.length);
      await new Promise((r) => worker?.once("exit", r));
    }
    worker = startWorker();
    await until(() => distinctKeys().size >= 500, 90_000, "all 500 mails");
    await new Promise((r) => setTimeout(r, 1500)); // let any late duplicate arrive before counting

    const got = distinctKeys();
    const lost = expected.filter((k) => !got.has(k));
    const duplicates = smtp.mails.length - got.size;
    console.log(
      `crash test: ${expected.length} notifications, worker SIGKILLed after ${kills.join(" and ")} mails; delivered ${got.size} distinct, lost ${lost.length}, duplicates ${duplicates}`,
    );
    expect(lost).toEqual([]);
    expect(duplicates).toBeLessThanOrEqual(kills.length);
    // A duplicate carries the same Message-ID as the original.
    const ids = new Map<string, string>();
    for (const m of smtp.mails) {
      const key = String(m.headers.get("x-evenly-dedupe-key"));
      if (ids.has(key)) expect(m.messageId).toBe(ids.get(key));
      else ids.set(key, String(m.messageId));
    }
    worker.kill("SIGTERM");
    await new Promise((r) => worker?.once("exit", r));
  }, 240_000);
});
