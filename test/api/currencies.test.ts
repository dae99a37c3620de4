import { beforeEach, describe, expect, it } from "vitest";
import { verifyLedger } from "../../src/services/ledger.js";
import type { TestApp } from "../helpers/app.js";
import { appSuite } from "../helpers/app-suite.js";
import { tableChecksum } from "../helpers/table-checksum.js";

// Currencies through the API: any ISO 4217 code with its own minor digits, balances kept per
// currency and never added together, a group's currency and booking at an exchange rate.
let t: TestApp;
let a: number;
let b: number;
let c: number;
const suite = appSuite({ users: ["A", "B", "C"] });
beforeEach(() => {
  t = suite.t;
  [a, b, c] = suite.users;
});

const expense = (as: number, body: Record<string, unknown>) =>
  t.call(
    "POST",
    "/expenses",
    { split_type: "EQUAL", description: "x", paid_by: as, participants: [a, b, c], ...body },
    { as },
  );

const bal = async (u: number, query = "") =>
  (await t.call("GET", `/users/${u}/balances${query}`, undefined, { as: u })).body;

const newGroup = async (as: number, members: number[], extra: object = {}) => {
  const res = await t.call("POST", "/groups", { name: "Trip", members, ...extra }, { as });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};

const groupBal = async (as: number, g: number, query = "") =>
  (await t.call("GET", `/groups/${g}/balances${query}`, undefined, { as })).body;

describe("expenses and settlements in any currency", () => {
  it("JPY has no minor digits and KWD three: amounts come back in the currency's units", async () => {
    const yen = await expense(a, { amount: 1000, currency: "JPY" });
    expect(yen.status, JSON.stringify(yen.body)).toBe(201);
    expect(yen.body).toMatchObject({
      amount: 1000,
      currency: "JPY",
      original_amount: null,
      original_currency: null,
      exchange_rate: null,
      participants: [
        { userid: a, amount: 334 },
        { userid: b, amount: 333 },
        { userid: c, amount: 333 },
      ],
    });
    const dinar = await expense(a, { amount: "1.000", currency: "KWD" });
    expect(dinar.status).toBe(201);
    expect(dinar.body.participants.map((p: { amount: number }) => p.amount)).toEqual([
      0.334, 0.333, 0.333,
    ]);
    // 1.500 KWD is the JSON number 1.5: the value in dinars, not 15.00.
    const settled = await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: "0.333", currency: "KWD" },
      { as: b },
    );
    expect(settled.status).toBe(201);
    expect(settled.body).toMatchObject({ amount: 0.333, currency: "KWD" });
    const got = await t.call("GET", `/expenses/${yen.body.expenseid}`, undefined, { as: b });
    expect(got.body).toEqual(yen.body);
  });

  it.each([
    ["100.0 yen (a yen has no decimals, written or not)", { amount: "100.0", currency: "JPY" }],
    ["100.5 yen as a JSON number", { amount: 100.5, currency: "JPY" }],
    ["4 decimals in KWD", { amount: "1.2345", currency: "KWD" }],
    ["3 decimals in INR", { amount: "1.234" }],
    ["more than 10,000,000 yen", { amount: 10_000_001, currency: "JPY" }],
    [
      "a yen split value with a decimal",
      { amount: 300, currency: "JPY", split_type: "EXACT", split_values: [100, "100.0", 100] },
    ],
    ["an unknown currency", { amount: 10, currency: "XYZ" }],
    ["a lower-case code", { amount: 10, currency: "usd" }],
  ])("refuses %s with a 422 and changes nothing", async (_, body) => {
    const before = await tableChecksum(t.db);
    const res = await expense(a, body);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.errors.length).toBeGreaterThan(0);
    expect(await tableChecksum(t.db)).toBe(before);
  });

  it("names the problem: 100.0 yen is not a whole number of yen", async () => {
    const res = await expense(a, { amount: "100.0", currency: "JPY" });
    expect(res.body.errors).toEqual([
      { field: "amount", message: "must be a whole number (no decimal places)" },
    ]);
    const settlement = await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: "5.5", currency: "JPY" },
      { as: b },
    );
    expect(settlement.status).toBe(422);
    expect(settlement.body.errors).toEqual([
      { field: "amount", message: "must be a whole number (no decimal places)" },
    ]);
  });

  it("allows 10,000,000 major units in any currency", async () => {
    expect((await expense(a, { amount: 10_000_000, currency: "JPY" })).status).toBe(201);
    expect((await expense(a, { amount: "10000000.000", currency: "KWD" })).status).toBe(201);
    expect((await expense(a, { amount: "10000000.00", currency: "USD" })).status).toBe(201);
    expect((await verifyLedger(t.db.db)).ok).toBe(true);
  });

  it("an edit may change the currency: the old balance goes, the new one comes", async () => {
    const e = await expense(a, { amount: "30.00" });
    const put = await t.call(
      "PUT",
      `/expenses/${e.body.expenseid}`,
      {
        split_type: "EQUAL",
        description: "x",
        paid_by: a,
        participants: [a, b, c],
        amount: 3000,
        currency: "JPY",
      },
      { as: a },
    );
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(await bal(b)).toMatchObject({
      balances: [{ to_user: a, amount: 1000, currency: "JPY" }],
      net: 0,
      nets: [{ currency: "JPY", amount: -1000 }],
    });
    expect((await verifyLedger(t.db.db)).ok).toBe(true);
  });
});

