import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { netPositions } from "./balances.js";
import {
  expenseDeltas,
  mergeDeltas,
  negateDeltas,
  type PairDelta,
  settlementDeltas,
} from "./debts.js";
import { apportion } from "./split.js";

/** Each person's net effect from deltas: positive = owed to them. */
function nets(deltas: PairDelta[]): Map<number, number> {
  return new Map(netPositions(deltas).map((n) => [n.userId, n.net]));
}

const expenseArb = fc
  .record({
    total: fc.integer({ min: 1, max: 1_000_000_000 }),
    people: fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 12 }),
    payerCount: fc.integer({ min: 1, max: 3 }),
    weights: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 12, maxLength: 12 }),
  })
  .map(({ total, people, payerCount, weights }) => {
    const shares = apportion(
      total,
      people.map((_, i) => weights[i] as number),
    ).map((amount, i) => ({ userId: people[i] as number, amount }));
    const payerIds = people.slice(0, Math.min(payerCount, people.length));
    const payers = apportion(
      total,
      payerIds.map((_, i) => weights[11 - i] as number),
    ).map((amount, i) => ({ userId: payerIds[i] as number, amount }));
    return { payers: payers.filter((p) => p.amount > 0), shares };
  });

describe("expenseDeltas", () => {
  it("moves each person's net by exactly what they paid minus their share", () => {
    fc.assert(
      fc.property(expenseArb, ({ payers, shares }) => {
        const deltas = expenseDeltas(payers, shares);
        const got = nets(deltas);
        const ids = new Set([...payers.map((p) => p.userId), ...shares.map((s) => s.userId)]);
        for (const id of ids) {
          const paid = payers.find((p) => p.userId === id)?.amount ?? 0;
          const owed = shares.find((s) => s.userId === id)?.amount ?? 0;
          expect(got.get(id) ?? 0).toBe(paid - owed);
        }
        // Normalised: ordered pairs, no zeros, sorted (the database's lock order).
        deltas.forEach((d, i) => {
          expect(d.userA).toBeLessThan(d.userB);
          expect(d.aOwesB).not.toBe(0);
          const prev = deltas[i - 1];
          if (prev)
            expect(prev.userA < d.userA || (prev.userA === d.userA && prev.userB < d.userB)).toBe(
              true,
            );
        });
      }),
    );
  });

  it("cancels to nothing when reversed (edit/delete)", () => {
    fc.assert(
      fc.property(expenseArb, ({ payers, shares }) => {
        const d = expenseDeltas(payers, shares);
        expect(mergeDeltas(d, negateDeltas(d))).toEqual([]);
      }),
    );
  });

  it("with one payer, each other participant owes the payer their share", () => {
    expect(
      expenseDeltas(
        [{ userId: 2, amount: 300 }],
        [
          { userId: 1, amount: 100 },
          { userId: 2, amount: 100 },
          { userId: 3, amount: 100 },
        ],
      ),
    ).toEqual([
      { userA: 1, userB: 2, aOwesB: 100 },
      { userA: 2, userB: 3, aOwesB: -100 },
    ]);
  });

  it("settling pays down a debt and overpaying flips it", () => {
    const debt = [{ userA: 1, userB: 2, aOwesB: 500 }];
    expect(mergeDeltas(debt, settlementDeltas(1, 2, 200))).toEqual([
      { userA: 1, userB: 2, aOwesB: 300 },
    ]);
    expect(mergeDeltas(debt, settlementDeltas(1, 2, 700))).toEqual([
      { userA: 1, userB: 2, aOwesB: -200 },
    ]);
  });
});
