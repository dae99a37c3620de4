import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import PgBoss from "pg-boss";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { openDatabase } from "../../src/db/client.js";
import type { DatabaseHandle } from "../../src/db/types.js";
import { WEEKLY_QUEUE } from "../../src/notifications/pgboss.js";
import { createFixtureUser } from "../helpers/app.js";
import { createServerDatabase } from "../helpers/database.js";
import { type ServerProcess, startServerProcess } from "../helpers/server-process.js";
import { type SmtpSink, startSmtpSink } from "../helpers/smtp.js";

it("WEB_CONCURRENCY defaults to the CPUs with a server, 1 with the embedded database, which refuses more", () => {
  expect(loadConfig({}).WEB_CONCURRENCY).toBe(1);
  expect(loadConfig({ DATABASE_URL: "postgres://x@h/db" }).WEB_CONCURRENCY).toBe(
    availableParallelism(),
  );
  expect(
    loadConfig({ DATABASE_URL: "postgres://x@h/db", WEB_CONCURRENCY: "3" }).WEB_CONCURRENCY,
  ).toBe(3);
  expect(() => loadConfig({ WEB_CONCURRENCY: "2" })).toThrow(ConfigError);
  expect(() => loadConfig({ WEB_CONCURRENCY: "0" })).toThrow(ConfigError);
  // At start-up: exit code 2 and the reason, before anything is opened.
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { ...process.env, DATABASE_URL: "", WEB_CONCURRENCY: "2", DATA_DIR: "/nonexistent" },
    encoding: "utf8",
  });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/WEB_CONCURRENCY: must be 1 with the embedded database/);
});

let server: ServerProcess;
let smtp: SmtpSink;
let handle: DatabaseHandle;
let dropDatabase: () => Promise<void>;
let databaseUrl: string;

beforeAll(async () => {
  smtp = await startSmtpSink();
  const created = await createServerDatabase("evenly_cluster");
  dropDatabase = created.drop;
  databaseUrl = created.url;
  // Two web processes, each also running the outbox relay, the notification worker and the
  // weekly schedule (RUN_WORKER=true): they compete for the same outbox rows.
  server = await startServerProcess(
    {
      WEB_CONCURRENCY: "2",
      RUN_WORKER: "true",
      LOG_LEVEL: "info",
      SMTP_URL: smtp.url,
      OUTBOX_POLL_MS: "50",
      WORKER_POLL_SECONDS: "0.5",
    },
    { databaseUrl: created.url },
  );
  handle = await openDatabase({ databaseUrl: created.url, dataDir: "/nonexistent" });
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await handle?.close();
  await smtp?.close();
  await dropDatabase?.();
});

it("two web processes behind one port publish every outbox row once: each mail is sent exactly once", async () => {
  const payer = await createFixtureUser(handle.db, "Payer");
  const others = [];
  for (let i = 0; i < 4; i++)
    others.push(await createFixtureUser(handle.db, `Friend${i}`, { friends: [payer.id] }));
  const participants = [payer.id, ...others.map((o) => o.id)];
  const statuses = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      fetch(`${server.base}/expenses`, {
        method: "POST",
        headers: { ...payer.headers, "content-type": "application/json" },
        body: JSON.stringify({
          paid_by: payer.id,
          amount: `${100 + i}.00`,
          split_type: "EQUAL",
          participants,
          description: `dinner ${i}`,
        }),
      }).then((r) => r.status),
    ),
  );
  expect(statuses).toEqual(Array(12).fill(201));
  const rows = (
    await handle.pool?.query(
      "select count(*)::int as n, count(published_at)::int as published from outbox",
    )
  )?.rows[0] as { n: number; published: number };
  expect(rows.n).toBe(12 * participants.length);
  await smtp.waitFor(rows.n, 60_000);
  await new Promise((r) => setTimeout(r, 2000)); // a double publish would show up by now
  expect(smtp.mails.length).toBe(rows.n);
  const keys = smtp.mails.map((m) => `${m.to && "text" in m.to ? m.to.text : ""} ${m.subject}`);
  expect(new Set(keys).size).toBe(keys.length);
  // Both processes served: their pids appear on the "listening" lines.
  const pids = new Set(
    server
      .output()
      .split("\n")
      .filter((l) => l.includes("Server listening"))
      .map((l) => JSON.parse(l).pid),
  );
  expect(pids.size).toBe(2);
}, 90_000);

it("two processes running the weekly schedule mail each user with a balance exactly one weekly summary", async () => {
  const a = await createFixtureUser(handle.db, "Weekly");
  const b = await createFixtureUser(handle.db, "Weekly", { friends: [a.id] });
  const created = await fetch(`${server.base}/expenses`, {
    method: "POST",
    headers: { ...a.headers, "content-type": "application/json" },
    body: JSON.stringify({
      paid_by: a.id,
      amount: "50.00",
      split_type: "EQUAL",
      participants: [a.id, b.id],
      description: "tickets",
    }),
  });
  expect(created.status).toBe(201);
  const q = async <T>(text: string) => (await handle.pool?.query(text))?.rows as T[];
  const expenseMails = (await q<{ n: number }>("select count(*)::int as n from outbox"))[0]?.n ?? 0;
  await smtp.waitFor(expenseMails, 60_000);
  smtp.mails.length = 0;
  // Everyone with a non-zero balance (this test's two and the first test's five).
  const owing = await q<{ id: number }>(
    `select user_a as id from pair_balances where a_owes_b_paise <> 0
     union select user_b from pair_balances where a_owes_b_paise <> 0`,
  );
  expect(owing.length).toBe(7);
  // The schedule fired twice at once (as two schedulers would): both processes consume the
  // weekly queue, so the two jobs may run side by side in different processes.
  const boss = new PgBoss({ connectionString: databaseUrl, supervise: false, schedule: false });
  await boss.start();
  try {
    await Promise.all([boss.send(WEEKLY_QUEUE, {}), boss.send(WEEKLY_QUEUE, {})]);
    await smtp.waitFor(owing.length, 60_000);
    for (let i = 0; i < 100; i++) {
      const [done] = await q<{ n: number }>(
        `select count(*)::int as n from pgboss.job where name = '${WEEKLY_QUEUE}' and state = 'completed'`,
      );
      if ((done?.n ?? 0) >= 2) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
  const [done] = await q<{ n: number }>(
    `select count(*)::int as n from pgboss.job where name = '${WEEKLY_QUEUE}' and state = 'completed'`,
  );
  expect(done?.n).toBe(2);
  await new Promise((r) => setTimeout(r, 2000)); // a second mail would show up by now
  const weekly = smtp.mails.filter((m) => /^Your Evenly summary for /.test(m.subject ?? ""));
  const to = weekly.map((m) => (m.to && "text" in m.to ? m.to.text : "")).sort();
  expect(weekly.length).toBe(smtp.mails.length);
  expect(to).toEqual(
    (
      await q<{ email: string }>(
        `select email from users where id = any(array[${owing.map((o) => o.id).join(",")}])`,
      )
    )
      .map((r) => r.email)
      .sort(),
  );
}, 120_000);
