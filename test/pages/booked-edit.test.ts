import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, test } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { fieldOf, formValues } from "./form-values.js";
import { pageSuite } from "./page-suite.js";

/**
 * Issue 16: editing an expense booked in its group's currency at an exchange rate shows what was
 * typed — the amount, currency and rate entered, every amount in that currency — so saving the
 * form unchanged books exactly the same amounts and moves no balance.
 */
let t: TestApp;
let a: number;
let b: number;
let c: number;
let group: number;

const suite = pageSuite({ users: ["Asha", "Bela", "Chandra"] });
beforeEach(() => {
  t = suite.t;
  [a, b, c] = suite.users;
});

const { get, post } = suite;
type Form = Record<string, string | string[]>;

async function makeGroup(currency: string) {
  const g = await t.call("POST", "/groups", { name: "Trip", members: [b, c], currency }, { as: a });
  expect(g.status).toBe(201);
  group = g.body.groupid;
}

/** An expense typed into the add form of the group, in `currency` at `rate`. */
async function add(over: Form): Promise<number> {
  const res = await post(
    "/app/expenses/new",
    {
      _csrf: "",
      description: "Boat",
      amount: "100.00",
      currency: "USD",
      exchange_rate: "83.125",
      date: "2026-11-20",
      paid_by: String(a),
      payer_mode: "one",
      split_type: "EQUAL",
      row: [String(a), String(b), String(c)],
      participant: [String(a), String(b), String(c)],
      group_id: String(group),
      ...over,
    },
    a,
  );
  expect(res.statusCode, res.body).toBe(303);
  const list = await t.call("GET", `/groups/${group}/expenses`, undefined, { as: a });
  return list.body.items[0].expenseid;
}

/** Everything the ledger keeps of the expense and the balances it moves, but its version. */
async function ledger(id: number) {
  const { version, updated_at, updated_by, ...expense } = (
    await t.call("GET", `/expenses/${id}`, undefined, { as: a })
  ).body;
  const balances = await Promise.all([
    t.call("GET", `/groups/${group}/balances`, undefined, { as: a }),
    ...[a, b, c].map((u) => t.call("GET", `/users/${u}/balances`, undefined, { as: u })),
  ]);
  return { version, expense, balances: balances.map((r) => r.body) };
}

/** Opens the edit form, checks it shows `shown`, posts it unchanged: nothing moves. */
async function saveUnchanged(id: number, shown: Form) {
  const before = await ledger(id);
  const page = await get(`/app/expenses/${id}/edit`, a);
  expect(page.statusCode).toBe(200);
  const form = formValues(page.body, "data-split-form");
  for (const [k, v] of Object.entries(shown)) expect(form[k], k).toEqual([v].flat());
  const saved = await post(`/app/expenses/${id}/edit`, { ...form, action: "save" }, a);
  expect(saved.statusCode, saved.body).toBe(303);
  const after = await ledger(id);
  expect(after.version).toBe(before.version + 1);
  expect(after.expense).toEqual(before.expense);
  expect(after.balances).toEqual(before.balances);
  return before.expense;
}

describe("in an INR group, entered in USD at 83.125", () => {
  beforeEach(() => makeGroup("INR"));

  test("equally: the form shows $100.00 at 83.125, not ₹8,312.50", async () => {
    const id = await add({});
    const e = await saveUnchanged(id, {
      amount: "100.00",
      currency: "USD",
      exchange_rate: "83.125",
    });
    expect(e).toMatchObject({ amount: 8312.5, original_amount: 100, original_currency: "USD" });
    expect(e.participants.map((p: { amount: number }) => p.amount)).toEqual([
      2770.84, 2770.83, 2770.83,
    ]);
  });

  test("exact amounts (the README's example): 33.33 / 33.33 / 33.34 USD again", async () => {
    const values = { [`value_${a}`]: "33.33", [`value_${b}`]: "33.33", [`value_${c}`]: "33.34" };
    const id = await add({ split_type: "EXACT", ...values });
    const e = await saveUnchanged(id, { amount: "100.00", currency: "USD", ...values });
    expect(e.split_values).toEqual([2770.56, 2770.55, 2771.39]);
  });

  test("by item with two payers, at 83.1234: items, tax, tip and payers in USD", async () => {
    const typed: Form = {
      amount: "100.50",
      exchange_rate: "83.1234",
      split_type: "ITEMIZED",
      payer_mode: "several",
      [`paid_${a}`]: "70.50",
      [`paid_${b}`]: "30.00",
      item_rows: "5",
      item_desc_0: "Naan",
      item_amount_0: "30.00",
      item_people_0: [String(a), String(b), String(c)],
      item_desc_1: "Curry",
      item_amount_1: "60.25",
      item_people_1: [String(a), String(b)],
      tax: "7.75",
      tip: "2.50",
    };
    const id = await add(typed);
    const { item_people_0, item_people_1, item_rows, payer_mode, ...shown } = typed;
    await saveUnchanged(id, { ...shown, currency: "USD" });
  });

  test("with adjustments (+10, 0, −10): converted back one by one", async () => {
    const values = { [`value_${a}`]: "10.00", [`value_${b}`]: "0.00", [`value_${c}`]: "-10.00" };
    const id = await add({ split_type: "ADJUSTMENT", ...values });
    await saveUnchanged(id, { amount: "100.00", currency: "USD", ...values });
  });
});

test("in a JPY group, 12.34 USD at 151.37 (¥1,868) splits exactly back", async () => {
  await makeGroup("JPY");
  const values = { [`value_${a}`]: "6.17", [`value_${b}`]: "6.17", [`value_${c}`]: "0.00" };
  const id = await add({
    amount: "12.34",
    exchange_rate: "151.37",
    split_type: "EXACT",
    ...values,
  });
  const e = await saveUnchanged(id, { amount: "12.34", currency: "USD", exchange_rate: "151.37" });
  expect(e).toMatchObject({ amount: 1868, currency: "JPY", split_values: [934, 934, 0] });
});

test("booked amounts that do not come back exactly are shown as booked, and said so", async () => {
  await makeGroup("INR");
  const id = await add({});
  // As an import may keep it: what was entered does not give the booked amount at the rate.
  await t.db.db.execute(sql`update expenses set original_amount = 10001 where id = ${id}`);
  const page = await get(`/app/expenses/${id}/edit`, a);
  const form = formValues(page.body, "data-split-form");
  expect([fieldOf(form, "amount"), fieldOf(form, "currency")]).toEqual(["8312.50", "INR"]);
  expect(form.exchange_rate).toBeUndefined();
  expect(page.body).toContain(
    "Entered as $100.01 at 1 USD = 83.125 INR; its amounts are shown as booked in INR",
  );
  const before = (await t.call("GET", `/expenses/${id}`, undefined, { as: a })).body;
  const saved = await post(`/app/expenses/${id}/edit`, { ...form, action: "save" }, a);
  expect(saved.statusCode, saved.body).toBe(303);
  const after = (await t.call("GET", `/expenses/${id}`, undefined, { as: a })).body;
  expect(after.participants).toEqual(before.participants);
  expect(after.original_amount).toBeNull();
});
