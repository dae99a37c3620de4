import { beforeEach, expect, it } from "vitest";
import { ifMatchCheck } from "../../src/http/preconditions.js";
import { verifyLedger } from "../../src/services/ledger.js";
import type { TestApp } from "../helpers/app.js";
import { appSuite } from "../helpers/app-suite.js";

let t: TestApp;
let a: number;
let b: number;
const suite = appSuite({ users: ["A", "B"] });
beforeEach(() => {
  t = suite.t;
  [a, b] = suite.users;
});

const body = (amount: string) => ({
  paid_by: a,
  amount,
  split_type: "EQUAL",
  participants: [a, b],
  description: "Taxi",
});

it("GET returns the version as an ETag; PUT/DELETE with a stale If-Match are 412 and change nothing", async () => {
  // B adds the expense A paid for: both may change it (B as its creator, A as its payer).
  const created = await t.call("POST", "/expenses", body("10.00"), { as: b });
  const id = created.body.expenseid;
  expect(created.headers.etag).toBe('"1"');
  const got = await t.call("GET", `/expenses/${id}`, undefined, { as: a });
  expect(got.headers.etag).toBe('"1"');

  // Two people loaded version 1; the first edit wins and returns the new ETag…
  const first = await t.call("PUT", `/expenses/${id}`, body("20.00"), {
    as: a,
    headers: { "if-match": '"1"' },
  });
  expect(first.status).toBe(200);
  expect(first.headers.etag).toBe('"2"');
  expect(first.body.version).toBe(2);
  // …the second, still holding version 1, is told someone else changed it.
  const second = await t.call("PUT", `/expenses/${id}`, body("30.00"), {
    as: b,
    headers: { "if-match": '"1"' },
  });
  expect(second.status).toBe(412);
  expect(second.headers["content-type"]).toContain("application/problem+json");
  expect(second.body.detail).toMatch(/changed by someone else/);
  const del = await t.call("DELETE", `/expenses/${id}`, undefined, {
    as: b,
    headers: { "if-match": 'W/"1"' },
  });
  expect(del.status).toBe(412);
  const now = await t.call("GET", `/expenses/${id}`, undefined, { as: a });
  expect(now.body.amount).toBe(20);
  expect(now.headers.etag).toBe('"2"');
  expect((await t.call("GET", `/users/${b}/balances`, undefined, { as: b })).body.net).toBe(-10);

  // A weak tag, a list, or * that matches is accepted.
  expect(
    (
      await t.call("PUT", `/expenses/${id}`, body("22.00"), {
        as: a,
        headers: { "if-match": '"7", W/"2"' },
      })
    ).status,
  ).toBe(200);
  expect(
    (await t.call("PUT", `/expenses/${id}`, body("24.00"), { as: a, headers: { "if-match": "*" } }))
      .headers.etag,
  ).toBe('"4"');
  // Garbage matches nothing.
  expect(
    (await t.call("PUT", `/expenses/${id}`, body("1.00"), { as: a, headers: { "if-match": "4" } }))
      .status,
  ).toBe(412);
  // Without If-Match the last writer wins (today's behaviour).
  expect((await t.call("PUT", `/expenses/${id}`, body("26.00"), { as: a })).status).toBe(200);
  expect(
    (
      await t.call("DELETE", `/expenses/${id}`, undefined, {
        as: a,
        headers: { "if-match": '"5"' },
      })
    ).status,
  ).toBe(204);
  // Deleted: If-Match: * no longer matches anything → 404.
  expect(
    (await t.call("DELETE", `/expenses/${id}`, undefined, { as: a, headers: { "if-match": "*" } }))
      .status,
  ).toBe(404);
  expect((await verifyLedger(t.db.db)).ok).toBe(true);
});

it("of concurrent conditional edits of one version exactly one wins", async () => {
  const id = (await t.call("POST", "/expenses", body("10.00"), { as: a })).body.expenseid;
  const results = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      t.call("PUT", `/expenses/${id}`, body(`${11 + i}.00`), {
        as: a,
        headers: { "if-match": '"1"' },
      }),
    ),
  );
  const statuses = results.map((r) => r.status).sort();
  expect(statuses.filter((s) => s === 200)).toHaveLength(1);
  expect(statuses.filter((s) => s === 412)).toHaveLength(11);
  console.log(`If-Match: 12 concurrent edits of version 1 → 1 applied, 11 × 412`);
  expect((await verifyLedger(t.db.db)).ok).toBe(true);
});

it("parses If-Match as RFC 9110 lists of strong or weak tags", () => {
  expect(ifMatchCheck(undefined)).toBeUndefined();
  expect(ifMatchCheck("*")?.(9)).toBe(true);
  expect(ifMatchCheck('"3"')?.(3)).toBe(true);
  expect(ifMatchCheck('W/"3"')?.(3)).toBe(true);
  expect(ifMatchCheck('"1", "3"')?.(3)).toBe(true);
  expect(ifMatchCheck('"3"')?.(4)).toBe(false);
  expect(ifMatchCheck("3")?.(3)).toBe(false);
  expect(ifMatchCheck("")?.(3)).toBe(false);
});
