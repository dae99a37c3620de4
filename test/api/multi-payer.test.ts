import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { verifyLedger } from "../../src/services/ledger.js";
import type { TestApp } from "../helpers/app.js";
import { pageSuite } from "../pages/page-suite.js";

// Issue 15 through the API: several payers, SHARES / ADJUSTMENT / ITEMIZED, the worked examples
// as fixed cases, and every rule's 422 (which changes nothing).

let t: TestApp;
let a: number;
let b: number;
let c: number;
const pages = pageSuite({ users: ["Asha", "Bela", "Chen"] });
beforeEach(() => {
  t = pages.t;
  [a, b, c] = pages.users;
});

const post = (body: Record<string, unknown>) =>
  t.call("POST", "/expenses", { description: "Dinner", ...body }, { as: a });

async function counts() {
  const r = (await t.db.db.execute(sql`select
    (select count(*) from expenses)::int as expenses,
    (select coalesce(sum(abs(a_owes_b_paise)), 0)::bigint as moved from pair_balances)`)) as unknown as {
    rows: Record<string, number>[];
  };
  return r.rows[0];
}

/** The user's net: what others owe them minus what they owe (from GET balances). */
async function net(user: number): Promise<number> {
  const res = await t.call("GET", `/users/${user}/balances`, undefined, { as: user });
  const owed = res.body.owed_by.reduce((s: number, x: { amount: number }) => s + x.amount * 100, 0);
  const owes = res.body.balances.reduce(
    (s: number, x: { amount: number }) => s + x.amount * 100,
    0,
  );
  return Math.round(owed - owes);
}

const shares = (body: { participants: { userid: number; amount: number }[] }) =>
  body.participants.map((p) => p.amount);

describe("several payers", () => {
  it("20.00 and 22.00 paid, shares 15/15/12: every net is exact (paid − share), paid_by null", async () => {
    const res = await post({
      payers: [
        { userid: a, amount: "20.00" },
        { userid: b, amount: 22 },
      ],
      amount: "42.00",
      split_type: "EXACT",
      participants: [a, b, c],
      split_values: ["15.00", "15.00", "12.00"],
    });
    expect(res.status).toBe(201);
    expect(res.body.paid_by).toBeNull();
    expect(res.body.payers).toEqual([
      { userid: a, amount: 20 },
      { userid: b, amount: 22 },
    ]);
    expect([await net(a), await net(b), await net(c)]).toEqual([500, 700, -1200]);
    // The pairs of the documented example: A owes B 0.72, C owes A 5.72 and B 6.28.
    const cb = await t.call("GET", `/users/${c}/balances`, undefined, { as: c });
    expect(
      cb.body.balances.map((x: { to_user: number; amount: number }) => [x.to_user, x.amount]),
    ).toEqual(
      expect.arrayContaining([
        [a, 5.72],
        [b, 6.28],
      ]),
    );
    const got = await t.call("GET", `/expenses/${res.body.expenseid}`, undefined, { as: c });
    expect(got.body.payers).toEqual(res.body.payers);
    expect((await verifyLedger(t.db.db)).ok).toBe(true);
  });

  it("a single paid_by still answers paid_by and payers", async () => {
    const res = await post({ paid_by: a, amount: "30", split_type: "EQUAL", participants: [a, b] });
    expect(res.status).toBe(201);
    expect(res.body.paid_by).toBe(a);
    expect(res.body.payers).toEqual([{ userid: a, amount: 30 }]);
  });

  it("any payer may edit; PUT with payers replaces them", async () => {
    const res = await post({
      payers: [
        { userid: a, amount: "10" },
        { userid: b, amount: "10" },
      ],
      amount: "20",
      split_type: "EQUAL",
      participants: [a, b, c],
    });
    const put = await t.call(
      "PUT",
      `/expenses/${res.body.expenseid}`,
      {
        description: "Dinner",
        paid_by: c,
        amount: "20",
        split_type: "EQUAL",
        participants: [a, b],
      },
      { as: b },
    );
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ paid_by: c, payers: [{ userid: c, amount: 20 }] });
    expect([await net(a), await net(b), await net(c)]).toEqual([-1000, -1000, 2000]);
  });

  it.each([
    ["both paid_by and payers", { paid_by: 1, payers: [{ userid: 1, amount: "10" }] }, "payers"],
    ["neither", {}, "paid_by"],
    [
      "payers not adding up",
      {
        payers: [
          { userid: 1, amount: "4" },
          { userid: 2, amount: "5" },
        ],
      },
      "payers",
    ],
    [
      "a payer twice",
      {
        payers: [
          { userid: 1, amount: "5" },
          { userid: 1, amount: "5" },
        ],
      },
      "payers",
    ],
    [
      "a payer of 0",
      {
        payers: [
          { userid: 1, amount: "0" },
          { userid: 2, amount: "10" },
        ],
      },
      "payers[0].amount",
    ],
    [
      "3 decimals",
      {
        payers: [
          { userid: 1, amount: "9.999" },
          { userid: 2, amount: "0.001" },
        ],
      },
      "payers[0].amount",
    ],
  ])("refuses %s with 422 and changes nothing", async (_name, payers, field) => {
    const ids = (v: unknown): unknown =>
      JSON.parse(JSON.stringify(v), (k, x) =>
        k === "userid" || k === "paid_by" ? [a, b][x - 1] : x,
      );
    const before = await counts();
    const res = await post({
      ...(ids(payers) as object),
      amount: "10",
      split_type: "EQUAL",
      participants: [a, b],
    });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await counts()).toEqual(before);
  });
});