describe("balances per currency, never mixed", () => {
  it("lists each currency apart, with nets per currency and net in APP_CURRENCY", async () => {
    await expense(a, { amount: "30.00" }); // b, c owe a ₹10 each
    await expense(a, { amount: 300, currency: "JPY" }); // b, c owe a ¥100 each
    await expense(b, { amount: "3.00", currency: "USD", participants: [a, b] }); // a owes b $1.50
    expect(await bal(b)).toEqual({
      userid: b,
      balances: [
        { to_user: a, name: expect.any(String), amount: 10, currency: "INR" },
        { to_user: a, name: expect.any(String), amount: 100, currency: "JPY" },
      ],
      owed_by: [{ from_user: a, name: expect.any(String), amount: 1.5, currency: "USD" }],
      net: -10,
      nets: [
        { currency: "INR", amount: -10 },
        { currency: "JPY", amount: -100 },
        { currency: "USD", amount: 1.5 },
      ],
      simplified: false,
    });
    expect((await bal(a)).nets).toEqual([
      { currency: "INR", amount: 20 },
      { currency: "JPY", amount: 200 },
      { currency: "USD", amount: -1.5 },
    ]);
    // Settling in rupees leaves the yen and dollars as they were.
    await t.call("POST", "/settlements", { from_user: b, to_user: a, amount: 10 }, { as: b });
    expect((await bal(b)).nets).toEqual([
      { currency: "JPY", amount: -100 },
      { currency: "USD", amount: 1.5 },
    ]);
    expect((await bal(b)).net).toBe(0);
  });

  it("simplifies each currency on its own", async () => {
    // A chain in rupees (a → b → c) and one in yen the other way (c → b → a).
    await expense(b, { amount: "10.00", participants: [a] });
    await expense(c, { amount: "10.00", participants: [b] });
    await expense(b, { amount: 500, currency: "JPY", participants: [c] });
    await expense(a, { amount: 500, currency: "JPY", participants: [b] });
    expect((await bal(a, "?simplify=true")).balances).toEqual([
      { to_user: c, name: expect.any(String), amount: 10, currency: "INR" },
    ]);
    expect((await bal(a, "?simplify=true")).owed_by).toEqual([
      { from_user: c, name: expect.any(String), amount: 500, currency: "JPY" },
    ]);
    expect((await bal(b, "?simplify=true")).balances).toEqual([]);
    expect((await bal(b, "?simplify=true")).nets).toEqual([]);
  });

  it("the friends list carries every currency; removing a friend waits for all of them", async () => {
    await expense(a, { amount: 200, currency: "JPY", participants: [a, b] });
    const friends = (await t.call("GET", "/friends", undefined, { as: a })).body.items;
    expect(friends.find((f: { userid: number }) => f.userid === b)).toMatchObject({
      balance: 0,
      balances: [{ currency: "JPY", amount: 100 }],
    });
    const refused = await t.call("DELETE", `/friends/${b}`, undefined, { as: a });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain("100 JPY");
    await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: 100, currency: "JPY" },
      { as: b },
    );
    expect((await t.call("DELETE", `/friends/${b}`, undefined, { as: a })).status).toBe(204);
  });

  it("a user with a balance in any currency cannot be deactivated", async () => {
    await expense(a, { amount: "0.002", currency: "KWD", participants: [a, b] });
    expect((await t.call("DELETE", `/users/${b}`, undefined, { as: b })).status).toBe(409);
    await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: "0.001", currency: "KWD" },
      { as: b },
    );
    expect((await t.call("DELETE", `/users/${b}`, undefined, { as: b })).status).toBe(204);
  });
});

