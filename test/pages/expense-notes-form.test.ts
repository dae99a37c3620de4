import { beforeEach, describe, expect, test } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { pageSuite } from "./page-suite.js";

/** The add/edit expense form's Category and Notes: offered, saved, shown, kept on errors. */
let t: TestApp;
let a: number;
let b: number;

const suite = pageSuite({ users: ["Asha", "Bela"] });
beforeEach(() => {
  t = suite.t;
  [a, b] = suite.users;
});

const { get, post } = suite;
const expenseForm = (over: Record<string, string | string[]> = {}) => ({
  _csrf: "",
  description: "Dinner",
  amount: "300",
  date: "2026-11-20",
  paid_by: String(a),
  split_type: "EQUAL",
  row: [String(a), String(b)],
  participant: [String(a), String(b)],
  ...over,
});
const apiExpense = async (id: number) =>
  (await t.call("GET", `/expenses/${id}`, undefined, { as: a })).body as {
    category: string | null;
    notes: string | null;
  };

describe("category and notes on the expense form", () => {
  test("the form offers a Category box with common categories and a Notes box", async () => {
    const res = await get("/app/expenses/new", a);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(
      /<input id="f-category" name="category" value="" [^>]*list="category-suggestions"/,
    );
    expect(res.body).toContain('<datalist id="category-suggestions">');
    for (const c of ["General", "Groceries", "Dining out", "Rent", "Utilities"])
      expect(res.body).toContain(`<option value="${c}"></option>`);
    expect(res.body).toMatch(
      /<label for="f-notes">Notes, optional<\/label>\s*<textarea id="f-notes" name="notes"/,
    );
  });

  test("saved as typed (a textarea's CR LF as LF), shown on the detail page, the list and the edit form", async () => {
    const res = await post(
      "/app/expenses/new",
      expenseForm({ category: " Groceries ", notes: "Paid in cash\r\n<b>keep</b> the receipt" }),
      a,
    );
    expect(res.statusCode).toBe(303);
    expect(await apiExpense(1)).toMatchObject({
      category: "Groceries",
      notes: "Paid in cash\n<b>keep</b> the receipt",
    });
    const detail = await get("/app/expenses/1", b);
    expect(detail.body).toContain('<dd data-testid="expense-category">Groceries</dd>');
    expect(detail.body).toContain(
      '<p class="notes" data-testid="expense-notes">Paid in cash\n&lt;b&gt;keep&lt;/b&gt; the receipt</p>',
    );
    const list = await get("/app/expenses", b);
    expect(list.body).toMatch(/<span class="meta">[^<]* · Groceries · paid by Asha[^<]*<\/span>/);
    const edit = await get("/app/expenses/1/edit", a);
    expect(edit.body).toMatch(/<input id="f-category" name="category" value="Groceries"/);
    expect(edit.body).toContain(">Paid in cash\n&lt;b&gt;keep&lt;/b&gt; the receipt</textarea>");
    // Saving the edit with them changed keeps the change; emptied, they are gone.
    const saved = await post(
      "/app/expenses/1/edit",
      expenseForm({ category: "Dining out", notes: "" }),
      a,
    );
    expect(saved.statusCode).toBe(303);
    expect(await apiExpense(1)).toMatchObject({ category: "Dining out", notes: null });
    const plain = await get("/app/expenses/1", a);
    expect(plain.body).not.toContain('data-testid="expense-notes"');
  });

  test("a too long category and a tab in the notes: both named next to their boxes, values kept", async () => {
    const long = "c".repeat(51);
    const res = await post(
      "/app/expenses/new",
      expenseForm({ category: long, notes: "one\ttwo", amount: "" }),
      a,
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(
      '<p class="error" id="e-category">Must be at most 50 characters.</p>',
    );
    expect(res.body).toContain(
      '<p class="error" id="e-notes">Must not contain control characters other than line breaks.</p>',
    );
    expect(res.body).toContain('id="e-amount"');
    // The summary links to them in the form's order: category after the description, notes last.
    const start = res.body.indexOf('id="error-summary"');
    const summary = res.body.slice(start, res.body.indexOf("</ul>", start));
    const order = ["#f-category", "#f-amount", "#f-notes"].map((f) => summary.indexOf(f));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(res.body).toContain(`value="${long}"`);
    expect(res.body).toContain(">one\ttwo</textarea>");
    expect(res.body).toMatch(/<textarea id="f-notes" name="notes" [^>]*aria-invalid="true"/);
    expect((await t.call("GET", `/users/${a}/expenses`, undefined, { as: a })).body.items).toEqual(
      [],
    );
  });
});
