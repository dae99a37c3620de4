import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { verifyLedger } from "../../src/services/ledger.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { sqlRecomputedPairs, storedPairs } from "../helpers/ledger-sql.js";
import { testSeed } from "../helpers/seed.js";

// Random multi-payer expenses of every split type, through the API: the stored pairwise balances
// stay what the ledger gives (verify-ledger) and every person's net over them is exactly what
// they paid minus their shares, summed independently in SQL from the payer and share rows; every
// pair equals the several-payer allocation recomputed in plain SQL.
// Replay with TEST_SEED=<the seed printed at the start of the run>.

let t: TestApp;
let users: number[] = [];
beforeAll(async () => {
  t = await startTestApp();
  users = [await t.user("P"), await t.user("Q"), await t.user("R"), await t.user("S")];
  // Everyone knows everyone (each records one expense with all).
  for (const u of users) {
    const res = await t.call(
      "POST",
      "/expenses",
      { paid_by: u, amount: "4", split_type: "EQUAL", participants: users, description: "hello" },
      { as: users[0] as number },
    );
    expect(res.status).toBe(201);
  }
});
afterAll(async () => t.close());

/** Paise as the API's decimal text (signed). */
const money = (p: number) =>
  `${p < 0 ? "-" : ""}${Math.floor(Math.abs(p) / 100)}.${String(Math.abs(p) % 100).padStart(2, "0")}`;

/** Splits `total` into `n` parts ≥ `min` by the given cut weights. */
function parts(total: number, weights: number[], min: number): number[] {
  const free = total - min * weights.length;
  const sum = weights.reduce((s, w) => s + w, 0) || 1;
  const out = weights.map((w) => min + Math.floor((free * w) / sum));
  out[0] = (out[0] ?? 0) + total - out.reduce((s, x) => s + x, 0);
  return out;
}

const people = fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 });
const weights = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 50 }), { minLength: n, maxLength: n });

const body = fc
  .record({
    type: fc.constantFrom("EQUAL", "EXACT", "PERCENTAGE", "SHARES", "ADJUSTMENT", "ITEMIZED"),
    total: fc.integer({ min: 400, max: 10_000_000 }),
    payers: people,
    payWeights: weights(4),
    participants: people,
    valueWeights: weights(4),
    signs: fc.array(fc.integer({ min: -1, max: 1 }), { minLength: 4, maxLength: 4 }),
    items: fc.array(fc.record({ who: people, amount: fc.integer({ min: 1, max: 500_000 }) }), {
      minLength: 1,
      maxLength: 4,
    }),
    tax: fc.integer({ min: 0, max: 50_000 }),
    tip: fc.integer({ min: 0, max: 50_000 }),
  })
  .map((g) => {
    const id = (i: number) => users[i] as number;
    const n = g.participants.length;
    const vw = g.valueWeights.slice(0, n);
    let total = g.total;
    const split: Record<string, unknown> = { participants: g.participants.map(id) };
    if (g.type === "EXACT") split.split_values = parts(total, vw, 0).map(money);
    if (g.type === "PERCENTAGE") split.split_values = parts(10_000, vw, 0).map(money);
    if (g.type === "SHARES") split.split_values = vw.map((w, i) => money(i === 0 ? w + 1 : w));
    if (g.type === "ADJUSTMENT") {
      // |adjustment| ≤ total / 2n keeps every share ≥ 0 (see README).
      const cap = Math.floor(total / (2 * n));
      split.split_values = vw.map((w, i) => money((((g.signs[i] ?? 0) * cap * w) / 50) | 0));
    }
    if (g.type === "ITEMIZED") {
      total = g.items.reduce((s, i) => s + i.amount, 0) + g.tax + g.tip;
      delete split.participants;
      split.items = g.items.map((i, k) => ({
        description: `item ${k}`,
        amount: money(i.amount),
        participants: i.who.map(id),
      }));
      split.tax = money(g.tax);
      split.tip = money(g.tip);
    }
    const paid = parts(total, g.payWeights.slice(0, g.payers.length), 1);
    return {
      description: `random ${g.type}`,
      amount: money(total),
      split_type: g.type,
      payers: g.payers.map((p, i) => ({ userid: id(p), amount: money(paid[i] ?? 0) })),
      ...split,
    };
  });

/** Every user's net from the stored pairs, and from the expense rows (paid − shares). */
async function nets(): Promise<{ stored: Record<number, number>; rows: Record<number, number> }> {
  const q = async (query: ReturnType<typeof sql>) =>
    Object.fromEntries(
      ((await t.db.db.execute(query)) as unknown as { rows: { u: number; n: string }[] }).rows.map(
        (r) => [Number(r.u), Number(r.n)],
      ),
    );
  const stored = await q(sql`select u, sum(n)::bigint as n from (
      select user_b as u, a_owes_b_paise as n from pair_balances
      union all select user_a, -a_owes_b_paise from pair_balances) x group by u having sum(n) <> 0`);
  const rows = await q(sql`select u, sum(n)::bigint as n from (
      select p.user_id as u, p.amount_paise as n from expense_payers p
        join expenses e on e.id = p.expense_id where e.deleted_at is null
      union all select s.user_id, -s.amount_paise from expense_shares s
        join expenses e on e.id = s.expense_id where e.deleted_at is null) x
      group by u having sum(n) <> 0`);
  return { stored, rows };
}

it("random multi-payer expenses of every split type keep the balances exact (paid − share)", async () => {
  console.log(`split-types property seed: ${testSeed} (replay with TEST_SEED=${testSeed})`);
  const created: Record<string, number> = {};
  await fc.assert(
    fc.asyncProperty(body, async (b) => {
      const actor = b.payers[0]?.userid as number;
      const res = await t.call("POST", "/expenses", b, { as: actor });
      expect(res.status, JSON.stringify({ b, errors: res.body.errors })).toBe(201);
      created[b.split_type] = (created[b.split_type] ?? 0) + 1;
      const shares = res.body.participants.reduce(
        (s: number, p: { amount: string | number }) => s + Math.round(Number(p.amount) * 100),
        0,
      );
      expect(shares).toBe(Math.round(Number(b.amount) * 100));
      const { stored, rows } = await nets();
      expect(stored).toEqual(rows);
      const report = await verifyLedger(t.db.db);
      expect(report.ok, JSON.stringify(report).slice(0, 1500)).toBe(true);
      // And pair by pair against the plain-SQL allocation (test/helpers/ledger-sql.ts).
      expect(await storedPairs(t.db.db)).toEqual(await sqlRecomputedPairs(t.db.db));
    }),
    { seed: testSeed, numRuns: 40 },
  );
  console.log("created by split type:", JSON.stringify(created));
}, 120_000);
