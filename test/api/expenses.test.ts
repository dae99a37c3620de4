import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
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

const expense = (over: Record<string, unknown> = {}) => ({
  paid_by: a,
  amount: "100.00",
  split_type: "EQUAL",
  participants: [a, b, c],
  description: "Dinner",
  ...over,
});

async function rowCounts() {
  const r = (await t.db.db.execute(sql`select
    (select count(*) from expenses)::int as expenses,
    (select count(*) from expense_shares)::int as shares,
    (select count(*) from expense_payers)::int as payers,
    (select coalesce(sum(abs(a_owes_b_paise)), 0)::bigint as moved from pair_balances)`)) as unknown as {
    rows: Record<string, number>[];
  };
  return r.rows[0];
}

async function balances(user: number, simplify = false) {
  const res = await t.call(
    "GET",
    `/users/${user}/balances${simplify ? "?simplify=true" : ""}`,
    undefined,
    { as: user },
  );
  expect(res.status).toBe(200);
  return res.body;
}

describe("POST /expenses", () => {
  it("splits 100.00 three ways as 33.34, 33.33, 33.33 (first participants get the extra paise)", async () => {
    const res = await t.call("POST", "/expenses", expense(), { as: a });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      expenseid: expect.any(Number),
      paid_by: a,
      amount: 100,
      split_type: "EQUAL",
      description: "Dinner",
      currency: "INR",
      date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      participants: [
        { userid: a, amount: 33.34 },
        { userid: b, amount: 33.33 },
        { userid: c, amount: 33.33 },
      ],
      split_values: null,
      version: 1,
    });
    const got = await t.call("GET", `/expenses/${res.body.expenseid}`, undefined, { as: a });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
    // The remainder goes to whoever is listed first.
    const other = await t.call("POST", "/expenses", expense({ participants: [c, b, a] }), {
      as: a,
    });
    expect(other.body.participants).toEqual([
      { userid: c, amount: 33.34 },
      { userid: b, amount: 33.33 },
      { userid: a, amount: 33.33 },
    ]);
  });

  it("moves balances: participants owe the payer their shares", async () => {
    await t.call("POST", "/expenses", expense(), { as: a });
    const aName = (await t.call("GET", `/users/${a}`, undefined, { as: a })).body.name;
    expect(await balances(b)).toEqual({
      userid: b,
      balances: [{ to_user: a, name: aName, amount: 33.33, currency: "INR" }],
      owed_by: [],
      net: -33.33,
      nets: [{ currency: "INR", amount: -33.33 }],
      simplified: false,
    });
    expect(await balances(a)).toMatchObject({
      balances: [],
      owed_by: [
        { from_user: b, amount: 33.33 },
        { from_user: c, amount: 33.33 },
      ],
      net: 66.66,
    });
  });

  it("handles EXACT and PERCENTAGE splits with numbers or strings", async () => {
    const exact = await t.call(
      "POST",
      "/expenses",
      expense({ split_type: "EXACT", amount: 250.5, split_values: ["100.25", 100, 50.25] }),
      { as: a },
    );
    expect(exact.status).toBe(201);
    expect(exact.body.participants.map((p: { amount: number }) => p.amount)).toEqual([
      100.25, 100, 50.25,
    ]);
    expect(exact.body.split_values).toEqual([100.25, 100, 50.25]);

    const pct = await t.call(
      "POST",
      "/expenses",
      expense({
        split_type: "PERCENTAGE",
        amount: "10.00",
        split_values: ["33.33", "33.33", "33.34"],
      }),
      { as: a },
    );
    expect(pct.status).toBe(201);
    const shares = pct.body.participants.map((p: { amount: number }) => Math.round(p.amount * 100));
    expect(shares.reduce((s: number, x: number) => s + x, 0)).toBe(1000);
    expect(pct.body.split_values).toEqual([33.33, 33.33, 33.34]);
  });

  it("lets the payer stay out of the split", async () => {
    const res = await t.call("POST", "/expenses", expense({ participants: [b, c], amount: 9 }), {
      as: a,
    });
    expect(res.status).toBe(201);
    expect((await balances(a)).net).toBe(9);
  });

  it.each([
    ["3-decimal amount", { amount: "100.005" }, "amount"],
    ["3-decimal JSON number", { amount: 100.005 }, "amount"],
    ["amount over 1 crore", { amount: "10000000.01" }, "amount"],
    ["zero amount", { amount: 0 }, "amount"],
    ["negative amount", { amount: "-5" }, "amount"],
    ["no participants", { participants: [] }, "participants"],
    ["duplicate participants", { participants: [1, 1] }, "participants"],
    ["split_values with EQUAL", { split_values: [1, 1, 98] }, "split_values"],
    ["EXACT without values", { split_type: "EXACT" }, "split_values"],
    [
      "EXACT values off by a paisa",
      { split_type: "EXACT", split_values: ["33.33", "33.33", "33.33"] },
      "split_values",
    ],
    [
      "EXACT 3 decimals",
      { split_type: "EXACT", split_values: ["33.333", "33.333", "33.334"] },
      "split_values[0]",
    ],
    [
      "PERCENTAGE summing to 99",
      { split_type: "PERCENTAGE", split_values: [33, 33, 33] },
      "split_values",
    ],
    [
      "PERCENTAGE 3 decimals",
      { split_type: "PERCENTAGE", split_values: ["33.333", "33.333", "33.334"] },
      "split_values[0]",
    ],
    [
      "negative percentage",
      { split_type: "PERCENTAGE", split_values: [-10, 60, 50] },
      "split_values[0]",
    ],
    ["misaligned values", { split_type: "EXACT", split_values: [50, 50] }, "split_values"],
    ["unknown participant", { participants: [1, 2, 999] }, "participants[2]"],
    ["unknown payer", { paid_by: 777 }, "paid_by"],
    ["an unknown currency", { currency: "XYZ" }, "currency"],
  ])("refuses %s with 422 and changes nothing", async (_name, over, field) => {
    await t.call("POST", "/expenses", expense(), { as: a }); // some prior state that must not move
    const before = await rowCounts();
    const res = await t.call("POST", "/expenses", expense(over), { as: a });
    expect(res.status).toBe(422);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({
      status: 422,
      title: expect.any(String),
      detail: expect.any(String),
    });
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await rowCounts()).toEqual(before);
  });

  // The one payer of paid_by pays the amount: a bad amount is listed once, as the amount's.
  it.each([
    ["-0", "-0"],
    ["0", "0"],
    ['"-0"', '"-0"'],
    ['"0.00"', '"0.00"'],
  ])("amount %s with a valid paid_by → 422 naming only the amount", async (_name, literal) => {
    const before = await rowCounts();
    const res = await t.app.inject({
      method: "POST",
      url: "/expenses",
      headers: { ...t.authHeaders(a), "content-type": "application/json" },
      payload: `{"paid_by":${a},"amount":${literal},"split_type":"EQUAL","participants":[${a},${b}],"description":"Tea"}`,
    });
    expect(res.statusCode).toBe(422);
    expect(JSON.parse(res.body).errors).toEqual([
      { field: "amount", message: "must be greater than 0" },
    ]);
    expect(await rowCounts()).toEqual(before);
  });

  it("lists every unknown id in the error", async () => {
    const res = await t.call("POST", "/expenses", expense({ participants: [a, 500, 600] }), {
      as: a,
    });
    expect(res.status).toBe(422);
    expect(res.body.detail).toContain("500");
    expect(res.body.detail).toContain("600");
  });

  it("accepts exactly 1000 participants and refuses 1001", async () => {
    const ids: number[] = [];
    const values = Array.from(
      { length: 1001 },
      (_, i) => `('u${i}', 'u${i}@bulk.test', '9000000000', ${a})`,
    );
    // Invited by a, so a knows them all.
    const r = (await t.db.db.execute(
      sql.raw(
        `insert into users (name, email, mobile_number, invited_by) values ${values.join(",")} returning id`,
      ),
    )) as unknown as { rows: { id: number }[] };
    for (const row of r.rows) ids.push(row.id);
    const ok = await t.call(
      "POST",
      "/expenses",
      expense({ participants: ids.slice(0, 1000), amount: "10000000.00" }),
      { as: a },
    );
    expect(ok.status).toBe(201);
    expect(ok.body.participants).toHaveLength(1000);
    const before = await rowCounts();
    const tooMany = await t.call("POST", "/expenses", expense({ participants: ids }), { as: a });
    expect(tooMany.status).toBe(422);
    expect(await rowCounts()).toEqual(before);
  });

  it.each([
    ["unknown field", { extra: 1 }],
    ["wrong split type", { split_type: "HALVES" }],
    ["participants not a list", { participants: "1,2" }],
    ["bad date", { date: "2026-02-30" }],
  ])("refuses a malformed body (%s) with 400", async (_name, over) => {
    const res = await t.call("POST", "/expenses", expense(over), { as: a });
    expect(res.status).toBe(400);
    expect(res.body.errors.length).toBeGreaterThan(0);
  });
});

