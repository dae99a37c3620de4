import { beforeEach, describe, expect, test } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { tableChecksum } from "../helpers/table-checksum.js";
import { pageSuite } from "./page-suite.js";

/**
 * "By item" (ITEMIZED) on the page form, without JavaScript: item rows with a price and who
 * shares each, tax and tip; every problem at once next to its row; editing an itemized expense.
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
/** The README's worked example: naan 3.00 for A, B, C; curry 10.01 for A, B; tax 1.30, tip 0.40.
 * The curry is on the third row (the second left empty): empty rows are skipped. */
const form = (over: Form = {}): Form => ({
  _csrf: "",
  description: "Thali",
  amount: "₹14.71",
  date: "2026-11-20",
  paid_by: String(a),
  payer_mode: "one",
  split_type: "ITEMIZED",
  row: [String(a), String(b), String(c)],
  participant: [String(a)],
  item_rows: "5",
  item_desc_0: "Naan",
  item_amount_0: "3",
  item_people_0: [String(a), String(b), String(c)],
  item_desc_1: "",
  item_amount_1: "",
  item_desc_2: " Curry ",
  item_amount_2: "10.01",
  item_people_2: [String(a), String(b)],
  tax: "1.30",
  tip: "0.40",
  ...over,
});
interface ApiExpense {
  amount: number;
  split_type: string;
  participants: { userid: number; amount: number }[];
  items: { description: string; amount: number; participants: number[] }[] | null;
  tax: number | null;
  tip: number | null;
  version: number;
}
const apiExpense = async (id: number) =>
  (await t.call("GET", `/expenses/${id}`, undefined, { as: a })).body as ApiExpense;
const sharesOf = (e: ApiExpense) =>
  e.participants.map((p): [number, number] => [p.userid, p.amount]);
const versionOf = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? "";