describe("a group's currency", () => {
  it("defaults to APP_CURRENCY, is the default of its expenses and settlements, and shows in responses", async () => {
    const g = await newGroup(a, [b, c]);
    expect(g.currency).toBe("INR");
    const yenGroup = await newGroup(a, [b, c], { currency: "JPY" });
    expect(yenGroup.currency).toBe("JPY");
    const e = await expense(a, { amount: 900, group_id: yenGroup.groupid });
    expect(e.status, JSON.stringify(e.body)).toBe(201);
    expect(e.body.currency).toBe("JPY");
    const s = await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: 300, group_id: yenGroup.groupid },
      { as: b },
    );
    expect(s.body).toMatchObject({ currency: "JPY", amount: 300 });
    // Yen amounts in the group's currency: 100.5 is refused there too.
    const bad = await expense(a, { amount: "100.5", group_id: yenGroup.groupid });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([
      { field: "amount", message: "must be a whole number (no decimal places)" },
    ]);
    const list = (await t.call("GET", "/groups", undefined, { as: c })).body.items;
    expect(list.find((x: { groupid: number }) => x.groupid === yenGroup.groupid)).toMatchObject({
      currency: "JPY",
      net: -300,
      nets: [{ currency: "JPY", amount: -300 }],
    });
  });

  it("may change only while nothing was recorded in the group (409 after), and must be a code (422)", async () => {
    const g = (await newGroup(a, [b])).groupid;
    const bad = await t.call("PATCH", `/groups/${g}`, { currency: "EURO" }, { as: a });
    expect(bad.status).toBe(400);
    const unknown = await t.call("PATCH", `/groups/${g}`, { currency: "XYZ" }, { as: a });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([
      { field: "currency", message: "XYZ is not an ISO 4217 currency code" },
    ]);
    const changed = await t.call("PATCH", `/groups/${g}`, { currency: "EUR" }, { as: b });
    expect(changed.status).toBe(200);
    expect(changed.body.currency).toBe("EUR");
    const e = await expense(a, { amount: 10, participants: [a, b], group_id: g });
    expect(e.body.currency).toBe("EUR");
    // Deleted, it still counts as recorded.
    await t.call("DELETE", `/expenses/${e.body.expenseid}`, undefined, { as: a });
    const refused = await t.call("PATCH", `/groups/${g}`, { currency: "USD" }, { as: a });
    expect(refused.status).toBe(409);
    expect(refused.body.errors).toEqual([
      { field: "currency", message: "can change only while nothing was recorded in the group" },
    ]);
    // The same currency, or a rename, is no change of currency.
    const same = await t.call(
      "PATCH",
      `/groups/${g}`,
      { currency: "EUR", name: "Paris" },
      { as: a },
    );
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ name: "Paris", currency: "EUR" });
    const notCode = await t.call("POST", "/groups", { name: "x", currency: "ABC" }, { as: a });
    expect(notCode.status).toBe(422);
  });

  it("books an expense in another currency at its exchange rate: the worked example", async () => {
    const g = (await newGroup(a, [b, c])).groupid;
    // 100.00 USD at 83.125 INR per dollar → ₹8,312.50, split equally: 2770.84, 2770.83, 2770.83.
    const e = await expense(a, {
      amount: "100.00",
      currency: "USD",
      exchange_rate: "83.125",
      group_id: g,
    });
    expect(e.status, JSON.stringify(e.body)).toBe(201);
    expect(e.body).toMatchObject({
      amount: 8312.5,
      currency: "INR",
      original_amount: 100,
      original_currency: "USD",
      exchange_rate: "83.125",
      payers: [{ userid: a, amount: 8312.5 }],
      participants: [
        { userid: a, amount: 2770.84 },
        { userid: b, amount: 2770.83 },
        { userid: c, amount: 2770.83 },
      ],
    });
    expect(
      (await t.call("GET", `/expenses/${e.body.expenseid}`, undefined, { as: b })).body,
    ).toEqual(e.body);
    // EXACT values are apportioned over the booked amount: they still add up to ₹8,312.50.
    const exact = await expense(a, {
      amount: "100.00",
      currency: "USD",
      exchange_rate: 83.125,
      split_type: "EXACT",
      split_values: ["33.33", "33.33", "33.34"],
      group_id: g,
    });
    expect(exact.status).toBe(201);
    expect(exact.body.split_values).toEqual([2770.56, 2770.55, 2771.39]);
    expect(await groupBal(a, g, "?simplify=false")).toMatchObject({
      balances: [
        { from_user: b, to_user: a, amount: 5541.38, currency: "INR" },
        { from_user: c, to_user: a, amount: 5542.22, currency: "INR" },
      ],
    });
    expect((await verifyLedger(t.db.db)).ok).toBe(true);
  });

  it("without a rate, another currency stays itself in the group; its balances are listed apart", async () => {
    const g = (await newGroup(a, [b, c])).groupid;
    await expense(a, { amount: "30.00", group_id: g });
    await expense(b, { amount: 600, currency: "JPY", group_id: g });
    const balances = await groupBal(a, g, "?simplify=false");
    expect(balances.balances).toEqual([
      { from_user: a, to_user: b, amount: 200, currency: "JPY" },
      { from_user: b, to_user: a, amount: 10, currency: "INR" },
      { from_user: c, to_user: a, amount: 10, currency: "INR" },
      { from_user: c, to_user: b, amount: 200, currency: "JPY" },
    ]);
    const simplified = await groupBal(a, g, "?simplify=true");
    expect(simplified.balances).toEqual([
      { from_user: a, to_user: b, amount: 200, currency: "JPY" },
      { from_user: b, to_user: a, amount: 10, currency: "INR" },
      { from_user: c, to_user: a, amount: 10, currency: "INR" },
      { from_user: c, to_user: b, amount: 200, currency: "JPY" },
    ]);
    const members = new Map(
      balances.members.map((m: { userid: number }) => [m.userid, m] as const),
    );
    expect(members.get(a)).toEqual({
      userid: a,
      net: 20,
      nets: [
        { currency: "INR", amount: 20 },
        { currency: "JPY", amount: -200 },
      ],
    });
    expect(members.get(b)).toEqual({
      userid: b,
      net: -10,
      nets: [
        { currency: "INR", amount: -10 },
        { currency: "JPY", amount: 400 },
      ],
    });
    // Leaving and archiving wait for every currency.
    await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: 10, group_id: g },
      { as: b },
    );
    await t.call(
      "POST",
      "/settlements",
      { from_user: c, to_user: a, amount: 10, group_id: g },
      { as: c },
    );
    const leave = await t.call("DELETE", `/groups/${g}/members/${c}`, undefined, { as: c });
    expect(leave.status).toBe(409);
    expect((await t.call("DELETE", `/groups/${g}`, undefined, { as: a })).status).toBe(409);
    for (const from of [a, c])
      await t.call(
        "POST",
        "/settlements",
        { from_user: from, to_user: b, amount: 200, currency: "JPY", group_id: g },
        { as: from },
      );
    expect((await t.call("DELETE", `/groups/${g}/members/${c}`, undefined, { as: c })).status).toBe(
      204,
    );
    expect((await t.call("DELETE", `/groups/${g}`, undefined, { as: a })).status).toBe(204);
  });

  it("refuses a rate outside a group, or in the group's own currency (422, nothing written)", async () => {
    const g = (await newGroup(a, [b, c])).groupid;
    const before = await tableChecksum(t.db);
    const outside = await expense(a, { amount: 10, currency: "USD", exchange_rate: "83" });
    expect(outside.status).toBe(422);
    expect(outside.body.errors.map((e: { field: string }) => e.field)).toEqual(["exchange_rate"]);
    const same = await expense(a, { amount: 10, exchange_rate: "1", group_id: g });
    expect(same.status).toBe(422);
    expect(same.body.errors).toEqual([
      {
        field: "exchange_rate",
        message: "must be omitted: the expense is in the group's own currency (INR)",
      },
    ]);
    for (const rate of ["0", "-1", "1e2", "1.00000000001", "abc"]) {
      const res = await expense(a, {
        amount: 10,
        currency: "USD",
        exchange_rate: rate,
        group_id: g,
      });
      expect(res.status, rate).toBe(422);
    }
    expect(await tableChecksum(t.db)).toBe(before);
  });
});
