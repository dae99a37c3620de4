import { beforeEach, describe, expect, test } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { pageSuite } from "./page-suite.js";

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
  _csrf: "",
  description: "Dinner",
  amount: "300",
  date: "2026-11-20",
  paid_by: String(a),
  split_type: "EQUAL",
  row: [String(a), String(b), String(c)],
  participant: [String(a), String(b), String(c)],
  ...over,
});

describe("routing and the guard", () => {
  test("/ goes to the dashboard; nobody logged in goes to the login page with next", async () => {
    expect((await get("/")).headers.location).toBe("/app");
    for (const url of ["/app", "/app/expenses/new?x=1", "/app/settle"]) {
      const res = await get(url);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
    // A form post without a session carries no valid CSRF token: refused before anything else.
    const res = await post("/app/expenses/new", expenseForm(), 0);
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain("reload the page");
  });

  test("every page renders for a logged-in user, as private HTML", async () => {
    await post("/app/expenses/new", expenseForm(), a);
    for (const url of [
      "/app",
      "/app?simplify=1",
      "/app/expenses",
      "/app/expenses?person=2",
      "/app/expenses/new",
      "/app/expenses/1",
      "/app/expenses/1/edit",
      "/app/expenses/1/delete",
      "/app/settle",
      "/app/settle?with=2",
      "/app/settlements",
    ]) {
      const res = await get(url, a);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
      expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(res.headers["cache-control"]).toBe("private, no-store");
      expect(res.body).toContain('<html lang="en-IN">');
    }
  });

  test("unknown pages and records are HTML 404 pages, not problem+json", async () => {
    for (const url of ["/app/nothing", "/app/expenses/999", "/app/expenses/abc/edit"]) {
      const res = await get(url, a);
      expect(res.statusCode).toBe(404);
      expect(res.headers["content-type"]).toContain("text/html");
      expect(res.body).toContain("<h1>Not found</h1>");
    }
    // The API keeps its problem details.
    const api = await get("/expenses/999");
    expect(api.headers["content-type"]).toContain("application/problem+json");
  });

  test("the JSON API does not accept form bodies (only the pages do)", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/expenses",
      headers: { ...t.authHeaders(a), "content-type": "application/x-www-form-urlencoded" },
      payload: "paid_by=1&amount=1",
    });
    expect(res.statusCode).toBe(415);
  });

  test("static files: versioned URLs are immutable for a year, others briefly cached", async () => {
    const page = await get("/app", a);
    const href = /href="(\/static\/app\.css\?v=\w+)"/.exec(page.body)?.[1];
    expect(href).toBeDefined();
    const css = await get(href as string);
    expect(css.statusCode).toBe(200);
    expect(css.headers["content-type"]).toContain("text/css");
    expect(css.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect((await get("/static/app.css")).headers["cache-control"]).toBe("public, max-age=300");
    expect((await get("/static/nope.js")).statusCode).toBe(404);
  });
});

