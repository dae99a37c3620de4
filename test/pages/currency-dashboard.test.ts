import { beforeEach, describe, expect, test } from "vitest";
import { todayIn } from "../../src/domain/dates.js";
import { addMonths } from "../../src/services/spending.js";
import type { TestApp } from "../helpers/app.js";
import { pageSuite } from "./page-suite.js";

/**
 * Issue 16 on the dashboard, the Friends list, a person's page, the expense list, the chart and
 * the activity feed: two people with balances in three currencies see each currency apart, in
 * its own format (₹ with 2 decimals, $ with 2, ¥ with none), and never a sum across currencies.
 */
let t: TestApp;
let a: number;
let b: number;

const suite = pageSuite({ users: ["Asha", "Bela"] });
beforeEach(() => {
  t = suite.t;
  [a, b] = suite.users;
});

const { get } = suite;

/** An equal split between Asha and Bela over the API; returns the expense id. */
async function expense(paidBy: number, amount: string, currency: string, date = "2026-11-20") {
  const res = await t.call(
    "POST",
    "/expenses",
    {
      paid_by: paidBy,
      amount,
      currency,
      split_type: "EQUAL",
      participants: [a, b],
      description: `Dinner in ${currency}`,
      date,
    },
    { as: paidBy },
  );
  expect(res.status).toBe(201);
  return res.body.expenseid as number;
}

/**
 * Bela paid ₹100.00 (Asha owes ₹50.00), Asha paid $24.00 (Bela owes $12.00) and ¥1,000 (Bela
 * owes ¥500). Summed in any one currency these would read ₹17.00 or ₹62.00 or $512.00.
 */
async function threeCurrencies() {
  await expense(b, "100.00", "INR");
  await expense(a, "24.00", "USD");
  await expense(a, "1000", "JPY");
}

