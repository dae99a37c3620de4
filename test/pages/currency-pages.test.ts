import { beforeEach, describe, expect, test } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { pageSuite } from "./page-suite.js";

/** Issue 16 on the pages: the currency picker, amounts typed in its digits, per-currency views. */
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
/** The code the currency select has selected on a page. */
const selected = (html: string) =>
  /<select id="f-currency"[^>]*>[\s\S]*?<option value="([A-Z]{3})" selected>/.exec(html)?.[1];

async function group(currency: string) {
  const g = await t.call("POST", "/groups", { name: "Tokyo", members: [b], currency }, { as: a });
  expect(g.status).toBe(201);
  return g.body.groupid as number;
}

describe("the currency picker", () => {
  test("preselects APP_CURRENCY, else the group's; common codes come first", async () => {
    const plain = await get("/app/expenses/new", a);
    expect(selected(plain.body)).toBe("INR");
    const options = [...plain.body.matchAll(/<option value="([A-Z]{3})"/g)].map((m) => m[1]);
    expect(options.slice(0, 5)).toEqual(["INR", "USD", "EUR", "GBP", "JPY"]);
    expect(options.length).toBeGreaterThan(100);
    const g = await group("JPY");
    expect(selected((await get(`/app/expenses/new?group=${g}`, a)).body)).toBe("JPY");
    expect(selected((await get(`/app/settle?group=${g}`, a)).body)).toBe("JPY");
    expect(selected((await get("/app/settle", a)).body)).toBe("INR");
  });

  test("editing keeps the expense's own currency", async () => {
    const res = await post(
      "/app/expenses/new",
      expenseForm({ amount: "12.50", currency: "USD" }),
      a,
    );
    expect(res.statusCode).toBe(303);
    const id = Number(/\/app\/expenses\/(\d+)/.exec(res.headers.location ?? "")?.[1]);
    const edit = await get(`/app/expenses/${id}/edit`, a);
    expect(selected(edit.body)).toBe("USD");
    expect(edit.body).toContain('value="12.50"');
    const detail = await get(`/app/expenses/${id}`, a);
    expect(detail.body).toContain("$12.50");
  });
});

describe("amounts in the chosen currency's digits", () => {
  test('"1,000" yen is saved as 1000 yen; "100.5" yen is refused with a message', async () => {
    const ok = await post(
      "/app/expenses/new",
      expenseForm({ amount: "1,000", currency: "JPY" }),
      a,
    );
    expect(ok.statusCode).toBe(303);
    const e = await t.call("GET", ok.headers.location?.replace("/app", "") ?? "", undefined, {
      as: a,
    });
    expect(e.body).toMatchObject({ amount: 1000, currency: "JPY" });
    const bad = await post(
      "/app/expenses/new",
      expenseForm({ amount: "100.5", currency: "JPY" }),
      a,
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('id="e-amount">Must be a whole number (no decimal places).');
    expect(selected(bad.body)).toBe("JPY");
  });

  test("a settlement in yen from the settle form", async () => {
    await post("/app/expenses/new", expenseForm({ amount: "1,000", currency: "JPY" }), a);
    const res = await post(
      "/app/settle",
      { _csrf: "", direction: "received", other: String(b), amount: "¥500", currency: "JPY" },
      a,
    );
    expect(res.statusCode).toBe(303);
    // Bela owed ¥500; the ¥500 received settles the yen, and the settlements page says ¥500.
    const s = await t.call("GET", `/users/${a}/balances`, undefined, { as: a });
    expect(s.body.owed_by).toEqual([]);
    expect((await get("/app/settlements", a)).body).toContain("¥500");
  });
});

describe("balances grouped by currency", () => {
  test("the group page shows each currency apart, never added together", async () => {
    const g = await group("INR");
    for (const [amount, currency] of [
      ["1000", "INR"],
      ["30", "USD"],
    ] as const)
      expect(
        (
          await t.call(
            "POST",
            "/expenses",
            {
              paid_by: a,
              amount,
              currency,
              split_type: "EQUAL",
              participants: [a, b],
              description: `in ${currency}`,
              group_id: g,
            },
            { as: a },
          )
        ).status,
      ).toBe(201);
    const page = await get(`/app/groups/${g}`, a);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("is owed ₹500.00, is owed $15.00");
    expect(page.body).toContain("owes ₹500.00, owes $15.00");
    expect(page.body).toContain("₹500.00");
    expect(page.body).toContain("$15.00");
    expect(page.body).not.toContain("₹515");
  });

  test("a group's currency on New group, and settings refuse a change once it has history", async () => {
    const res = await post("/app/groups/new", { name: "Paris", currency: "EUR", simplify: "1" }, a);
    expect(res.statusCode).toBe(303);
    const id = Number(/\/app\/groups\/(\d+)/.exec(res.headers.location ?? "")?.[1]);
    expect((await t.call("GET", `/groups/${id}`, undefined, { as: a })).body.currency).toBe("EUR");
    const settings = await get(`/app/groups/${id}/settings`, a);
    expect(selected(settings.body)).toBe("EUR");
    await t.call(
      "POST",
      "/expenses",
      {
        paid_by: a,
        amount: "10",
        split_type: "EQUAL",
        participants: [a],
        description: "x",
        group_id: id,
      },
      { as: a },
    );
    const refused = await post(
      `/app/groups/${id}/settings`,
      { _csrf: "", name: "Paris", simplify: "1", currency: "USD" },
      a,
    );
    expect(refused.statusCode).toBe(409);
    expect(selected(refused.body)).toBe("EUR");
    // Renaming alone still works: the unchanged currency is not sent.
    const renamed = await post(
      `/app/groups/${id}/settings`,
      { _csrf: "", name: "Paris 2026", simplify: "1", currency: "EUR" },
      a,
    );
    expect(renamed.statusCode).toBe(303);
  });
});
