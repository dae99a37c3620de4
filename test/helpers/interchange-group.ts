/** Random valid interchange groups for property tests (test support; imported only by tests). */
import fc from "fast-check";
import type {
  InterchangeExpense,
  InterchangeGroup,
  InterchangeSplit,
} from "../../src/domain/interchange/model.js";
import { apportion } from "../../src/domain/split.js";
import { computeShares, type ExpenseSplitSpec } from "../../src/domain/splits.js";

/** Names that need quoting or formula escaping in CSV, and plain ones. */
const NAMES = ["Asha", "Ravi", "=Eve", "-Dan", "O'Neil, Jr.", 'Zoë "Z"', "@mira", "+1 Kim", "Lee"];
const CURRENCIES = ["INR", "USD", "JPY", "KWD"];
const DESCRIPTIONS = [
  "Dinner",
  "=SUM(A1:A9)",
  "-5",
  "@home",
  "+tip",
  "Cab, airport",
  'Say "hi"',
  "Total balance",
];

const day = fc
  .integer({ min: 0, max: 3000 })
  .map((d) => new Date(Date.UTC(2018, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));

function expenseArb(names: string[]): fc.Arbitrary<InterchangeExpense> {
  const n = names.length;
  const ids = names.map((_, i) => i);
  return fc
    .record({
      currency: fc.constantFrom(...CURRENCIES),
      amount: fc.integer({ min: 1, max: 200_000 }),
      payerWeights: fc
        .array(fc.nat(4), { minLength: n, maxLength: n })
        .filter((w) => w.some((x) => x > 0)),
      participants: fc.shuffledSubarray(ids, { minLength: 1 }),
      type: fc.constantFrom("EQUAL", "EXACT", "PERCENTAGE", "SHARES", "ADJUSTMENT", "ITEMIZED"),
      weights: fc.array(fc.integer({ min: 1, max: 500 }), { minLength: n, maxLength: n }),
      date: day,
      description: fc.constantFrom(...DESCRIPTIONS),
      category: fc.option(fc.constantFrom("Food", "=cmd", "Travel"), { nil: null }),
      original: fc.option(
        fc.record({
          amount: fc.integer({ min: 1, max: 99_999 }),
          currency: fc.constantFrom("EUR", "JPY"),
          rate: fc.constantFrom("0.0061", "89.2345", "1"),
        }),
        { nil: null },
      ),
    })
    .map((r) => {
      const people = r.participants.map((i) => i + 1);
      const w = r.participants.map((i) => r.weights[i] as number);
      const paid = apportion(r.amount, r.payerWeights);
      const tax = r.type === "ITEMIZED" ? Math.min(r.amount - 1, (r.weights[0] as number) % 7) : 0;
      const spec: ExpenseSplitSpec =
        r.type === "EQUAL"
          ? { type: "EQUAL" }
          : r.type === "EXACT"
            ? { type: "EXACT", amounts: apportion(r.amount, w) }
            : r.type === "PERCENTAGE"
              ? { type: "PERCENTAGE", basisPoints: apportion(10_000, w) }
              : r.type === "SHARES"
                ? { type: "SHARES", weights: w }
                : r.type === "ADJUSTMENT"
                  ? {
                      type: "ADJUSTMENT",
                      adjustments: people.map((_, i) =>
                        i === 0 ? Math.min(r.amount, w[0] as number) : 0,
                      ),
                    }
                  : {
                      type: "ITEMIZED",
                      items: [
                        { description: "Main", amount: r.amount - tax, participants: people },
                      ],
                      tax,
                      tip: 0,
                    };
      const shares = computeShares(r.amount, r.type === "ITEMIZED" ? null : people, spec);
      const values =
        spec.type === "EXACT"
          ? spec.amounts
          : spec.type === "PERCENTAGE"
            ? spec.basisPoints
            : spec.type === "SHARES"
              ? spec.weights
              : spec.type === "ADJUSTMENT"
                ? spec.adjustments
                : null;
      const split: InterchangeSplit = {
        type: spec.type,
        values,
        items:
          spec.type === "ITEMIZED"
            ? spec.items.map((i) => ({
                description: i.description,
                amount: i.amount,
                members: i.participants.map((p) => names[p - 1] as string),
              }))
            : null,
        tax: spec.type === "ITEMIZED" ? spec.tax : 0,
        tip: 0,
      };
      const original = r.original && r.original.currency !== r.currency ? r.original : null;
      return {
        date: r.date,
        description: r.description,
        category: r.category,
        note: null,
        currency: r.currency,
        amount: r.amount,
        payers: paid.flatMap((amount, i) =>
          amount > 0 ? [{ member: names[i] as string, amount }] : [],
        ),
        shares: shares.map((s) => ({ member: names[s.userId - 1] as string, amount: s.amount })),
        split,
        original,
      };
    });
}

/** A group of 2–5 members with up to 12 expenses and 4 settlements in several currencies. */
export const interchangeGroup: fc.Arbitrary<InterchangeGroup> = fc
  .uniqueArray(fc.constantFrom(...NAMES), { minLength: 2, maxLength: 5 })
  .chain((names) =>
    fc.record({
      name: fc.option(fc.constantFrom("Goa trip", "Flat 4B"), { nil: null }),
      currency: fc.constantFrom(...CURRENCIES),
      members: fc.constant(
        names.map((name, i) => ({ name, email: i === 0 ? "first@example.com" : null })),
      ),
      expenses: fc.array(expenseArb(names), { maxLength: 12 }),
      settlements: fc.array(
        fc
          .record({
            date: day,
            from: fc.constantFrom(...names),
            to: fc.constantFrom(...names),
            amount: fc.integer({ min: 1, max: 50_000 }),
            currency: fc.constantFrom(...CURRENCIES),
            note: fc.option(fc.constantFrom("UPI", "=cash"), { nil: null }),
          })
          .filter((s) => s.from !== s.to),
        { maxLength: 4 },
      ),
    }),
  );