describe("PUT and DELETE /expenses/{id}", () => {
  it("PUT moves balances as if the old expense never existed", async () => {
    const created = await t.call("POST", "/expenses", expense(), { as: a });
    await t.call("POST", "/expenses", expense({ paid_by: b, amount: 30, participants: [a, b] }), {
      as: b,
    });
    const id = created.body.expenseid;
    const res = await t.call(
      "PUT",
      `/expenses/${id}`,
      expense({
        paid_by: c,
        amount: "60",
        split_type: "EXACT",
        participants: [a, b],
        split_values: [20, 40],
      }),
      { as: a },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ expenseid: id, paid_by: c, amount: 60, version: 2 });
    // Expected: only (b paid 30 for a,b) and (c paid 60: a owes 20, b owes 40).
    expect(await balances(a)).toMatchObject({
      balances: [
        { to_user: b, amount: 15 },
        { to_user: c, amount: 20 },
      ],
      owed_by: [],
    });
    expect(await balances(c)).toMatchObject({ net: 60 });
    expect((await verifyLedger(t.db.db)).ok).toBe(true);
  });

  it("DELETE reverses the balances and keeps the expense as history", async () => {
    const created = await t.call("POST", "/expenses", expense(), { as: a });
    const id = created.body.expenseid;
    expect((await t.call("DELETE", `/expenses/${id}`, undefined, { as: a })).status).toBe(204);
    for (const u of [a, b, c])
      expect(await balances(u)).toMatchObject({ balances: [], owed_by: [], net: 0 });
    expect((await t.call("GET", `/expenses/${id}`, undefined, { as: a })).status).toBe(404);
    expect((await t.call("DELETE", `/expenses/${id}`, undefined, { as: a })).status).toBe(404);
    const kept = (await t.db.db.execute(
      sql`select deleted_at is not null as deleted from expenses where id = ${id}`,
    )) as unknown as { rows: { deleted: boolean }[] };
    expect(kept.rows[0]?.deleted).toBe(true);
    expect((await verifyLedger(t.db.db)).ok).toBe(true);
  });

  it("a refused PUT changes nothing", async () => {
    const created = await t.call("POST", "/expenses", expense(), { as: a });
    const before = await rowCounts();
    const res = await t.call(
      "PUT",
      `/expenses/${created.body.expenseid}`,
      expense({ split_type: "PERCENTAGE", split_values: [50, 49, 0] }),
      { as: a },
    );
    expect(res.status).toBe(422);
    expect(await rowCounts()).toEqual(before);
    expect(
      (await t.call("GET", `/expenses/${created.body.expenseid}`, undefined, { as: a })).body,
    ).toEqual(created.body);
  });

  it("404s for PUT on an unknown expense", async () => {
    expect((await t.call("PUT", "/expenses/12345", expense(), { as: a })).status).toBe(404);
  });
});

