import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { applyDeltas } from "../../src/db/repos/balances.js";
import { insertExpense } from "../../src/db/repos/expenses.js";
import { inTransaction } from "../../src/db/transaction.js";
import { expenseDeltas, inCurrency } from "../../src/domain/debts.js";
import { buildExpense, type ExpenseInput } from "../../src/domain/expense-input.js";
import { loadEcbRates } from "../../src/services/fx-rates.js";
import { applyToGroup } from "../../src/services/group-money.js";
import { verifyLedger } from "../../src/services/ledger.js";
import type { TestApp } from "../helpers/app.js";
import { appSuite } from "../helpers/app-suite.js";

// ?convert_to on GET /users/{id}/balances and GET /groups/{id}/balances, on the real database,
// with the ECB fixture loaded as `npm run rates` loads it (1 EUR = 89.2345 INR = 1.0686 USD,
// 2024-06-14). The README's worked example is the first test.

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/ecb/${name}`, import.meta.url), "utf8");

let t: TestApp;
let a: number;
let b: number;
let c: number;
let g: number;
const suite = appSuite({ users: ["A", "B", "C"] });
beforeEach(async () => {
  t = suite.t;
  [a, b, c] = suite.users;
  const res = await t.call("POST", "/groups", { name: "Trip", members: [b, c] }, { as: a });
  expect(res.status).toBe(201);
  g = res.body.groupid;
  await loadEcbRates(t.db.db, fixture("eurofxref-daily.xml"));
});

const get = (as: number, url: string) => t.call("GET", url, undefined, { as });

async function inrExpense(paidBy: number, participants: number[], amount: string) {
  const body = { paid_by: paidBy, participants, amount, split_type: "EQUAL", description: "INR" };
  const res = await t.call("POST", "/expenses", { ...body, group_id: g }, { as: paidBy });
  expect(res.status).toBe(201);
}

/**
 * POST /expenses takes INR only until the API accepts currencies (the next currency step): an
 * expense in another currency is written the way createExpense writes one — the domain's
 * validation and shares, then the expense and its balance deltas in one transaction.
 */
async function foreignExpense(paidBy: number, participants: number[], amount: string, cur: string) {
  const input: ExpenseInput = {
    paid_by: paidBy,
    participants,
    amount,
    currency: cur,
    split_type: "EQUAL",
    description: cur,
    group_id: g,
  };
  const content = buildExpense(input, "2024-06-20", { currency: "INR", groupCurrency: "INR" });
  await inTransaction(t.db.db, async (tx) => {
    await insertExpense(tx, content, paidBy);
    const deltas = inCurrency(expenseDeltas(content.payers, content.shares), content.currency);
    await applyDeltas(tx, deltas);
    await applyToGroup(tx, content.groupId, deltas);
  });
}

/**
 * The README's example, all in the group: A paid ₹300.00 for A, B, C; B paid ₹100.00 for C;
 * B paid $45.00 for A and B; C paid €20.00 for A and C. Nets: A +200.00 INR −22.50 USD
 * −10.00 EUR; B +22.50 USD (INR 0); C −200.00 INR +10.00 EUR.
 */
async function readmeExample() {
  await inrExpense(a, [a, b, c], "300.00");
  await inrExpense(b, [c], "100.00");
  await foreignExpense(b, [a, b], "45.00", "USD");
  await foreignExpense(c, [a, c], "20.00", "EUR");
  expect((await verifyLedger(t.db.db)).ok).toBe(true);
}

describe("GET /users/{id}/balances?convert_to", () => {
  it("adds the nets summed into the currency, rounded once (the README's worked example)", async () => {
    await readmeExample();
    const plain = await get(a, `/users/${a}/balances`);
    expect(plain.body.nets).toEqual([
      { currency: "EUR", amount: -10 },
      { currency: "INR", amount: 200 },
      { currency: "USD", amount: -22.5 },
    ]);
    // 200.00 / 89.2345 = 2.2412856…, −22.50 / 1.0686 = −21.0555867…, −10.00:
    // −28.8143011… → −28.81 (each rounded first: 2.24 − 21.06 − 10.00 = −28.82).
    const eur = await get(a, `/users/${a}/balances?convert_to=EUR`);
    expect(eur.status).toBe(200);
    expect(eur.body).toEqual({
      ...plain.body,
      converted: { currency: "EUR", net: -28.81, rates_as_of: "2024-06-14" },
    });
    // 200.00 − 22.50 / 1.0686 × 89.2345 (1878.8847557…) − 10.00 × 89.2345 (892.345)
    // = −2571.2297557… → −2571.23.
    expect((await get(a, `/users/${a}/balances?convert_to=INR`)).body.converted).toEqual({
      currency: "INR",
      net: -2571.23,
      rates_as_of: "2024-06-14",
    });
    // Yen have no minor unit: −28.8143011… EUR × 168.16 = −4845.4128… → ¥−4845.
    expect((await get(a, `/users/${a}/balances?convert_to=JPY`)).body.converted.net).toBe(-4845);
  });

  it("gives the same converted net with simplify=true (the plan keeps every net)", async () => {
    await readmeExample();
    const plain = (await get(a, `/users/${a}/balances?convert_to=EUR`)).body;
    const simple = (await get(a, `/users/${a}/balances?simplify=true&convert_to=EUR`)).body;
    // Pairwise B and C each owe A ₹100.00; in the plan C pays A ₹200.00 (B's INR net is 0).
    expect(plain.owed_by.map((x: { amount: number }) => x.amount)).toEqual([100, 100]);
    expect(simple.owed_by).toEqual([
      expect.objectContaining({ from_user: c, amount: 200, currency: "INR" }),
    ]);
    expect(simple.simplified).toBe(true);
    expect(simple.converted).toEqual(plain.converted);
    expect(simple.converted).toEqual({ currency: "EUR", net: -28.81, rates_as_of: "2024-06-14" });
  });

  it("dates the conversion by the oldest rate it used; none needed: null", async () => {
    await readmeExample();
    // A later USD rate alone: USD's newest is now 2024-06-17, INR's still 2024-06-14.
    await loadEcbRates(t.db.db, "Date,USD,\n2024-06-17,1.0712,\n");
    // B's only non-zero net is +22.50 USD: 22.50 / 1.0712 = 21.0044809… → 21.00.
    expect((await get(b, `/users/${b}/balances?convert_to=EUR`)).body.converted).toEqual({
      currency: "EUR",
      net: 21,
      rates_as_of: "2024-06-17",
    });
    expect((await get(b, `/users/${b}/balances?convert_to=USD`)).body.converted).toEqual({
      currency: "USD",
      net: 22.5,
      rates_as_of: null,
    });
    // A needs INR's and USD's: 2.2412856… − 21.0044809… − 10.00 = −28.7631953… → −28.76.
    expect((await get(a, `/users/${a}/balances?convert_to=EUR`)).body.converted).toEqual({
      currency: "EUR",
      net: -28.76,
      rates_as_of: "2024-06-14",
    });
    // Nothing owed: nothing to convert, so no rate is needed (not even BRL's, which is missing).
    const d = await t.user("D");
    for (const to of ["EUR", "BRL"])
      expect((await get(d, `/users/${d}/balances?convert_to=${to}`)).body.converted).toEqual({
        currency: to,
        net: 0,
        rates_as_of: null,
      });
  });

  it("answers 422 naming each currency without a rate, 400 for a malformed code", async () => {
    await readmeExample();
    const noTarget = await get(a, `/users/${a}/balances?convert_to=BRL`);
    expect(noTarget.status).toBe(422);
    expect(noTarget.body).toMatchObject({
      detail: "No exchange rate for BRL: cannot convert to BRL",
      errors: [{ field: "convert_to", message: "no exchange rate for BRL" }],
    });
    await foreignExpense(a, [a, b], "2.000", "KWD");
    const noSource = await get(b, `/users/${b}/balances?simplify=true&convert_to=EUR`);
    expect(noSource.status).toBe(422);
    expect(noSource.body.errors).toEqual([
      { field: "convert_to", message: "no exchange rate for KWD" },
    ]);
    for (const bad of ["eur", "EURO", "XYZ", ""]) {
      const res = await get(a, `/users/${a}/balances?convert_to=${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.errors[0].field, bad).toBe("convert_to");
    }
    expect((await get(a, `/users/${a}/balances?convert_to=eur`)).body.errors).toEqual([
      {
        field: "convert_to",
        message: "must be an ISO 4217 currency code (three capital letters, e.g. INR)",
      },
    ]);
    // Someone else's balances stay a 404, whatever the conversion would say.
    expect((await get(b, `/users/${a}/balances?convert_to=BRL`)).status).toBe(404);
  });
});

