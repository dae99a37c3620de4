import { sql } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { purgeIdempotencyKeys } from "../../src/db/repos/idempotency.js";
import { idempotencyScope } from "../../src/http/idempotency.js";
import { verifyLedger } from "../../src/services/ledger.js";
import type { TestApp } from "../helpers/app.js";
import { appSuite } from "../helpers/app-suite.js";

let t: TestApp;
let a: number;
let b: number;
let c: number;
const suite = appSuite({ users: ["A", "B", "C"] });
beforeEach(() => {
  t = suite.t;
  [a, b, c] = suite.users;
});

const count = async (table: string) =>
  Number(
    (
      (await t.db.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as {
        rows: { n: number }[];
      }
    ).rows[0]?.n,
  );

const expense = () => ({
  paid_by: a,
  amount: "90.00",
  split_type: "EQUAL",
  participants: [a, b, c],
  description: "Dinner",
});

it("a retried POST /expenses with the same key returns the original response and creates nothing", async () => {
  const key = { "idempotency-key": "retry-1" };
  const first = await t.call("POST", "/expenses", expense(), { as: a, headers: key });
  expect(first.status).toBe(201);
  expect(first.headers["idempotent-replayed"]).toBeUndefined();
  const balancesBefore = (await t.call("GET", `/users/${b}/balances`, undefined, { as: b })).body;
  const retries = await Promise.all(
    Array.from({ length: 5 }, () =>
      t.call("POST", "/expenses", expense(), { as: a, headers: key }),
    ),
  );
  for (const r of retries) {
    expect(r.status).toBe(201);
    expect(r.body).toEqual(first.body);
    expect(r.headers["idempotent-replayed"]).toBe("true");
  }
  expect(await count("expenses")).toBe(1);
  expect((await t.call("GET", `/users/${b}/balances`, undefined, { as: b })).body).toEqual(
    balancesBefore,
  );
  // Key order and formatting of the JSON do not matter; the content does.
  const reordered = JSON.stringify(Object.fromEntries(Object.entries(expense()).reverse()));
  const again = await t.call("POST", "/expenses", reordered, {
    as: a,
    headers: { ...key, "content-type": "application/json" },
  });
  expect(again.status).toBe(201);
  expect(again.body.expenseid).toBe(first.body.expenseid);
  console.log("idempotency: 1 create + 6 retries with the same key → 1 expense, 6 replays");
});

it("the same key with a different body is 422 and changes nothing", async () => {
  const key = { "idempotency-key": "k-2" };
  expect((await t.call("POST", "/expenses", expense(), { as: a, headers: key })).status).toBe(201);
  const other = await t.call(
    "POST",
    "/expenses",
    { ...expense(), amount: "91.00" },
    { as: a, headers: key },
  );
  expect(other.status).toBe(422);
  expect(other.headers["content-type"]).toContain("application/problem+json");
  expect(other.body.errors[0].field).toBe("Idempotency-Key");
  // The same key on the other endpoint is another request too.
  const settle = await t.call(
    "POST",
    "/settlements",
    { from_user: b, to_user: a, amount: 10 },
    { as: a, headers: key },
  );
  expect(settle.status).toBe(422);
  expect(await count("expenses")).toBe(1);
  expect(await count("settlements")).toBe(0);
});

it("concurrent duplicates of POST /settlements with one key record exactly one settlement", async () => {
  const body = { from_user: b, to_user: a, amount: "12.34" };
  const results = await Promise.all(
    Array.from({ length: 20 }, () =>
      t.call("POST", "/settlements", body, { as: b, headers: { "idempotency-key": "pay-once" } }),
    ),
  );
  const statuses = results.map((r) => r.status);
  expect(new Set(statuses)).toEqual(new Set([201]));
  expect(new Set(results.map((r) => r.body.settlementid)).size).toBe(1);
  const replayed = results.filter((r) => r.headers["idempotent-replayed"] === "true").length;
  expect(replayed).toBe(19);
  expect(await count("settlements")).toBe(1);
  expect((await verifyLedger(t.db.db)).ok).toBe(true);
  console.log(`idempotency: 20 concurrent duplicates → 1 settlement, ${replayed} replays`);
});

it("a refused request leaves its key free; different keys create separate expenses", async () => {
  const key = { "idempotency-key": "fix-and-retry" };
  const bad = await t.call(
    "POST",
    "/expenses",
    { ...expense(), participants: [a, 999] },
    { as: a, headers: key },
  );
  expect(bad.status).toBe(422);
  expect(await count("idempotency_keys")).toBe(0);
  expect((await t.call("POST", "/expenses", expense(), { as: a, headers: key })).status).toBe(201);
  expect(
    (await t.call("POST", "/expenses", expense(), { as: a, headers: { "idempotency-key": "x" } }))
      .status,
  ).toBe(201);
  expect((await t.call("POST", "/expenses", expense(), { as: a })).status).toBe(201);
  expect(await count("expenses")).toBe(3);
});

it("invalid keys are 400 problems", async () => {
  for (const k of ["", "x".repeat(256), "tab\there", "ü-non-ascii"]) {
    const r = await t.call("POST", "/expenses", expense(), {
      as: a,
      headers: { "idempotency-key": k },
    });
    expect(r.status, JSON.stringify(k)).toBe(400);
    expect(r.headers["content-type"]).toContain("application/problem+json");
  }
  expect(
    (
      await t.call("POST", "/expenses", expense(), {
        as: a,
        headers: { "idempotency-key": "x".repeat(255) },
      })
    ).status,
  ).toBe(201);
  expect(await count("expenses")).toBe(1);
});

it("keys are scoped by the acting user and purged after the retention", async () => {
  expect(idempotencyScope(null)).toBe("anonymous");
  expect(idempotencyScope({ userId: 7, via: "token" })).toBe("user:7");
  expect(idempotencyScope({ userId: 7, via: "session" })).toBe(
    idempotencyScope({ userId: 7, via: "token" }),
  );
  expect(idempotencyScope({ userId: 8, via: "token" })).not.toBe(
    idempotencyScope({ userId: 7, via: "token" }),
  );

  const key = { "idempotency-key": "old" };
  const first = await t.call("POST", "/expenses", expense(), { as: a, headers: key });
  // 23 hours old: still kept, still replayed.
  await t.db.db.execute(sql`update idempotency_keys set created_at = now() - interval '23 hours'`);
  expect(await purgeIdempotencyKeys(t.db.db, 24)).toBe(0);
  const replay = await t.call("POST", "/expenses", expense(), { as: a, headers: key });
  expect(replay.body.expenseid).toBe(first.body.expenseid);
  // Past the retention: purged (and an expired row is reusable even before the purge runs).
  await t.db.db.execute(sql`update idempotency_keys set created_at = now() - interval '25 hours'`);
  const reused = await t.call("POST", "/expenses", expense(), { as: a, headers: key });
  expect(reused.status).toBe(201);
  expect(reused.body.expenseid).not.toBe(first.body.expenseid);
  await t.db.db.execute(sql`update idempotency_keys set created_at = now() - interval '25 hours'`);
  expect(await purgeIdempotencyKeys(t.db.db, 24)).toBe(1);
  expect(await count("idempotency_keys")).toBe(0);
});
