import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { unbookExpense } from "./booking.js";
import { buildExpense, type ExpenseInput } from "./expense-input.js";

/** Taking a booked expense back to what was entered (the edit form of issue 16). */

const INR_GROUP = { currency: "INR", groupCurrency: "INR" };
const book = (input: Partial<ExpenseInput>, defaults = INR_GROUP) =>
  buildExpense(
    {
      description: "Boat",
      amount: "100.00",
      currency: "USD",
      exchange_rate: "83.125",
      paid_by: 1,
      split_type: "EQUAL",
      participants: [1, 2, 3],
      group_id: 7,
      ...input,
    } as ExpenseInput,
    "2026-05-01",
    defaults,
  );

describe("unbookExpense", () => {
  it("gives back the README's EXACT example: 33.33 / 33.33 / 33.34 USD, paid 100.00", () => {
    const booked = book({ split_type: "EXACT", split_values: ["33.33", "33.33", "33.34"] });
    expect(booked.split.values).toEqual([277056, 277055, 277139]);
    const entered = unbookExpense(booked);
    expect(entered).toMatchObject({ amount: 10000, currency: "USD", original: null });
    expect(entered?.split.values).toEqual([3333, 3333, 3334]);
    expect(entered?.payers).toEqual([{ userId: 1, amount: 10000 }]);
  });

  it("converts adjustments back one by one, and items with tax and tip in proportion", () => {
    const adjusted = book({ split_type: "ADJUSTMENT", split_values: ["10", "0", "-10.01"] });
    expect(unbookExpense(adjusted)?.split.values).toEqual([1000, 0, -1001]);
    const items = book({
      amount: "100.50",
      split_type: "ITEMIZED",
      participants: undefined,
      paid_by: undefined,
      payers: [
        { userid: 1, amount: "70.50" },
        { userid: 2, amount: "30" },
      ],
      items: [
        { description: "Naan", amount: "30", participants: [3, 1, 2] },
        { description: "Curry", amount: "60.25", participants: [1, 2] },
      ],
      tax: "7.75",
      tip: "2.50",
    });
    const entered = unbookExpense(items);
    expect(entered?.split.items?.map((i) => i.amount)).toEqual([3000, 6025]);
    expect([entered?.split.tax, entered?.split.tip]).toEqual([775, 250]);
    expect(entered?.payers.map((p) => p.amount)).toEqual([7050, 3000]);
  });

  it("is null for an expense not booked, or booked amounts the entry does not give", () => {
    expect(unbookExpense(book({ exchange_rate: undefined }))).toBeNull();
    const booked = book({});
    const original = booked.original && { ...booked.original, amount: 10001 };
    expect(unbookExpense({ ...booked, original })).toBeNull();
  });

  it("recovers the exact amounts typed whenever the rate is at least 2 (a property)", () => {
    // Each booked part is within 1 of its own amount × rate, so taken back it is within 1 / rate
    // of what was typed: below 1/2, the largest remainders pick the typed amounts.
    // At most 6 × 800.00 USD at 2000.9999: under the limit of 1 crore INR once booked.
    const cents = fc.integer({ min: 1, max: 80_000 });
    const rate = fc
      .tuple(fc.integer({ min: 2, max: 2000 }), fc.integer({ min: 0, max: 9999 }))
      .map(([whole, frac]) => `${whole}.${String(frac).padStart(4, "0")}`);
    fc.assert(
      fc.property(fc.array(cents, { minLength: 1, maxLength: 6 }), rate, (parts, r) => {
        const total = parts.reduce((s, p) => s + p, 0);
        const text = (v: number) => (v / 100).toFixed(2);
        const booked = book({
          amount: text(total),
          exchange_rate: r,
          split_type: "EXACT",
          participants: parts.map((_, i) => i + 1),
          split_values: parts.map(text),
        });
        const entered = unbookExpense(booked);
        expect(entered?.amount).toBe(total);
        expect(entered?.split.values).toEqual(parts);
      }),
    );
  });

  it("books back to the same amounts whatever the rate, when it gives an entry (a property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 99_999 }).map((n) => `0.${String(n).padStart(5, "0")}`),
        (parts, rate) => {
          const total = parts.reduce((s, p) => s + p, 0);
          let booked: ReturnType<typeof book>;
          try {
            booked = book(
              {
                amount: String(total),
                currency: "JPY",
                exchange_rate: rate,
                split_type: "EXACT",
                participants: parts.map((_, i) => i + 1),
                split_values: parts.map(String),
              },
              { currency: "EUR", groupCurrency: "EUR" },
            );
          } catch {
            return; // a part that books to nothing: refused when entered
          }
          const entered = unbookExpense(booked);
          if (entered === null) return;
          const again = book(
            {
              amount: String(entered.amount),
              currency: "JPY",
              exchange_rate: rate,
              split_type: "EXACT",
              participants: parts.map((_, i) => i + 1),
              split_values: (entered.split.values ?? []).map(String),
            },
            { currency: "EUR", groupCurrency: "EUR" },
          );
          expect([again.amount, again.shares, again.split]).toEqual([
            booked.amount,
            booked.shares,
            booked.split,
          ]);
        },
      ),
    );
  });
});