describe("GET /groups/{id}/balances?convert_to", () => {
  it("gives every member converted_net and the conversion's currency and date", async () => {
    await readmeExample();
    const plain = (await get(a, `/groups/${g}/balances`)).body;
    const res = await get(a, `/groups/${g}/balances?convert_to=EUR`);
    expect(res.status).toBe(200);
    // A −28.81 (above); B 22.50 / 1.0686 = 21.0555867… → 21.06; C −2.2412856… + 10.00 =
    // 7.7587143… → 7.76. Each member is rounded on their own: they add up to 0.01, not 0.
    const converted = new Map([
      [a, -28.81],
      [b, 21.06],
      [c, 7.76],
    ]);
    expect(res.body).toEqual({
      ...plain,
      members: plain.members.map((m: { userid: number }) => ({
        ...m,
        converted_net: converted.get(m.userid),
      })),
      converted: { currency: "EUR", rates_as_of: "2024-06-14" },
    });
    // The same for the pairwise view: the nets do not depend on it.
    const pairwise = (await get(b, `/groups/${g}/balances?simplify=false&convert_to=EUR`)).body;
    expect(pairwise.simplified).toBe(false);
    expect(pairwise.members).toEqual(res.body.members);
    // The group's date is the oldest rate any member needed.
    await loadEcbRates(t.db.db, "Date,USD,INR,\n2024-06-17,1.0712,89.5,\n");
    expect((await get(c, `/groups/${g}/balances?convert_to=USD`)).body.converted).toEqual({
      currency: "USD",
      rates_as_of: "2024-06-17",
    });
    // Into USD, B's net needs no rate; A and C need INR's and EUR's (EUR: always 1).
    // A: 200.00 / 89.5 × 1.0712 = 2.3937430… − 22.50 − 10.00 × 1.0712 = −30.8182569… → −30.82.
    const usd = (await get(c, `/groups/${g}/balances?convert_to=USD`)).body.members;
    // C: −2.3937430… + 10.712 = 8.3182569… → 8.32.
    const expected = new Map([
      [a, -30.82],
      [b, 22.5],
      [c, 8.32],
    ]);
    for (const m of usd) expect(m.converted_net, `member ${m.userid}`).toBe(expected.get(m.userid));
  });

  it("answers 422 naming every currency without a rate across the members", async () => {
    await readmeExample();
    // A's only unknown currency is BRL, C's KWD: a member-by-member check would name one.
    await foreignExpense(a, [a, b], "10.00", "BRL");
    await foreignExpense(c, [c, b], "1.000", "KWD");
    const res = await get(a, `/groups/${g}/balances?convert_to=EUR`);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      detail: "No exchange rate for BRL, KWD: cannot convert to EUR",
      errors: [
        { field: "convert_to", message: "no exchange rate for BRL" },
        { field: "convert_to", message: "no exchange rate for KWD" },
      ],
    });
    expect((await get(a, `/groups/${g}/balances?convert_to=eur`)).status).toBe(400);
    // A stranger to the group gets its 404, not the 422.
    const s = await t.stranger("S");
    expect((await get(s, `/groups/${g}/balances?convert_to=EUR`)).status).toBe(404);
  });
});

