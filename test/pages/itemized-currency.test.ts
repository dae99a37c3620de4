import { beforeEach, describe, expect, test } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { formValues } from "./form-values.js";
import { pageSuite } from "./page-suite.js";

/**
 * Issue 16, "By item" on the page form: item prices, tax and tip are money in the chosen
 * currency — read, re-shown and previewed with its digits (¥1,000; KWD 1.250), not the rupee's 2.
 */
let t: TestApp;
let a: number;
let b: number;
let c: number;

const suite = pageSuite({ users: ["Asha", "Bela", "Chandra"] });
beforeEach(() => {
  t = suite.t;
  [a, b, c] = suite.users;
});

const { get, post } = suite;
type Form = Record<string, string | string[]>;
/** Ramen ¥1,000 for A, B, C; gyoza ¥501 for A, B; tax ¥99: ¥1,600 in all. */
const yen = (over: Form = {}): Form => ({
  _csrf: "",
  description: "Izakaya",
  amount: "¥1,600",
  currency: "JPY",
  date: "2026-11-20",
  paid_by: String(a),
  payer_mode: "one",
  split_type: "ITEMIZED",
  row: [String(a), String(b), String(c)],
  participant: [String(a)],
  item_rows: "5",
  item_desc_0: "Ramen",
  item_amount_0: "1,000",
  item_people_0: [String(a), String(b), String(c)],
  item_desc_1: "Gyoza",
  item_amount_1: "¥501",
  item_people_1: [String(a), String(b)],
  tax: "99",
  ...over,
});
const apiExpense = async (id: number) =>
  (await t.call("GET", `/expenses/${id}`, undefined, { as: a })).body;
const idOf = (location: string | undefined) =>
  Number(/\/app\/expenses\/(\d+)$/.exec(location ?? "")?.[1]);

describe("an itemized bill in yen (no decimals)", () => {
  test("is saved in whole yen with the rule's shares, and shown so on the form", async () => {
    const res = await post("/app/expenses/new", yen(), a);
    expect(res.statusCode, res.body).toBe(303);
    const id = idOf(res.headers.location);
    const e = await apiExpense(id);
    expect(e).toMatchObject({ amount: 1600, currency: "JPY", tax: 99, tip: 0 });
    expect(e.items).toEqual([
      { description: "Ramen", amount: 1000, participants: [a, b, c] },
      { description: "Gyoza", amount: 501, participants: [a, b] },
    ]);
    // Ramen 334/333/333, gyoza 251/250 → subtotals 585, 583, 333; the tax's 99 by them →
    // 38.58, 38.45, 21.96 → 38, 38, 21 and the 2 left to .96 and .58 → 39, 38, 22.
    expect(e.participants).toEqual([
      { userid: a, amount: 624 },
      { userid: b, amount: 621 },
      { userid: c, amount: 355 },
    ]);
    const edit = await get(`/app/expenses/${id}/edit`, a);
    const shown = formValues(edit.body, "data-split-form");
    expect(shown.item_amount_0).toEqual(["1000"]);
    expect(shown.item_amount_1).toEqual(["501"]);
    expect(shown.tax).toEqual(["99"]);
    expect(shown.tip).toEqual([""]);
    // The labels and each previewed share are in yen.
    expect(edit.body).toContain("(<span data-currency-symbol>¥</span>)</label>");
    expect(edit.body).toContain("¥624");
    // Saved unchanged: the same items and shares.
    const saved = await post(`/app/expenses/${id}/edit`, { ...shown, action: "save" }, a);
    expect(saved.statusCode, saved.body).toBe(303);
    const after = await apiExpense(id);
    expect(after.version).toBe(e.version + 1);
    expect([after.items, after.tax, after.participants]).toEqual([e.items, e.tax, e.participants]);
  });

  test("a price with decimals, and sums that do not make the amount, say so in yen", async () => {
    const res = await post(
      "/app/expenses/new",
      yen({
        amount: "2000",
        item_amount_1: "501.5",
        item_desc_2: "Beer",
        item_people_2: [String(a)],
      }),
      a,
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('id="e-item_amount_1">Must be a whole number (no decimal places).');
    expect(res.body).toContain('id="e-item_amount_2">Enter the price, e.g. 250.');
    const sums = await post("/app/expenses/new", yen({ amount: "2000" }), a);
    expect(sums.statusCode).toBe(422);
    expect(sums.body).toContain(
      'id="e-items">The items, tax and tip add up to ¥1,600; the amount is ¥2,000.',
    );
    // The preview still shows each share, in yen.
    expect(sums.body).toContain("¥621");
  });
});

test("an itemized bill in dinars (3 decimals): fils kept exactly", async () => {
  const res = await post(
    "/app/expenses/new",
    yen({
      currency: "KWD",
      amount: "KWD 3.751",
      item_amount_0: "1.250",
      item_amount_1: "2.001",
      tax: "0.5",
    }),
    a,
  );
  expect(res.statusCode, res.body).toBe(303);
  const id = idOf(res.headers.location);
  const e = await apiExpense(id);
  expect(e).toMatchObject({ amount: 3.751, currency: "KWD", tax: 0.5 });
  expect(e.items.map((i: { amount: number }) => i.amount)).toEqual([1.25, 2.001]);
  const shown = formValues((await get(`/app/expenses/${id}/edit`, a)).body, "data-split-form");
  expect([shown.item_amount_0, shown.item_amount_1, shown.tax]).toEqual([
    ["1.250"],
    ["2.001"],
    ["0.500"],
  ]);
});
