import { beforeEach, describe, expect, test } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { pageSuite } from "./page-suite.js";

/** Issue 15 on the page form: several payers, SHARES and ADJUSTMENT, every error at once. */
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
const form = (over: Record<string, string | string[]> = {}) => ({
  _csrf: "",
  description: "Hotel",
  amount: "1,200",
  date: "2026-11-20",
  paid_by: String(a),
  payer_mode: "several",
  split_type: "EQUAL",
  row: [String(a), String(b), String(c)],
  participant: [String(a), String(b), String(c)],
  ...over,
});
interface ApiExpense {
  amount: number;
  paid_by: number | null;
  split_type: string;
  payers: { userid: number; amount: number }[];
  participants: { userid: number; amount: number }[];
}
const apiExpense = async (id: number) =>
  (await t.call("GET", `/expenses/${id}`, undefined, { as: a })).body as ApiExpense;
const ids = () => [a, b, c];
const amounts = (xs: { userid: number; amount: number }[]) =>
  xs.map((x) => [ids().indexOf(x.userid), x.amount]);

describe("several payers through the page form", () => {
  test("two payers typed as people write amounts are stored exactly, with the equal shares", async () => {
    const res = await post(
      "/app/expenses/new",
      form({ [`paid_${a}`]: "₹1,000.50", [`paid_${b}`]: "199.50", [`paid_${c}`]: "" }),
      a,
    );
    expect(res.statusCode).toBe(303);
    const e = await apiExpense(1);
    expect(e.paid_by).toBeNull();
    expect(amounts(e.payers)).toEqual([
      [0, 1000.5],
      [1, 199.5],
    ]);
    expect(amounts(e.participants)).toEqual([
      [0, 400],
      [1, 400],
      [2, 400],
    ]);
  });

  test("every error at once, next to its field, and nothing saved", async () => {
    const res = await post(
      "/app/expenses/new",
      form({
        description: "",
        [`paid_${a}`]: "1,000",
        [`paid_${b}`]: "100",
        [`paid_${c}`]: "1,0,0",
      }),
      a,
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('id="e-description"');
    expect(res.body).toContain(
      `id="e-paid_${c}">Has digit grouping that is neither 1,00,000 nor 100,000.`,
    );
    expect(res.body).toContain('value="1,0,0"');
    const sums = await post(
      "/app/expenses/new",
      form({ description: "", [`paid_${a}`]: "1,000", [`paid_${b}`]: "100" }),
      a,
    );
    expect(sums.statusCode).toBe(422);
    expect(sums.body).toContain('id="e-description"');
    expect(sums.body).toContain(
      'id="e-payers">The payers add up to ₹1,100.00; the amount is ₹1,200.00.',
    );
    const none = await post("/app/expenses/new", form(), a);
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('id="e-payers">Enter what each person paid');
    const list = await t.call("GET", `/users/${a}/expenses`, undefined, { as: a });
    expect(JSON.stringify(list.body)).not.toContain("Hotel");
  });

  test("one payer mode ignores the Paid boxes", async () => {
    const res = await post("/app/expenses/new", form({ payer_mode: "one", [`paid_${b}`]: "5" }), a);
    expect(res.statusCode).toBe(303);
    const e = await apiExpense(1);
    expect(e.paid_by).toBe(a);
    expect(amounts(e.payers)).toEqual([[0, 1200]]);
  });

  test("editing a multi-payer expense shows its payers and keeps them on save", async () => {
    const made = await t.call(
      "POST",
      "/expenses",
      {
        description: "Taxi",
        amount: 42,
        payers: [
          { userid: a, amount: 20 },
          { userid: b, amount: 22 },
        ],
        split_type: "EQUAL",
        participants: [a, b, c],
      },
      { as: a },
    );
    expect(made.status).toBe(201);
    const id = (made.body as { expenseid: number }).expenseid;
    const detail = await get(`/app/expenses/${id}`, a);
    expect(detail.body).toContain(`/app/expenses/${id}/edit`);
    const page = await get(`/app/expenses/${id}/edit`, a);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/name="payer_mode" value="several" checked/);
    expect(page.body).toContain(`name="paid_${a}" value="20.00"`);
    expect(page.body).toContain(`name="paid_${b}" value="22.00"`);
    expect(page.body).toContain(`name="paid_${c}" value=""`);
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? "";
    const saved = await post(
      `/app/expenses/${id}/edit`,
      form({
        description: "Taxi home",
        amount: "42",
        version,
        [`paid_${a}`]: "20.00",
        [`paid_${b}`]: "22.00",
        [`paid_${c}`]: "",
      }),
      a,
    );
    expect(saved.statusCode).toBe(303);
    const e = await apiExpense(id);
    expect(amounts(e.payers)).toEqual([
      [0, 20],
      [1, 22],
    ]);
    expect(amounts(e.participants)).toEqual([
      [0, 14],
      [1, 14],
      [2, 14],
    ]);
  });
});

describe("SHARES and ADJUSTMENT through the page form", () => {
  test("SHARES: 100 by [1, 2, 2] → 20, 40, 40, and the form previews the shares", async () => {
    const body = form({
      amount: "100",
      payer_mode: "one",
      split_type: "SHARES",
      [`value_${a}`]: "1",
      [`value_${b}`]: "2",
      [`value_${c}`]: "2",
    });
    const res = await post("/app/expenses/new", body, a);
    expect(res.statusCode).toBe(303);
    const e = await apiExpense(1);
    expect(e.split_type).toBe("SHARES");
    expect(amounts(e.participants)).toEqual([
      [0, 20],
      [1, 40],
      [2, 40],
    ]);
    const page = await get("/app/expenses/1/edit", a);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/value="SHARES" checked/);
    expect(page.body).toContain(`name="value_${b}" value="2.00"`);
    expect(page.body).toContain("₹40.00");
    const bad = await post("/app/expenses/new", { ...body, [`value_${b}`]: "x" }, a);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain(`id="e-value_${b}"`);
  });

  test("ADJUSTMENT: 100 with [+10, 0, −10] → 43.34, 33.33, 23.33; a negative share is refused", async () => {
    const body = form({
      amount: "100",
      payer_mode: "one",
      split_type: "ADJUSTMENT",
      [`value_${a}`]: "+10",
      [`value_${b}`]: "0",
      [`value_${c}`]: "\u221210",
    });
    const res = await post("/app/expenses/new", body, a);
    expect(res.statusCode).toBe(303);
    const e = await apiExpense(1);
    expect(e.split_type).toBe("ADJUSTMENT");
    expect(amounts(e.participants)).toEqual([
      [0, 43.34],
      [1, 33.33],
      [2, 23.33],
    ]);
    const page = await get("/app/expenses/1/edit", a);
    expect(page.body).toContain(`name="value_${c}" value="-10.00"`);
    const bad = await post("/app/expenses/new", { ...body, [`value_${c}`]: "-50" }, a);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain(`id="e-value_${c}">Gives a share of`);
  });
});