describe("GET /users/{id}/expenses", () => {
  it("lists expenses the user paid for or shares in, newest first, with a cursor", async () => {
    await t.call("POST", "/expenses", expense({ description: "old", date: "2026-01-01" }), {
      as: a,
    });
    await t.call(
      "POST",
      "/expenses",
      expense({ description: "mid", date: "2026-02-01", paid_by: c, participants: [b] }),
      { as: c },
    );
    await t.call("POST", "/expenses", expense({ description: "new", date: "2026-03-01" }), {
      as: a,
    });
    await t.call(
      "POST",
      "/expenses",
      expense({ description: "not mine", paid_by: b, participants: [b, c] }),
      { as: b },
    );
    const page1 = await t.call("GET", `/users/${a}/expenses?limit=2`, undefined, { as: a });
    expect(page1.body.items.map((e: { description: string }) => e.description)).toEqual([
      "new",
      "old",
    ]);
    expect(page1.body.next_cursor).toBeNull();
    const cPage = await t.call("GET", `/users/${c}/expenses?limit=2`, undefined, { as: c });
    expect(cPage.body.items.map((e: { description: string }) => e.description)).toEqual([
      "not mine",
      "new",
    ]);
    const cPage2 = await t.call(
      "GET",
      `/users/${c}/expenses?limit=2&cursor=${cPage.body.next_cursor}`,
      undefined,
      { as: c },
    );
    expect(cPage2.body.items.map((e: { description: string }) => e.description)).toEqual([
      "mid",
      "old",
    ]);
    expect((await t.call("GET", "/users/999/expenses", undefined, { as: a })).status).toBe(404);
    // A user's list is theirs alone, even for someone who shares some of it.
    expect((await t.call("GET", `/users/${a}/expenses`, undefined, { as: c })).status).toBe(404);
  });
});
