import { beforeEach, describe, expect, test } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { pageSuite } from "./page-suite.js";

/**
 * The pages offer only the actions the viewer may take (the API's access rule), keep the typed
 * form when a refusal still happens, refuse an expense nobody but the payer shares, and show a
 * zero total in a neutral colour.
 */

let t: TestApp;
let a: number;
let b: number;
let c: number;

const suite = pageSuite({ users: ["Asha", "Bela", "Chetan"] });
beforeEach(() => {
  t = suite.t;
  [a, b, c] = suite.users;
});

const { get, post } = suite;
const expenseForm = (over: Record<string, string | string[]> = {}) => ({
  description: "Dinner",
  amount: "300",
  date: "2026-11-20",
  paid_by: String(a),
  split_type: "EQUAL",
  row: [String(a), String(b), String(c)],
  participant: [String(a), String(b), String(c)],
  ...over,
});
/** Through the API: `creator` adds an expense `payer` paid, shared by all three. */
async function apiExpense(creator: number, payer: number): Promise<number> {
  const res = await t.call(
    "POST",
    "/expenses",
    {
      paid_by: payer,
      amount: "300",
      split_type: "EQUAL",
      participants: [a, b, c],
      description: "Taxi",
    },
    { as: creator },
  );
  expect(res.status).toBe(201);
  return res.body.expenseid as number;
}
const offersEdit = (html: string, id: number) => html.includes(`href="/app/expenses/${id}/edit"`);
const offersDelete = (html: string, id: number) =>
  html.includes(`href="/app/expenses/${id}/delete"`);
const amountOf = async (id: number) =>
  (await t.call("GET", `/expenses/${id}`, undefined, { as: a })).body.amount;

describe("only the actions the viewer may take", () => {
  test("creator, payer and a participant all see Edit and Delete (issue 15), and the API agrees", async () => {
    // Bela adds it, Asha paid, Chetan only shares.
    const id = await apiExpense(b, a);
    for (const [who, may] of [
      [a, true],
      [b, true],
      [c, true],
    ] as const) {
      const page = await get(`/app/expenses/${id}`, who);
      expect(page.statusCode).toBe(200);
      expect({ who, edit: offersEdit(page.body, id), del: offersDelete(page.body, id) }).toEqual({
        who,
        edit: may,
        del: may,
      });
      // The JSON API's answer for the same viewer matches what the page offered.
      const put = await t.call(
        "PUT",
        `/expenses/${id}`,
        {
          paid_by: a,
          amount: "300",
          split_type: "EQUAL",
          participants: [a, b, c],
          description: "Taxi",
        },
        { as: who },
      );
      expect({ who, status: put.status }).toEqual({ who, status: may ? 200 : 403 });
    }
  });

  test("a participant opens the edit form like the payer", async () => {
    const id = await apiExpense(a, a);
    for (const url of [`/app/expenses/${id}/edit`, `/app/expenses/${id}/delete`]) {
      const res = await get(url, c);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
      expect(res.body).toContain('name="version"');
    }
  });

  test("someone taken out of the expense can no longer save it; nothing is written", async () => {
    // Asha adds it, Bela paid: Bela opens the form.
    const id = await apiExpense(a, b);
    expect((await get(`/app/expenses/${id}/edit`, b)).statusCode).toBe(200);
    // Meanwhile Asha makes Chetan the payer and leaves Bela out: Bela has no part in it any more.
    const moved = await t.call(
      "PUT",
      `/expenses/${id}`,
      {
        paid_by: c,
        amount: "300",
        split_type: "EQUAL",
        participants: [a, c],
        description: "Taxi",
      },
      { as: a },
    );
    expect(moved.status).toBe(200);
    const typed = expenseForm({ description: "Taxi home", amount: "612.50", version: "1" });
    const res = await post(`/app/expenses/${id}/edit`, typed, b);
    expect(res.statusCode).toBe(404);
    expect(await amountOf(id)).toBe(300);
    const del = await post(`/app/expenses/${id}/delete`, { version: "2" }, b);
    expect(del.statusCode).toBe(404);
    expect((await t.call("GET", `/expenses/${id}`, undefined, { as: a })).status).toBe(200);
  });
});

describe("an expense nobody else shares", () => {
  test("the form refuses it next to the participants, writes nothing; the API accepts it", async () => {
    const count = async () =>
      (await t.call("GET", `/users/${a}/expenses`, undefined, { as: a })).body.items.length;
    const res = await post(
      "/app/expenses/new",
      expenseForm({ participant: [String(a)], amount: "450" }),
      a,
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(
      /<p class="error" id="e-participants">Add at least one other person to share this with/,
    );
    expect(res.body).toContain('value="450"');
    expect(await count()).toBe(0);
    // Paying for someone else alone is a real debt: accepted.
    const forB = await post("/app/expenses/new", expenseForm({ participant: [String(b)] }), a);
    expect(forB.statusCode).toBe(303);
    expect(await count()).toBe(1);
    // The JSON API keeps the seed's rule: payer-only is valid there.
    const api = await t.call(
      "POST",
      "/expenses",
      { paid_by: a, amount: "450", split_type: "EQUAL", participants: [a], description: "Solo" },
      { as: a },
    );
    expect(api.status).toBe(201);
    expect(await count()).toBe(2);
  });
});

describe("zero totals", () => {
  const boxClass = (html: string, testId: string) =>
    new RegExp(`<div class="([^"]+)" data-testid="${testId}-box">`).exec(html)?.[1];

  test("₹0.00 is neutral, a real amount keeps its colour", async () => {
    const fresh = await get("/app", a);
    expect(fresh.body).toContain('data-testid="total-owe">₹0.00');
    expect(boxClass(fresh.body, "total-owe")).toBe("total zero");
    expect(boxClass(fresh.body, "total-owed")).toBe("total zero");
    expect((await post("/app/expenses/new", expenseForm(), a)).statusCode).toBe(303);
    const payer = await get("/app", a);
    expect(boxClass(payer.body, "total-owe")).toBe("total zero");
    expect(boxClass(payer.body, "total-owed")).toBe("total owed");
    const debtor = await get("/app", b);
    expect(debtor.body).toContain('data-testid="total-owe">₹100.00');
    expect(boxClass(debtor.body, "total-owe")).toBe("total owe");
    expect(boxClass(debtor.body, "total-owed")).toBe("total zero");
  });
});
