import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { netPositions } from "./balances.js";
import type { PairDelta, Payment } from "./debts.js";
import { expenseDebts } from "./expense.js";
import { counterparties } from "./payers.js";
import { apportion, type Share } from "./split.js";

function nets(deltas: PairDelta[]): Map<number, number> {
  return new Map(netPositions(deltas).map((n) => [n.userId, n.net]));
}

/** A random expense: 1–40 people, some of them (and maybe outsiders) paying by random weights. */
const multiPayerArb = fc
  .record({
    total: fc.integer({ min: 1, max: 1_000_000_000 }),
    people: fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 40 }),
    payerIds: fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 8 }),
    weights: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 48, maxLength: 48 }),
    payWeights: fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 8, maxLength: 8 }),
  })
  .filter(({ people, weights }) => people.some((_, i) => (weights[i] as number) > 0))
  .map(({ total, people, payerIds, weights, payWeights }) => {
    const shareAmounts = apportion(
      total,
      people.map((_, i) => weights[i] as number),
    );
    const shares: Share[] = people.map((userId, i) => ({
      userId,
      amount: shareAmounts[i] as number,
    }));
    const paid = apportion(
      total,
      payerIds.map((_, i) => payWeights[i] as number),
    );
    const payers: Payment[] = payerIds
      .map((userId, i) => ({ userId, amount: paid[i] as number }))
      .filter((p) => p.amount > 0);
    return { total, payers, shares };
  });

describe("multi-payer pairwise debts", () => {
  it("reproduce every person's net (paid − share); someone who paid nothing only owes payers", () => {
    fc.assert(
      fc.property(multiPayerArb, ({ payers, shares }) => {
        const debts = expenseDebts({ payers, shares });
        const got = nets(debts);
        const payerIds = new Set(payers.map((p) => p.userId));
        const everyone = new Set([...payerIds, ...shares.map((s) => s.userId)]);
        for (const id of everyone) {
          const paid = payers.find((p) => p.userId === id)?.amount ?? 0;
          const share = shares.find((s) => s.userId === id)?.amount ?? 0;
          expect(got.get(id) ?? 0).toBe(paid - share);
          if (!payerIds.has(id)) {
            // No credit, and every debt is to a payer.
            for (const c of counterparties(debts, id)) {
              expect(c.owes).toBeGreaterThan(0);
              expect(payerIds.has(c.userId)).toBe(true);
            }
          }
        }
        // Between two people who paid nothing there is no debt at all.
        for (const d of debts) {
          expect(payerIds.has(d.userA) || payerIds.has(d.userB)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("with one payer, give exactly the single-payer rule: each other participant owes their share", () => {
    fc.assert(
      fc.property(multiPayerArb, ({ total, shares }) => {
        const payer = shares[0]?.userId ?? 1;
        const debts = expenseDebts({ payers: [{ userId: payer, amount: total }], shares });
        const expected = shares
          .filter((s) => s.userId !== payer && s.amount > 0)
          .map((s) => ({ userId: s.userId, owes: -s.amount }))
          .sort((a, b) => a.userId - b.userId);
        expect(counterparties(debts, payer)).toEqual(expected);
        expect(debts).toHaveLength(expected.length);
      }),
    );
  });
});