describe("more split types: the issue's worked examples", () => {
  it("SHARES: 100 by [1, 2, 2] → 20, 40, 40; 10 by [1.5, 0.5] → 7.50, 2.50", async () => {
    const one = await post({
      paid_by: a,
      amount: "100",
      split_type: "SHARES",
      participants: [a, b, c],
      split_values: [1, 2, 2],
    });
    expect(one.status).toBe(201);
    expect(shares(one.body)).toEqual([20, 40, 40]);
    expect(one.body.split_values).toEqual([1, 2, 2]);
    const two = await post({
      paid_by: a,
      amount: "10",
      split_type: "SHARES",
      participants: [a, b],
      split_values: ["1.5", "0.5"],
    });
    expect(shares(two.body)).toEqual([7.5, 2.5]);
  });

  it("ADJUSTMENT: 100 among 3 with [10, 0, −10] → 43.34, 33.33, 23.33 (negative values kept)", async () => {
    const res = await post({
      paid_by: a,
      amount: "100",
      split_type: "ADJUSTMENT",
      participants: [a, b, c],
      split_values: ["10", "0", "-10"],
    });
    expect(res.status).toBe(201);
    expect(shares(res.body)).toEqual([43.34, 33.33, 23.33]);
    const got = await t.call("GET", `/expenses/${res.body.expenseid}`, undefined, { as: b });
    expect(got.body.split_values).toEqual([10, 0, -10]);
  });

  it.each([
    ["a share below zero", ["-40", "20", "20"]],
    ["adjustments above the amount", ["60", "50", "0"]],
  ])("ADJUSTMENT with %s → 422, nothing changes", async (_n, values) => {
    const before = await counts();
    const res = await post({
      paid_by: a,
      amount: "100",
      split_type: "ADJUSTMENT",
      participants: [a, b, c],
      split_values: values,
    });
    expect(res.status).toBe(422);
    expect(await counts()).toEqual(before);
  });

  it("ITEMIZED: items split equally, tax and tip by subtotal; the detail shows the items", async () => {
    const res = await post({
      payers: [
        { userid: a, amount: "60" },
        { userid: b, amount: "50" },
      ],
      amount: "110",
      split_type: "ITEMIZED",
      items: [
        { description: "Pizza", amount: "60", participants: [a, b, c] },
        { description: "Wine", amount: "40", participants: [a, b] },
      ],
      tax: "6",
      tip: "4",
    });
    expect(res.status).toBe(201);
    // Subtotals 40, 40, 20 (of 100); tax + tip 10 → 4, 4, 2.
    expect(res.body.participants).toEqual([
      { userid: a, amount: 44 },
      { userid: b, amount: 44 },
      { userid: c, amount: 22 },
    ]);
    expect(res.body.split_values).toBeNull();
    const got = await t.call("GET", `/expenses/${res.body.expenseid}`, undefined, { as: c });
    expect(got.body).toMatchObject({
      split_type: "ITEMIZED",
      items: [
        { description: "Pizza", amount: 60, participants: [a, b, c] },
        { description: "Wine", amount: 40, participants: [a, b] },
      ],
      tax: 6,
      tip: 4,
    });
    expect([await net(a), await net(b), await net(c)]).toEqual([1600, 600, -2200]);
    expect((await verifyLedger(t.db.db)).ok).toBe(true);
    // The page shows the items and both payers.
    const page = await pages.get(`/app/expenses/${res.body.expenseid}`, c);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("<caption>Items</caption>");
    expect(page.body).toContain("Wine");
    // (test users get a number after their name)
    expect(page.body).toMatch(/Paid by<\/dt><dd>Asha \d+ and Bela \d+</);
    // The page form edits it too (test/pages/itemized-form.test.ts): Edit opens it with the items.
    expect(page.body).toContain(`/app/expenses/${res.body.expenseid}/edit"`);
    const edit = await pages.get(`/app/expenses/${res.body.expenseid}/edit`, c);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('value="Wine"');
  });

  it.each([
    ["participants not the items' people", { participants: "ab" }, "participants"],
    ["items not adding up", { amount: "111" }, "items"],
    ["split_values given", { split_values: ["1", "1", "1"] }, "split_values"],
  ])("ITEMIZED with %s → 422, nothing changes", async (_n, over, field) => {
    const before = await counts();
    const res = await post({
      paid_by: a,
      amount: "100",
      split_type: "ITEMIZED",
      items: [
        { description: "Pizza", amount: "60", participants: [a, b, c] },
        { description: "Wine", amount: "40", participants: [a, b] },
      ],
      ...over,
      // (the table is built before the users exist)
      ...("participants" in over ? { participants: [a, b] } : {}),
    });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field.replace(/\[.*$/, ""))).toContain(
      field,
    );
    expect(await counts()).toEqual(before);
  });
});
