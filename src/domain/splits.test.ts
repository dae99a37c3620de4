import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RuleViolation } from "./errors.js";
import { type Item, itemParticipants } from "./itemized.js";
import { MAX_EXPENSE_PAISE } from "./money.js";
import { equalParts } from "./split.js";
import { computeShares, type ExpenseSplitSpec } from "./splits.js";

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const amounts = (total: number, people: number[] | null, spec: ExpenseSplitSpec) =>
  computeShares(total, people, spec).map((s) => s.amount);

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleViolation) return e.issues.map((i) => `${i.field}: ${i.message}`);
    throw e;
  }
  throw new Error("expected a RuleViolation");
}

const item = (amount: number, participants: number[], description = "x"): Item => ({
  description,
  amount,
  participants,
});

describe("the issue's worked examples", () => {
  it("SHARES: 100 by [1, 2, 2] → 20, 40, 40; 10 by [1.5, 0.5] → 7.50, 2.50", () => {
    expect(amounts(10_000, [1, 2, 3], { type: "SHARES", weights: [100, 200, 200] })).toEqual([
      2000, 4000, 4000,
    ]);
    expect(amounts(1000, [1, 2], { type: "SHARES", weights: [150, 50] })).toEqual([750, 250]);
    // Ties go to earlier participants: 1.00 by [1, 1, 1] → 0.34, 0.33, 0.33.
    expect(amounts(100, [5, 6, 7], { type: "SHARES", weights: [100, 100, 100] })).toEqual([
      34, 33, 33,
    ]);
  });

  it("ADJUSTMENT: 100 among 3 with [10, 0, −10] → 43.34, 33.33, 23.33", () => {
    expect(
      amounts(10_000, [1, 2, 3], { type: "ADJUSTMENT", adjustments: [1000, 0, -1000] }),
    ).toEqual([4334, 3333, 2333]);
    expect(amounts(10_000, [1, 2, 3], { type: "ADJUSTMENT", adjustments: [3000, 0, 0] })).toEqual([
      5334, 2333, 2333,
    ]);
    // amount − Σ adjustments may be 0: the adjustments are the shares.
    expect(amounts(10_000, [1, 2], { type: "ADJUSTMENT", adjustments: [6000, 4000] })).toEqual([
      6000, 4000,
    ]);
  });

  it("ITEMIZED: items split equally, tax and tip by item subtotal, largest remainder", () => {
    const spec: ExpenseSplitSpec = {
      type: "ITEMIZED",
      items: [item(300, [1, 2, 3], "Naan"), item(1001, [1, 2], "Curry")],
      tax: 130,
      tip: 40,
    };
    expect(computeShares(1471, null, spec)).toEqual([
      { userId: 1, amount: 680 },
      { userId: 2, amount: 678 },
      { userId: 3, amount: 113 },
    ]);
    // Given participants set the order (the union, any order).
    expect(computeShares(1471, [3, 1, 2], spec).map((s) => s.userId)).toEqual([3, 1, 2]);
    // Ties in tax go to whoever appears first in the items, not the participants' order.
    const tie: ExpenseSplitSpec = {
      type: "ITEMIZED",
      items: [item(100, [2]), item(100, [1])],
      tax: 1,
      tip: 0,
    };
    expect(computeShares(201, [1, 2], tie)).toEqual([
      { userId: 1, amount: 100 },
      { userId: 2, amount: 101 },
    ]);
  });
});

describe("refusals list every problem at once", () => {
  it("SHARES", () => {
    expect(issuesOf(() => computeShares(100, [1, 2], { type: "SHARES", weights: [0, 0] }))).toEqual(
      ["split_values: at least one weight must be greater than 0"],
    );
    expect(
      issuesOf(() => computeShares(0, [1, 1], { type: "SHARES", weights: [-1, 5, 7] })),
    ).toEqual([
      "amount: must be greater than 0",
      "participants: must not repeat users; repeated: 1",
      "split_values: must have one value per participant (2), got 3",
      "split_values[0]: must not be negative",
    ]);
  });

  it("ADJUSTMENT", () => {
    expect(
      issuesOf(() => computeShares(100, [1, 2], { type: "ADJUSTMENT", adjustments: [150, 0] })),
    ).toEqual(["split_values: adjustments add up to 1.50, more than the expense amount 1.00"]);
    expect(
      issuesOf(() =>
        computeShares(100, [1, 2, 3], { type: "ADJUSTMENT", adjustments: [100, -60, -60] }),
      ),
    ).toEqual([
      "split_values[1]: gives a share of -0.20; a share must not be below 0",
      "split_values[2]: gives a share of -0.20; a share must not be below 0",
    ]);
  });

  it("ITEMIZED", () => {
    const spec: ExpenseSplitSpec = {
      type: "ITEMIZED",
      items: [item(0, [1, 1], " "), item(100, [])],
      tax: -1,
      tip: 0,
    };
    expect(issuesOf(() => computeShares(100, [1, 9], spec))).toEqual([
      "items[0].description: must not be empty",
      "items[0].amount: must be greater than 0 and at most 10000000.00",
      "items[0].participants: must not repeat users; repeated: 1",
      "items[1].participants: must name at least one participant",
      "tax: must be 0 or more",
      "participants: must be exactly the people who share the items: it names 9, who share no item",
    ]);
    const ok: ExpenseSplitSpec = { type: "ITEMIZED", items: [item(100, [1, 2])], tax: 5, tip: 5 };
    expect(issuesOf(() => computeShares(100, null, ok))).toEqual([
      "items: items, tax and tip add up to 1.10, not the expense amount 1.00",
    ]);
    expect(issuesOf(() => computeShares(110, [1], ok))).toEqual([
      "participants: must be exactly the people who share the items: it leaves out 2, who share items",
    ]);
  });

  it("needs participants for every type but ITEMIZED", () => {
    expect(issuesOf(() => computeShares(100, null, { type: "EQUAL" }))).toEqual([
      "participants: are required for a EQUAL split",
    ]);
  });
});