describe("without convert_to nothing changes; with it, the rates are read once", () => {
  /** Statements issued by one request, counted at the ORM's query logger. */
  async function statementsFor(as: number, url: string): Promise<number> {
    t.db.statements.count = 0;
    t.db.statements.enabled = true;
    try {
      expect((await get(as, url)).status).toBe(200);
    } finally {
      t.db.statements.enabled = false;
    }
    return t.db.statements.count;
  }

  it("adds no field without it, and one statement with it for a user or a whole group", async () => {
    await readmeExample();
    // Two more members with balances in three currencies: still one read of the rates.
    const [d, e] = [await t.user("D"), await t.user("E")];
    for (const m of [d, e])
      expect((await t.call("POST", `/groups/${g}/members`, { userid: m }, { as: a })).status).toBe(
        201,
      );
    await foreignExpense(d, [d, e], "30.00", "USD");
    await foreignExpense(e, [d, e, a], "9.00", "EUR");
    await get(a, "/auth/me"); // a token's first use records last_used_at: not counted below

    const user = (await get(a, `/users/${a}/balances`)).body;
    expect(Object.keys(user)).not.toContain("converted");
    const group = (await get(a, `/groups/${g}/balances`)).body;
    expect(Object.keys(group)).not.toContain("converted");
    for (const m of group.members) expect(Object.keys(m)).toEqual(["userid", "net", "nets"]);

    for (const url of [
      `/users/${a}/balances`,
      `/users/${a}/balances?simplify=true`,
      `/groups/${g}/balances`,
      `/groups/${g}/balances?simplify=false`,
    ]) {
      const without = await statementsFor(a, url);
      const sep = url.includes("?") ? "&" : "?";
      expect(await statementsFor(a, `${url}${sep}convert_to=EUR`), url).toBe(without + 1);
    }
  });
});
