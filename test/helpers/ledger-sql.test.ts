import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./app.js";
import { sqlRecomputedPairs, storedPairs } from "./ledger-sql.js";

/**
 * The SQL recomputation the reliability tests compare stored balances with: fixed several-payer
 * cases whose pairs are known by hand (README "Several payers"), so the helper itself can fail.
 * Counting each share once per payer (the old single-payer query) gets all of them wrong.
 */

let t: TestApp;
let a: number;
let b: number;
let c: number;
let d: number;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());
beforeEach(async () => {
  await t.db.reset();
  a = await t.user("A");
  b = await t.user("B");
  c = await t.user("C");
  d = await t.user("D");
});

const pairKey = (x: number, y: number) => (x < y ? `${x}:${y}` : `${y}:${x}`);
/** `debtor` owes `creditor` `paise`, as the pairs map writes it (smaller id first). */
const owes = (debtor: number, creditor: number, paise: number): [string, number] => [
  pairKey(debtor, creditor),
  debtor < creditor ? paise : -paise,
];

/** Debts [debtor, creditor, paise] summed per pair, zeros dropped. */
function pairsOf(debts: [number, number, number][]): Map<string, number> {
  const out = new Map<string, number>();
  for (const [debtor, creditor, paise] of debts) {
    const [k, v] = owes(debtor, creditor, paise);
    out.set(k, (out.get(k) ?? 0) + v);
  }
  for (const [k, v] of out) if (v === 0) out.delete(k);
  return out;
}

async function expense(body: Record<string, unknown>, as: number): Promise<number> {
  const res = await t.call("POST", "/expenses", { description: "bill", ...body }, { as });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.expenseid;
}

it("the README's two-payer example: A owes B 0.72, C owes A 5.72 and B 6.28", async () => {
  await expense(
    {
      payers: [
        { userid: a, amount: "20.00" },
        { userid: b, amount: "22.00" },
      ],
      amount: "42.00",
      split_type: "EXACT",
      participants: [a, b, c],
      split_values: ["15.00", "15.00", "12.00"],
    },
    a,
  );
  const expected = pairsOf([
    [a, b, 72],
    [c, a, 572],
    [c, b, 628],
  ]);
  expect(await sqlRecomputedPairs(t.db.db)).toEqual(expected);
  expect(await storedPairs(t.db.db)).toEqual(expected);
});

it("two payers of 1 paisa and two shares of 1 paisa: one paisa to each payer, not both to the first", async () => {
  await expense(
    {
      payers: [
        { userid: a, amount: "0.01" },
        { userid: b, amount: "0.01" },
      ],
      amount: "0.02",
      split_type: "EQUAL",
      participants: [c, d],
    },
    a,
  );
  const expected = pairsOf([
    [c, a, 1],
    [d, b, 1],
  ]);
  expect(await sqlRecomputedPairs(t.db.db)).toEqual(expected);
  expect(await storedPairs(t.db.db)).toEqual(expected);
});

it("one-payer, several-payer, deleted expenses and settlements together", async () => {
  await expense({ paid_by: a, amount: "30.00", split_type: "EQUAL", participants: [a, b, c] }, a);
  const gone = await expense(
    {
      payers: [
        { userid: c, amount: "5.00" },
        { userid: d, amount: "5.00" },
      ],
      amount: "10.00",
      split_type: "EQUAL",
      participants: [a, b],
    },
    c,
  );
  expect((await t.call("DELETE", `/expenses/${gone}`, undefined, { as: c })).status).toBe(204);
  // Three payers, 100.00 by shares 1:1:2 → 25, 25, 50; paid 50 / 30 / 20.
  await expense(
    {
      payers: [
        { userid: b, amount: "50.00" },
        { userid: c, amount: "30.00" },
        { userid: d, amount: "20.00" },
      ],
      amount: "100.00",
      split_type: "SHARES",
      participants: [a, b, d],
      split_values: ["1", "1", "2"],
    },
    b,
  );
  const settled = await t.call(
    "POST",
    "/settlements",
    { from_user: b, to_user: a, amount: "4.00" },
    { as: b },
  );
  expect(settled.status).toBe(201);
  // First expense: B and C owe A 10.00 each. Third (payers b, c, d by user id, 50 / 30 / 20):
  // A's 25.00 → 12.50 / 7.50 / 5.00, B's 25.00 over the 37.50 / 22.50 / 15.00 left → the same,
  // D's 50.00 takes the rest, 25.00 / 15.00 / 10.00. Then B paid A 4.00.
  const expected = pairsOf([
    [b, a, 1000],
    [c, a, 1000],
    [a, b, 1250],
    [a, c, 750],
    [a, d, 500],
    [b, c, 750],
    [b, d, 500],
    [d, b, 2500],
    [d, c, 1500],
    [a, b, 400],
  ]);
  expect(await sqlRecomputedPairs(t.db.db)).toEqual(expected);
  expect(await storedPairs(t.db.db)).toEqual(expected);
});