const people = fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), {
  minLength: 1,
  maxLength: 60,
});
const total = fc.integer({ min: 1, max: MAX_EXPENSE_PAISE });

describe("every split type conserves every paisa", () => {
  it("SHARES: sums to the total, each share within a paisa of its exact proportion", () => {
    fc.assert(
      fc.property(
        total,
        people.chain((ps) =>
          fc
            .array(fc.integer({ min: 0, max: 100_000 }), {
              minLength: ps.length,
              maxLength: ps.length,
            })
            .filter((ws) => ws.some((w) => w > 0))
            .map((ws) => ({ ps, ws })),
        ),
        (t, { ps, ws }) => {
          const shares = amounts(t, ps, { type: "SHARES", weights: ws });
          expect(sum(shares)).toBe(t);
          const W = BigInt(sum(ws));
          shares.forEach((s, i) => {
            const diff = BigInt(s) * W - BigInt(t) * BigInt(ws[i] as number);
            expect(diff < W && diff > -W).toBe(true);
            if (ws[i] === 0) expect(s).toBe(0);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("ADJUSTMENT: sums to the total; share − adjustment is an EQUAL split of the rest", () => {
    fc.assert(
      fc.property(
        total,
        people.chain((ps) =>
          fc
            .array(fc.integer({ min: -1_000_000, max: 1_000_000 }), {
              minLength: ps.length,
              maxLength: ps.length,
            })
            .map((adj) => ({ ps, adj })),
        ),
        (t, { ps, adj }) => {
          const spec: ExpenseSplitSpec = { type: "ADJUSTMENT", adjustments: adj };
          const rest = t - sum(adj);
          const equal = rest >= 0 ? equalParts(rest, ps.length) : [];
          const valid = rest >= 0 && equal.every((e, i) => e + (adj[i] as number) >= 0);
          if (!valid) {
            expect(issuesOf(() => computeShares(t, ps, spec)).length).toBeGreaterThan(0);
            return;
          }
          const shares = amounts(t, ps, spec);
          expect(sum(shares)).toBe(t);
          expect(shares.map((s, i) => s - (adj[i] as number))).toEqual(equal);
        },
      ),
      { numRuns: 300 },
    );
  });

  const itemsArb = fc
    .uniqueArray(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 30 })
    .chain((ps) =>
      fc.array(
        fc.record({
          description: fc.constant("item"),
          amount: fc.integer({ min: 1, max: 10_000_000 }),
          participants: fc.shuffledSubarray(ps, { minLength: 1 }),
        }),
        { minLength: 1, maxLength: 20 },
      ),
    );

  it("ITEMIZED: sums to Σ items + tax + tip; item subtotals split equally; tax/tip by subtotal", () => {
    fc.assert(
      fc.property(
        itemsArb,
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.boolean(),
        (items, tax, tip, shuffle) => {
          const t = sum(items.map((i) => i.amount)) + tax + tip;
          const union = itemParticipants(items);
          const given = shuffle ? [...union].reverse() : null;
          const shares = computeShares(t, given, { type: "ITEMIZED", items, tax, tip });
          expect(sum(shares.map((s) => s.amount))).toBe(t);
          expect(shares.map((s) => s.userId)).toEqual(given ?? union);
          // Each person's subtotal: the EQUAL rule within each item.
          const sub = new Map<number, number>();
          for (const it of items) {
            equalParts(it.amount, it.participants.length).forEach((p, k) => {
              const id = it.participants[k] as number;
              sub.set(id, (sub.get(id) ?? 0) + p);
            });
          }
          const S = BigInt(sum([...sub.values()]));
          for (const s of shares) {
            const own = sub.get(s.userId) ?? 0;
            // The extra over the subtotal is within a paisa of (tax + tip) · subtotal / Σ.
            const diff = BigInt(s.amount - own) * S - BigInt(tax + tip) * BigInt(own);
            expect(diff < S && diff > -S).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