describe("adding an itemized expense", () => {
  test("the form offers five empty item rows, tax and tip", async () => {
    const page = await get("/app/expenses/new", a);
    expect(page.body).toContain('value="ITEMIZED"');
    for (let i = 0; i < 5; i++) expect(page.body).toContain(`name="item_desc_${i}"`);
    expect(page.body).not.toContain('name="item_desc_5"');
    expect(page.body).toContain(`name="item_people_0" value="${b}"`);
    expect(page.body).toContain('name="tax"');
    expect(page.body).toContain('name="tip"');
  });

  test("the README example is saved with the rule's shares: A 6.80, B 6.78, C 1.13", async () => {
    const res = await post("/app/expenses/new", form(), a);
    expect(res.statusCode, res.body).toBe(303);
    const e = await apiExpense(1);
    expect(e.split_type).toBe("ITEMIZED");
    expect(e.amount).toBe(14.71);
    expect(e.items).toEqual([
      { description: "Naan", amount: 3, participants: [a, b, c] },
      { description: "Curry", amount: 10.01, participants: [a, b] },
    ]);
    expect([e.tax, e.tip]).toEqual([1.3, 0.4]);
    expect(sharesOf(e)).toEqual([
      [a, 6.8],
      [b, 6.78],
      [c, 1.13],
    ]);
    // The detail page tells the items, tax and tip, and now offers Edit.
    const detail = await get("/app/expenses/1", a);
    expect(detail.body).toContain("Curry");
    expect(detail.body).toContain("₹10.01");
    expect(detail.body).toContain("₹1.30");
    expect(detail.body).toContain('href="/app/expenses/1/edit"');
  });

  test("every problem at once, next to its row, typed values kept, nothing saved", async () => {
    const before = await tableChecksum(t.db);
    const res = await post(
      "/app/expenses/new",
      form({
        description: "",
        item_amount_0: "1,0,0",
        item_people_2: [],
        item_desc_3: "Lassi",
        item_amount_4: "5",
        tax: "x",
      }),
      a,
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('id="e-description"');
    expect(res.body).toContain(
      'id="e-item_amount_0">Has digit grouping that is neither 1,00,000 nor 100,000.',
    );
    expect(res.body).toContain('id="e-item_people_2">Tick who shares this item.');
    expect(res.body).toContain('id="e-item_amount_3">Enter the price, e.g. 250.50.');
    expect(res.body).toContain('id="e-item_desc_4">Must not be empty.');
    expect(res.body).toContain('id="e-tax"');
    // The summary names the rows as the form shows them.
    expect(res.body).toContain('href="#f-item_amount_0">Price of item 1:');
    expect(res.body).toContain('href="#f-item_people_2">Who shares item 3:');
    expect(res.body).toContain('value="1,0,0"');
    expect(res.body).toContain('name="item_desc_3" value="Lassi"');
    expect(res.body).toMatch(/value="ITEMIZED" checked/);
    expect(await tableChecksum(t.db)).toBe(before);
  });

  test("items that do not make the amount: the sums in rupees; no items; only the payer", async () => {
    const sums = await post("/app/expenses/new", form({ amount: "20" }), a);
    expect(sums.statusCode).toBe(422);
    expect(sums.body).toContain(
      'id="e-items">The items, tax and tip add up to ₹14.71; the amount is ₹20.00.',
    );
    // The preview still shows each share (the amount plays no part in them, nor the names).
    expect(sums.body).toContain("₹6.78");
    const unnamed = await post("/app/expenses/new", form({ item_desc_2: "" }), a);
    expect(unnamed.body).toContain('id="e-item_desc_2">Must not be empty.');
    expect(unnamed.body).toContain("₹6.78");
    const none = await post(
      "/app/expenses/new",
      form({
        item_desc_0: "",
        item_amount_0: "",
        item_people_0: [],
        item_desc_2: "",
        item_amount_2: "",
        item_people_2: [],
      }),
      a,
    );
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('id="e-items">Add at least one item');
    const solo = await post(
      "/app/expenses/new",
      form({
        amount: "13.01",
        tax: "",
        tip: "",
        item_people_0: [String(a)],
        item_people_2: [String(a)],
      }),
      a,
    );
    expect(solo.statusCode).toBe(422);
    expect(solo.body).toContain('id="e-items">Add at least one other person');
  });

  test("a ticked box of someone not on the form is refused without a name", async () => {
    const z = await t.stranger("Zed");
    const res = await post("/app/expenses/new", form({ item_people_0: [String(a), String(z)] }), a);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(`id="e-item_people_0">User ${z} is unknown`);
    expect(res.body).not.toContain("Zed");
  });

  test("“More item rows” shows five more rows and keeps what was typed, unsaved", async () => {
    const res = await post("/app/expenses/new", form({ action: "more_items" }), a);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('name="item_desc_9"');
    expect(res.body).toContain('name="item_desc_0" value="Naan"');
    expect(res.body).not.toContain("error-summary");
    expect((await t.call("GET", "/expenses/1", undefined, { as: a })).status).toBe(404);
  });
});

test("adding someone by email keeps the items typed so far and offers them on every row", async () => {
  const d = await t.user("Devi");
  const res = await post(
    "/app/expenses/new",
    form({ action: "add_person", email: t.emailOf(d), row: [String(a), String(b), String(c)] }),
    a,
  );
  expect(res.statusCode).toBe(200);
  expect(res.body).toContain('name="item_desc_2" value=" Curry "');
  expect(res.body).toContain('name="tax" value="1.30"');
  for (const row of [0, 1, 2, 3, 4])
    expect(res.body).toContain(`name="item_people_${row}" value="${d}"`);
});

describe("editing an itemized expense", () => {
  async function made(): Promise<number> {
    // Made through the API with the naan's people as [C, A, B]: the form keeps that order.
    const res = await t.call(
      "POST",
      "/expenses",
      {
        description: "Thali",
        amount: "14.72",
        paid_by: b,
        split_type: "ITEMIZED",
        items: [
          { description: "Naan", amount: "3.01", participants: [c, a, b] },
          { description: "Curry", amount: "10.01", participants: [a, b] },
        ],
        tax: "1.30",
        tip: "0.40",
      },
      { as: a },
    );
    expect(res.status).toBe(201);
    return res.body.expenseid as number;
  }

  test("opens the form with its rows, tax and tip; saving it unchanged changes no share", async () => {
    const id = await made();
    const before = await apiExpense(id);
    const page = await get(`/app/expenses/${id}/edit`, a);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/value="ITEMIZED" checked/);
    expect(page.body).toContain('name="item_desc_1" value="Curry"');
    expect(page.body).toContain('name="item_amount_0" value="3.01"');
    expect(page.body).toContain(`name="item_order_0" value="${c},${a},${b}"`);
    expect(page.body).toMatch(new RegExp(`name="item_people_1" value="${b}" checked`));
    expect(page.body).not.toMatch(new RegExp(`name="item_people_1" value="${c}" checked`));
    expect(page.body).toContain('name="tax" value="1.30"');
    // Each share previewed as saved.
    for (const [, amount] of sharesOf(before)) expect(page.body).toContain(`₹${amount.toFixed(2)}`);
    // Posted back as a browser would send it (the form's own fields).
    const saved = await post(
      `/app/expenses/${id}/edit`,
      form({
        version: versionOf(page.body),
        amount: "14.72",
        paid_by: String(b),
        item_desc_0: "Naan",
        item_amount_0: "3.01",
        item_people_0: [String(a), String(b), String(c)],
        item_order_0: `${c},${a},${b}`,
        item_desc_1: "Curry",
        item_amount_1: "10.01",
        item_people_1: [String(a), String(b)],
        item_order_1: `${a},${b}`,
        item_desc_2: "",
        item_amount_2: "",
        item_people_2: [],
      }),
      a,
    );
    expect(saved.statusCode, saved.body).toBe(303);
    const after = await apiExpense(id);
    expect(after.version).toBe(before.version + 1);
    expect(after.items).toEqual(before.items);
    expect(sharesOf(after)).toEqual(sharesOf(before));
  });

  test("a changed tip and a new item are saved; an edit can leave ITEMIZED for EQUAL", async () => {
    const id = await made();
    const page = await get(`/app/expenses/${id}/edit`, a);
    const body = form({
      version: versionOf(page.body),
      amount: "20.00",
      paid_by: String(b),
      item_desc_0: "Naan",
      item_amount_0: "3.01",
      item_people_0: [String(c)],
      item_desc_1: "Curry",
      item_amount_1: "10.01",
      item_people_1: [String(a), String(b)],
      item_desc_2: "Lassi",
      item_amount_2: "5.99",
      item_people_2: [String(b)],
      tax: "",
      tip: "0.99",
    });
    const saved = await post(`/app/expenses/${id}/edit`, body, a);
    expect(saved.statusCode, saved.body).toBe(303);
    const e = await apiExpense(id);
    expect(e.items?.map((i) => i.description)).toEqual(["Naan", "Curry", "Lassi"]);
    expect([e.tax, e.tip]).toEqual([0, 0.99]);
    // Subtotals C 3.01, A 5.01, B 5.00 + 5.99 = 10.99 (Σ 19.01); the 0.99 by them.
    const total = e.participants.reduce((s, p) => s + Math.round(p.amount * 100), 0);
    expect(total).toBe(2000);
    const equal = await post(
      `/app/expenses/${id}/edit`,
      {
        ...body,
        version: String(e.version),
        split_type: "EQUAL",
        participant: [String(a), String(b)],
      },
      a,
    );
    expect(equal.statusCode, equal.body).toBe(303);
    const now = await apiExpense(id);
    expect(now.split_type).toBe("EQUAL");
    expect(now.items).toBeNull();
    expect(sharesOf(now)).toEqual([
      [a, 10],
      [b, 10],
    ]);
  });
});