/** The text of the element with `data-testid` (tags dropped, <br> read as " | "). */
function testid(html: string, id: string): string {
  const m = new RegExp(`<(\\w+)[^>]*data-testid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return plain(m?.[2] ?? "");
}
/** Visible text; fixture names carry a number ("Bela 6"), dropped here. */
const plain = (html: string) =>
  html
    .replace(/<br>/g, " | ")
    .replace(/<[^>]+>/g, "")
    .replace(/\b(Asha|Bela) \d+\b/g, "$1")
    .replace(/\s+/g, " ")
    .trim();

/** Every `li.person` of a list: its data-person, class and text. */
function people(html: string, list: string) {
  const body = new RegExp(`data-testid="${list}">([\\s\\S]*?)</ul>`).exec(html)?.[1] ?? "";
  return [
    ...body.matchAll(/<li class="person ([a-z]+)" data-person="(\d+)">([\s\S]*?)<\/li>/g),
  ].map((m) => ({ tone: m[1], id: Number(m[2]), text: plain(m[3] ?? "") }));
}

describe("the dashboard", () => {
  test("one row per person and currency, totals and net per currency, INR first", async () => {
    await threeCurrencies();
    const dash = await get("/app", a);
    expect(dash.statusCode).toBe(200);
    expect(people(dash.body, "balances")).toEqual([
      { tone: "owe", id: b, text: "Bela you owe ₹50.00 Settle up with Bela in INR" },
      { tone: "owed", id: b, text: "Bela owes you ¥500 Settle up with Bela in JPY" },
      { tone: "owed", id: b, text: "Bela owes you $12.00 Settle up with Bela in USD" },
    ]);
    expect(testid(dash.body, "total-owe")).toBe("₹50.00");
    expect(testid(dash.body, "total-owed")).toBe("¥500 | $12.00");
    expect(testid(dash.body, "net")).toBe(
      "you owe ₹50.00 | you are owed ¥500 | you are owed $12.00",
    );
    // No amount added across currencies (¥500 + $12.00 read as paise: ₹17.00).
    for (const sum of ["₹17.00", "₹5.00", "₹12.00", "₹62.00", "$512", "¥512", "¥1,700"])
      expect(dash.body).not.toContain(sum);
    // Each row's "Settle up" prefills that currency's balance.
    expect(dash.body).toContain(`href="/app/settle?with=${b}&amp;currency=USD"`);
    const usd = await get(`/app/settle?with=${b}&currency=USD`, a);
    expect(usd.body).toMatch(/<option value="USD" selected>/);
    expect(usd.body).toContain('value="12.00"');
    expect(usd.body).toMatch(/value="received" checked/);
    const inr = await get(`/app/settle?with=${b}&currency=INR`, a);
    expect(inr.body).toMatch(/<option value="INR" selected>/);
    expect(inr.body).toContain('value="50.00"');
    expect(inr.body).toMatch(/value="paid" checked/);
    const yen = await get(`/app/settle?with=${b}&currency=JPY`, a);
    expect(yen.body).toContain('value="500"');
    // A currency with no balance between you: that currency, no amount; a bad code is ignored.
    const eur = await get(`/app/settle?with=${b}&currency=EUR`, a);
    expect(eur.body).toMatch(/<option value="EUR" selected>/);
    expect(eur.body).toMatch(/id="f-amount"[^>]*value=""/);
    const bad = await get(`/app/settle?with=${b}&currency=usd`, a);
    expect(bad.statusCode).toBe(200);
    expect(bad.body).not.toMatch(/<option value="USD" selected>/);
  });

  test("the other side and the plan: Bela's rows and nets mirror Asha's", async () => {
    await threeCurrencies();
    const dash = await get("/app?simplify=1", b);
    expect(people(dash.body, "balances").map((r) => r.text)).toEqual([
      "Asha Asha pays you ₹50.00 Settle up with Asha in INR",
      "Asha You pay Asha ¥500 Settle up with Asha in JPY",
      "Asha You pay Asha $12.00 Settle up with Asha in USD",
    ]);
    expect(testid(dash.body, "total-owe")).toBe("¥500 | $12.00");
    expect(testid(dash.body, "total-owed")).toBe("₹50.00");
    expect(testid(dash.body, "simplify-hint")).toMatch(
      /^What stays the same is your net: you are owed ₹50\.00, you owe ¥500, you owe \$12\.00 overall\./,
    );
  });

  test("one currency only: a single row, a single total, no currency in the button's words", async () => {
    await expense(a, "24.00", "USD");
    const dash = await get("/app", a);
    expect(people(dash.body, "balances")).toEqual([
      { tone: "owed", id: b, text: "Bela owes you $12.00 Settle up with Bela" },
    ]);
    // Nothing owed in any currency: APP_CURRENCY's zero, neutral.
    expect(dash.body).toContain('data-testid="total-owe">₹0.00</strong>');
    expect(dash.body).toContain('data-testid="total-owed">$12.00</strong>');
    expect(testid(dash.body, "net")).toBe("you are owed $12.00");
  });

  test("the spending chart counts APP_CURRENCY only and says so", async () => {
    // The chart's months are APP_TIMEZONE's: after 18:30 UTC it is already tomorrow in Kolkata.
    const thisMonth = todayIn(t.config.APP_TIMEZONE).slice(0, 7);
    const lastMonth = addMonths(thisMonth, -1);
    await expense(a, "100.00", "INR", `${lastMonth}-01`);
    await expense(a, "300.00", "INR", `${thisMonth}-01`);
    await expense(a, "5000.00", "USD", `${thisMonth}-01`);
    const dash = await get("/app", a);
    expect(dash.body).toContain("Your spending by month in INR");
    expect(dash.body).toContain("expenses in other currencies are not added in");
    const values = [...dash.body.matchAll(/<text class="value"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(values.slice(-2)).toEqual(["₹50.00", "₹150.00"]);
    expect(dash.body).not.toContain("₹2,650.00");
  });
});

describe("Friends and a person's page", () => {
  test("every currency's balance with a friend, in its own format", async () => {
    await threeCurrencies();
    const list = await get("/app/friends", a);
    expect(people(list.body, "friends")).toEqual([
      {
        tone: "mixed",
        id: b,
        text: "Bela you owe ₹50.00 · owes you ¥500 · owes you $12.00",
      },
    ]);
    const page = await get(`/app/friends/${b}`, a);
    expect(testid(page.body, "person-balance")).toBe(
      "You owe Bela ₹50.00 · Bela owes you ¥500 · Bela owes you $12.00",
    );
    expect(page.body).toMatch(/class="person-balance mixed"/);
    const bela = await get(`/app/friends/${a}`, b);
    expect(testid(bela.body, "person-balance")).toBe(
      "Asha owes you ₹50.00 · you owe Asha ¥500 · you owe Asha $12.00",
    );
  });

  test("one direction in two currencies keeps that tone; settled up shows no amount", async () => {
    await expense(a, "24.00", "USD");
    await expense(a, "1000", "JPY");
    expect(people((await get("/app/friends", a)).body, "friends")).toEqual([
      { tone: "owed", id: b, text: "Bela owes you ¥500 · owes you $12.00" },
    ]);
    await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: "12.00", currency: "USD" },
      { as: b },
    );
    await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: "500", currency: "JPY" },
      { as: b },
    );
    expect(people((await get("/app/friends", a)).body, "friends")).toEqual([
      { tone: "zero", id: b, text: "Bela settled up" },
    ]);
    expect(testid((await get(`/app/friends/${b}`, a)).body, "person-balance")).toBe(
      "You and Bela are settled up",
    );
  });
});

describe("the expense list and the activity feed", () => {
  test("a month's totals per currency, never summed", async () => {
    await threeCurrencies();
    const list = await get("/app/expenses", a);
    expect(testid(list.body, "month-total")).toBe(
      "₹100.00 in 1 expense · your share ₹50.00; ¥1,000 in 1 expense · your share ¥500; $24.00 in 1 expense · your share $12.00",
    );
    // Summed as paise: 10000 + 2400 + 1000 = ₹134.00, your share ₹67.00.
    expect(list.body).not.toContain("₹134.00");
    expect(list.body).not.toContain("₹67.00");
    expect(list.body).not.toContain("in 3 expenses");
  });

  test("an amount change reads in the expense's currency, also across a currency change", async () => {
    const id = await expense(a, "24.00", "USD");
    const edit = (amount: string, currency: string) =>
      t.call(
        "PUT",
        `/expenses/${id}`,
        {
          paid_by: a,
          amount,
          currency,
          split_type: "EQUAL",
          participants: [a, b],
          description: "Dinner",
          date: "2026-11-20",
        },
        { as: a },
      );
    expect((await edit("30.00", "USD")).status).toBe(200);
    expect((await edit("2000", "JPY")).status).toBe(200);
    const feed = plain((await get("/app/activity", a)).body);
    expect(feed).toContain("amount $24.00 → $30.00");
    expect(feed).toContain("amount $30.00 → ¥2,000");
    expect(feed).not.toContain("₹30.00");
  });
});