describe("expense forms", () => {
  test("a valid form saves through the service and redirects to the expense", async () => {
    const res = await post("/app/expenses/new", expenseForm(), a);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/app/expenses/1");
    const api = await t.call("GET", "/expenses/1", undefined, { as: a });
    expect(api.body.participants.map((p: { amount: number }) => p.amount)).toEqual([100, 100, 100]);
    expect(api.body.created_by).toBe(a);
    const detail = await get("/app/expenses/1", a);
    expect(detail.body).toContain("Expense added.");
    // Shown once: a reload (or a bookmark of the address) has no message.
    expect((await get("/app/expenses/1", a)).body).not.toContain("Expense added.");
    expect(detail.body).toContain("₹300.00");
  });

  test("errors re-render with 422, messages next to fields, every value kept", async () => {
    const res = await post(
      "/app/expenses/new",
      expenseForm({
        description: "Snacks & <b>tea</b>",
        amount: "10.005",
        split_type: "PERCENTAGE",
        [`value_${a}`]: "33",
        [`value_${b}`]: "33",
        [`value_${c}`]: "33",
      }),
      a,
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(/id="e-amount">Must have at most 2 decimal places/);
    expect(res.body).toContain('value="10.005"');
    expect(res.body).toContain('value="Snacks &amp; &lt;b&gt;tea&lt;/b&gt;"');
    expect(res.body).toMatch(/value="PERCENTAGE" checked/);
    expect(res.body.match(/value="33"/g)).toHaveLength(3);

    const pct = await post(
      "/app/expenses/new",
      expenseForm({
        split_type: "PERCENTAGE",
        [`value_${a}`]: "33",
        [`value_${b}`]: "33",
        [`value_${c}`]: "33",
      }),
      a,
    );
    expect(pct.statusCode).toBe(422);
    expect(pct.body).toMatch(/id="e-participants">Percentages add up to 99.00, not 100/);
    expect((await t.call("GET", "/expenses/1", undefined, { as: a })).status).toBe(404);
  });

  test("schema errors (empty description, no payer, bad date) use the API's schema", async () => {
    const res = await post(
      "/app/expenses/new",
      expenseForm({ description: "  ", paid_by: "", date: "20-11-2026" }),
      a,
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(/id="e-description">Must not be empty/);
    expect(res.body).toMatch(/id="e-paid_by">Choose who paid/);
    expect(res.body).toMatch(/id="e-date">Must be a date/);
  });

  test("an EXACT value error sits next to that person's input", async () => {
    const res = await post(
      "/app/expenses/new",
      expenseForm({
        split_type: "EXACT",
        [`value_${a}`]: "100",
        [`value_${b}`]: "abc",
        [`value_${c}`]: "100",
      }),
      a,
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(`id="e-value_${b}">Must be an amount such as`);
    expect(res.body).toContain(`aria-describedby="e-value_${b}"`);
  });

  test("add by email: adds a ticked row and does not save; unknown email is an error", async () => {
    const dave = await t.user("Dave");
    const daveEmail = (await t.call("GET", `/users/${dave}`, undefined, { as: dave })).body
      .email as string;
    const res = await post(
      "/app/expenses/new",
      expenseForm({ email: daveEmail.toUpperCase(), action: "add_person" }),
      a,
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("Check the split, then save.");
    expect(res.body).toMatch(new RegExp(`name="participant" value="${dave}" checked`));
    expect((await t.call("GET", "/expenses/1", undefined, { as: a })).status).toBe(404);

    const bad = await post("/app/expenses/new", expenseForm({ email: "nobody@example.com" }), a);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toMatch(/id="e-email">Nobody uses this email yet/);
    expect(bad.body).toContain('name="invite_name"');
  });

  test("edit and delete go through the services and move the balances", async () => {
    await post("/app/expenses/new", expenseForm(), a);
    const form = await get("/app/expenses/1/edit", a);
    expect(form.body).toContain('value="300.00"');
    expect(form.body).toContain('name="version" value="1"');
    // Dave takes no part: he may not even see it (any payer or participant may change it).
    const dave = await t.user("Dave");
    const refused = await post("/app/expenses/1/edit", expenseForm({ amount: "600" }), dave);
    expect(refused.statusCode).toBe(404);
    const saved = await post("/app/expenses/1/edit", expenseForm({ amount: "600" }), a);
    expect(saved.headers.location).toBe("/app/expenses/1");
    expect(
      (await t.call("GET", `/users/${b}/balances`, undefined, { as: b })).body.balances,
    ).toMatchObject([{ to_user: a, amount: 200 }]);
    const detail = await get("/app/expenses/1", b);
    expect(detail.body).toMatch(/Last changed by Asha \d+/);
    const del = await post("/app/expenses/1/delete", { _csrf: "", version: "2" }, a);
    expect(del.headers.location).toBe("/app/expenses");
    expect((await get("/app/expenses", a)).body).toContain("Expense deleted.");
    expect(
      (await t.call("GET", `/users/${b}/balances`, undefined, { as: b })).body.balances,
    ).toEqual([]);
  });

  // 412 like the API's If-Match (one error table, src/http/error-map.ts); it was 409 on the pages.
  test("a stale form is refused (412) and says someone else changed the expense", async () => {
    await post("/app/expenses/new", expenseForm(), a);
    // Someone else (here: the API) edits it after the form was opened at version 1.
    const api = await t.call(
      "PUT",
      "/expenses/1",
      {
        paid_by: a,
        amount: "150",
        split_type: "EQUAL",
        participants: [a, b, c],
        description: "Dinner",
      },
      { as: a },
    );
    expect(api.status).toBe(200);
    const stale = await post(
      "/app/expenses/1/edit",
      expenseForm({ amount: "600", version: "1" }),
      a,
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.body).toMatch(/someone else changed this expense/i);
    expect(stale.body).toContain('value="600"');
    expect(stale.body).toContain('name="version" value="2"');
    expect((await t.call("GET", "/expenses/1", undefined, { as: a })).body.amount).toBe(150);
    // Saving again (now at the current version) applies.
    const again = await post(
      "/app/expenses/1/edit",
      expenseForm({ amount: "600", version: "2" }),
      a,
    );
    expect(again.statusCode).toBe(303);
    const del = await post("/app/expenses/1/delete", { _csrf: "", version: "2" }, a);
    expect(del.statusCode).toBe(412);
    expect(del.body).toContain("Someone else changed this expense");
    expect((await t.call("GET", "/expenses/1", undefined, { as: a })).status).toBe(200);
  });

  test("the list filters by person and pages newest first", async () => {
    for (let i = 1; i <= 22; i++)
      await post(
        "/app/expenses/new",
        expenseForm({
          description: `E${i}`,
          date: `2026-10-${String(i).padStart(2, "0")}`,
          participant: i % 2 ? [String(a), String(b)] : [String(a), String(c)],
        }),
        a,
      );
    const first = await get("/app/expenses", a);
    const names = (html: string) => [...html.matchAll(/class="desc">(E\d+)</g)].map((m) => m[1]);
    expect(names(first.body)).toHaveLength(20);
    expect(names(first.body)[0]).toBe("E22");
    const next = /href="(\/app\/expenses\?cursor=[^"]+)" rel="next"/.exec(first.body)?.[1];
    expect(names((await get(next as string, a)).body)).toEqual(["E2", "E1"]);
    const withB = await get(`/app/expenses?person=${b}`, a);
    expect(names(withB.body)).toEqual([
      "E21",
      "E19",
      "E17",
      "E15",
      "E13",
      "E11",
      "E9",
      "E7",
      "E5",
      "E3",
      "E1",
    ]);
  });
});

describe("dashboard and settle up", () => {
  test("rows, totals in en-IN, simplify and a settlement that zeroes a balance", async () => {
    // a pays 3,00,000 split among a, b, c; then b pays 90,000 split between b and c.
    await post("/app/expenses/new", expenseForm({ amount: "300000" }), a);
    await post(
      "/app/expenses/new",
      expenseForm({ amount: "90000", paid_by: String(b), participant: [String(b), String(c)] }),
      b,
    );
    const dash = await get("/app", a);
    expect(dash.body).toContain('data-testid="total-owed">₹2,00,000.00');
    expect(dash.body).toMatch(/owes you <strong>₹1,00,000.00<\/strong>/);
    const cDash = await get("/app", c);
    expect(cDash.body).toContain('data-testid="total-owe">₹1,45,000.00');
    // Simplified: c pays a 1,45,000 and b pays a 55,000; c no longer pays b.
    const simple = await get("/app?simplify=1", c);
    expect(simple.body).toContain("Plan: the fewest transfers");
    expect([...simple.body.matchAll(/data-person="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([a]);

    const prefilled = await get(`/app/settle?with=${a}`, c);
    expect(prefilled.body).toContain('value="100000.00"');
    const res = await post(
      "/app/settle",
      { _csrf: "", direction: "paid", other: String(a), amount: "100000.00" },
      c,
    );
    expect(res.headers.location).toBe("/app");
    const after = await get("/app", c);
    expect(after.body).toContain("Settlement recorded.");
    expect([...after.body.matchAll(/data-person="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([b]);
    const history = await get("/app/settlements", a);
    expect(history.body).toMatch(/Chetan \d+ paid you<\/span> <strong class="amt">₹1,00,000.00/);
  });

  test("settle-up errors re-render with the values kept", async () => {
    await post("/app/expenses/new", expenseForm(), a);
    const res = await post(
      "/app/settle",
      { _csrf: "", direction: "received", other: "", amount: "5.555" },
      a,
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(/id="e-other">Choose who you settled with/);
    const res2 = await post(
      "/app/settle",
      { _csrf: "", direction: "received", other: String(b), amount: "5.555" },
      a,
    );
    expect(res2.statusCode).toBe(422);
    expect(res2.body).toMatch(/id="e-amount">Must have at most 2 decimal places/);
    expect(res2.body).toContain('value="5.555"');
    expect(res2.body).toMatch(/value="received" checked/);
  });
});
