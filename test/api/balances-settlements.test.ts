import { beforeEach, describe, expect, it } from "vitest";
import { verifyLedger } from "../../src/services/ledger.js";
import type { TestApp } from "../helpers/app.js";
import { appSuite } from "../helpers/app-suite.js";

let t: TestApp;
let a: number;
let b: number;
let c: number;
let d: number;
const suite = appSuite({ users: ["A", "B", "C", "D"] });
beforeEach(() => {
  t = suite.t;
  [a, b, c, d] = suite.users;
});

/** The payer records the expense. */
const pay = (paid_by: number, amount: string, participants: number[]) =>
  t.call(
    "POST",
    "/expenses",
    { paid_by, amount, split_type: "EQUAL", participants, description: "x" },
    { as: paid_by },
  );

/** A user's own balances, as that user. */
const bal = async (u: number, simplify = false) =>
  (
    await t.call("GET", `/users/${u}/balances${simplify ? "?simplify=true" : ""}`, undefined, {
      as: u,
    })
  ).body;

/** A user's display name (as they see themselves). */
const nameOf = async (u: number) =>
  (await t.call("GET", `/users/${u}`, undefined, { as: u })).body.name;

/** A settlement recorded by `as` (from_user unless told otherwise). */
const settle = (
  body: { from_user: number; to_user: number; amount: unknown },
  as = body.from_user,
) => t.call("POST", "/settlements", body, { as });

describe("GET /users/{id}/balances?simplify=true", () => {
  it("replaces a chain a→b→c by a single transfer a→c", async () => {
    await pay(b, "10.00", [a]); // a owes b 10
    await pay(c, "10.00", [b]); // b owes c 10
    expect(await bal(a)).toMatchObject({ balances: [{ to_user: b, amount: 10 }], net: -10 });
    expect(await bal(a, true)).toEqual({
      userid: a,
      // The plan names whom to pay (a does not know c: name only, see test/security/friends.test.ts).
      balances: [{ to_user: c, name: await nameOf(c), amount: 10, currency: "INR" }],
      owed_by: [],
      net: -10,
      nets: [{ currency: "INR", amount: -10 }],
      simplified: true,
    });
    expect(await bal(b, true)).toMatchObject({ balances: [], owed_by: [], net: 0 });
    expect(await bal(c, true)).toMatchObject({ owed_by: [{ from_user: a, amount: 10 }], net: 10 });
  });

  it("keeps the net position and only lists the user's own transfers", async () => {
    await pay(a, "90.00", [a, b, c]);
    await pay(b, "40.00", [c, d]);
    await pay(d, "7.50", [a]);
    for (const u of [a, b, c, d]) {
      const plain = await bal(u);
      const simple = await bal(u, true);
      expect(simple.net).toBe(plain.net);
      const out = simple.balances.reduce(
        (s: number, x: { amount: number }) => s + Math.round(x.amount * 100),
        0,
      );
      const inn = simple.owed_by.reduce(
        (s: number, x: { amount: number }) => s + Math.round(x.amount * 100),
        0,
      );
      expect(inn - out).toBe(Math.round(plain.net * 100));
    }
  });

  it("404s for an unknown user and 400s for a bad flag", async () => {
    expect((await t.call("GET", "/users/999/balances", undefined, { as: a })).status).toBe(404);
    const badFlag = await t.call("GET", `/users/${a}/balances?simplify=maybe`, undefined, {
      as: a,
    });
    expect(badFlag.status).toBe(400);
    // Someone else's balances are as invisible as an unknown user's.
    expect((await t.call("GET", `/users/${b}/balances`, undefined, { as: a })).status).toBe(404);
  });
});

describe("POST /settlements", () => {
  it("reduces what from_user owes; overpaying flips the direction", async () => {
    await pay(a, "30.00", [a, b, c]); // b and c owe a 10 each
    const s1 = await settle({ from_user: b, to_user: a, amount: "4.00" });
    expect(s1.status).toBe(201);
    expect(s1.body).toMatchObject({
      settlementid: expect.any(Number),
      from_user: b,
      to_user: a,
      amount: 4,
      created_by: b,
    });
    expect((await bal(b)).balances).toEqual([
      { to_user: a, name: await nameOf(a), amount: 6, currency: "INR" },
    ]);
    // The receiving side may record it too.
    const s2 = await settle({ from_user: c, to_user: a, amount: 15 }, a);
    expect(s2.status).toBe(201);
    expect(s2.body.created_by).toBe(a);
    expect(await bal(c)).toMatchObject({
      balances: [],
      owed_by: [{ from_user: a, amount: 5 }],
      net: 5,
    });
    for (const party of [a, b]) {
      const got = await t.call("GET", `/settlements/${s1.body.settlementid}`, undefined, {
        as: party,
      });
      expect(got.body).toEqual(s1.body);
    }
    const outsider = await t.call("GET", `/settlements/${s1.body.settlementid}`, undefined, {
      as: d,
    });
    expect(outsider.status).toBe(404);
    expect((await verifyLedger(t.db.db)).ok).toBe(true);
  });

  it("appears in both users' history, newest first", async () => {
    const s1 = await settle({ from_user: a, to_user: b, amount: 1 });
    const s2 = await settle({ from_user: c, to_user: a, amount: 2 });
    const ofA = await t.call("GET", `/users/${a}/settlements?limit=1`, undefined, { as: a });
    expect(ofA.body.items.map((s: { settlementid: number }) => s.settlementid)).toEqual([
      s2.body.settlementid,
    ]);
    const next = await t.call(
      "GET",
      `/users/${a}/settlements?limit=1&cursor=${ofA.body.next_cursor}`,
      undefined,
      { as: a },
    );
    expect(next.body.items.map((s: { settlementid: number }) => s.settlementid)).toEqual([
      s1.body.settlementid,
    ]);
    const ofB = await t.call("GET", `/users/${b}/settlements`, undefined, { as: b });
    expect(ofB.body.items).toHaveLength(1);
  });

  it.each([
    ["to self", () => ({ from_user: a, to_user: a, amount: 1 }), "to_user"],
    ["3 decimals", () => ({ from_user: a, to_user: b, amount: "1.001" }), "amount"],
    ["zero", () => ({ from_user: a, to_user: b, amount: 0 }), "amount"],
    ["over 1 crore", () => ({ from_user: a, to_user: b, amount: "10000000.01" }), "amount"],
    ["unknown user", () => ({ from_user: a, to_user: 999, amount: 1 }), "to_user"],
  ])("refuses a settlement %s with 422 and changes nothing", async (_n, body, field) => {
    const res = await settle(body());
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    const history = await t.call("GET", `/users/${a}/settlements`, undefined, { as: a });
    expect(history.body.items).toHaveLength(0);
    expect((await bal(a)).net).toBe(0);
  });

  it("404s for an unknown settlement", async () => {
    expect((await t.call("GET", "/settlements/77", undefined, { as: a })).status).toBe(404);
  });
});
