import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RuleViolation } from "./errors.js";
import { MAX_EXPENSE_PAISE } from "./money.js";
import { apportion, MAX_PARTICIPANTS, splitExpense } from "./split.js";

const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Percentages in basis points that add up to exactly 10000. */
const percentArb = (n: number) =>
  fc
    .array(fc.integer({ min: 0, max: 10_000 }), { minLength: n - 1, maxLength: n - 1 })
    .map((cuts) => {
      const sorted = [0, ...cuts.sort((a, b) => a - b), 10_000];
      return sorted.slice(1).map((c, i) => c - (sorted[i] as number));
    });

function violation(fn: () => unknown): RuleViolation {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleViolation) return e;
    throw e;
  }
  throw new Error("expected a RuleViolation");
}

describe("splitExpense", () => {
  it("EQUAL: shares add up to the total and differ from the ideal by less than a paisa", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_EXPENSE_PAISE }),
        fc.integer({ min: 1, max: MAX_PARTICIPANTS }),
        (total, n) => {
          const shares = splitExpense(total, ids(n), { type: "EQUAL" }).map((s) => s.amount);
          expect(sum(shares)).toBe(total);
          for (const s of shares) expect(Math.abs(s * n - total)).toBeLessThan(n);
          // The extra paise go to the first participants: shares never increase along the list.
          for (let i = 1; i < n; i++)
            expect(shares[i]).toBeLessThanOrEqual(shares[i - 1] as number);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("PERCENTAGE: shares add up to the total and differ from the exact share by less than a paisa", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_EXPENSE_PAISE }),
        fc.integer({ min: 1, max: 60 }).chain((n) => percentArb(n)),
        (total, bps) => {
          const shares = splitExpense(total, ids(bps.length), {
            type: "PERCENTAGE",
            basisPoints: bps,
          }).map((s) => s.amount);
          expect(sum(shares)).toBe(total);
          shares.forEach((s, i) => {
            expect(Math.abs(s * 10_000 - total * (bps[i] as number))).toBeLessThan(10_000);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("EXACT: shares are the given amounts", () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 50 })
          .filter((a) => sum(a) > 0),
        (amounts) => {
          const shares = splitExpense(sum(amounts), ids(amounts.length), {
            type: "EXACT",
            amounts,
          });
          expect(shares.map((s) => s.amount)).toEqual(amounts);
        },
      ),
    );
  });

  it("splits 100.00 three ways as 33.34, 33.33, 33.33 and 33.33/33.33/33.34 % by largest remainder", () => {
    expect(splitExpense(10_000, [7, 8, 9], { type: "EQUAL" })).toEqual([
      { userId: 7, amount: 3334 },
      { userId: 8, amount: 3333 },
      { userId: 9, amount: 3333 },
    ]);
    expect(
      splitExpense(100, [1, 2, 3], { type: "PERCENTAGE", basisPoints: [3333, 3333, 3334] }).map(
        (s) => s.amount,
      ),
    ).toEqual([33, 33, 34]);
    // Ties go to earlier participants: 1 paisa over two equal remainders.
    expect(apportion(1, [1, 1])).toEqual([1, 0]);
  });

  it.each([
    ["zero amount", () => splitExpense(0, [1], { type: "EQUAL" }), "amount"],
    ["over 1 crore", () => splitExpense(MAX_EXPENSE_PAISE + 1, [1], { type: "EQUAL" }), "amount"],
    ["no participants", () => splitExpense(100, [], { type: "EQUAL" }), "participants"],
    [
      "1001 participants",
      () => splitExpense(100_000, ids(1001), { type: "EQUAL" }),
      "participants",
    ],
    ["duplicates", () => splitExpense(100, [1, 2, 1], { type: "EQUAL" }), "participants"],
    [
      "exact mismatch",
      () => splitExpense(100, [1, 2], { type: "EXACT", amounts: [50, 49] }),
      "split_values",
    ],
    [
      "percent 99",
      () => splitExpense(100, [1, 2], { type: "PERCENTAGE", basisPoints: [5000, 4900] }),
      "split_values",
    ],
    [
      "negative value",
      () => splitExpense(100, [1, 2], { type: "EXACT", amounts: [150, -50] }),
      "split_values[1]",
    ],
    [
      "misaligned",
      () => splitExpense(100, [1, 2], { type: "EXACT", amounts: [100] }),
      "split_values",
    ],
  ])("refuses %s", (_name, fn, field) => {
    expect(violation(fn).issues.map((i) => i.field)).toContain(field);
  });

  it("names both sums in the EXACT mismatch message", () => {
    expect(
      violation(() => splitExpense(10_000, [1, 2], { type: "EXACT", amounts: [5000, 4999] }))
        .issues[0]?.message,
    ).toBe("must add up to ₹100.00; they add up to ₹99.99");
  });
});
