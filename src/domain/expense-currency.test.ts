import { describe, expect, it } from "vitest";
import { MAX_RATE_DECIMALS, readRate } from "./booking.js";
import { RuleViolation } from "./errors.js";
import { describeExpense } from "./expense.js";
import { buildExpense, type ExpenseInput } from "./expense-input.js";

const TODAY = "2026-05-01";
const base = { description: "Dinner", paid_by: 1, split_type: "EQUAL", participants: [1, 2, 3] };

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleViolation) return e.issues.map((i) => `${i.field}: ${i.message}`);
    throw e;
  }
  throw new Error("expected a RuleViolation");
}

const build = (
  input: Partial<ExpenseInput>,
  currency = "INR",
  groupCurrency: string | null = null,
) =>
  buildExpense({ ...base, amount: "1", ...input } as ExpenseInput, TODAY, {
    currency,
    groupCurrency,
  });

describe("expenses in any currency", () => {
  it("splits on the currency's minor units: JPY has none, KWD three", () => {
    const yen = build({ amount: 1000, currency: "JPY" });
    expect(yen.amount).toBe(1000);
    expect(yen.shares.map((s) => s.amount)).toEqual([334, 333, 333]);
    const dinar = build({ amount: "1.000", currency: "KWD" });
    expect(dinar.amount).toBe(1000);
    expect(dinar.shares.map((s) => s.amount)).toEqual([334, 333, 333]);
    expect(describeExpense(yen)).toEqual([]);
    expect(describeExpense(dinar)).toEqual([]);
  });

  it("takes the default currency when none is given", () => {
    expect(build({ amount: 500 }, "JPY").currency).toBe("JPY");
    expect(build({ amount: 500 }).currency).toBe("INR");
  });

  it("refuses more digits than the currency has, 100.0 yen included, in every amount", () => {
    expect(issuesOf(() => build({ amount: "100.0", currency: "JPY" }))).toEqual([
      "amount: must be a whole number (no decimal places)",
    ]);
    expect(issuesOf(() => build({ amount: "1.2345", currency: "KWD" }))).toEqual([
      "amount: must have at most 3 decimal places",
    ]);
    const problems = issuesOf(() =>
      build({
        currency: "JPY",
        amount: 300,
        paid_by: undefined,
        payers: [
          { userid: 1, amount: "150.5" },
          { userid: 2, amount: "149.5" },
        ],
        split_type: "EXACT",
        split_values: ["100", "100.0", 100],
      }),
    );
    expect(problems).toEqual([
      "payers[0].amount: must be a whole number (no decimal places)",
      "payers[1].amount: must be a whole number (no decimal places)",
      "split_values[1]: must be a whole number (no decimal places)",
    ]);
    // Percentages and weights are not money: two places in any currency.
    expect(
      build({ amount: 100, currency: "JPY", split_type: "SHARES", split_values: [1.5, 1, 0.5] })
        .shares,
    ).toEqual([
      { userId: 1, amount: 50 },
      { userId: 2, amount: 33 },
      { userId: 3, amount: 17 },
    ]);
  });

  it("limits every currency to 10,000,000 major units", () => {
    expect(build({ amount: 10_000_000, currency: "JPY" }).amount).toBe(10_000_000);
    expect(issuesOf(() => build({ amount: 10_000_001, currency: "JPY" }))).toEqual([
      "amount: must be at most ¥10,000,000",
    ]);
    expect(build({ amount: "10000000.000", currency: "KWD" }).amount).toBe(10_000_000_000);
    expect(issuesOf(() => build({ amount: "10000000.001", currency: "KWD" }))).toEqual([
      "amount: must be at most KWD\u00a010,000,000.000",
    ]);
    // INR keeps its words.
    expect(issuesOf(() => build({ amount: "10000000.01" }))).toEqual([
      "amount: must be at most ₹1,00,00,000.00 (1 crore)",
    ]);
  });

  it("refuses a code that is not a currency", () => {
    expect(issuesOf(() => build({ currency: "XYZ" }))).toEqual([
      "currency: XYZ is not an ISO 4217 currency code",
    ]);
  });
});

describe("booking at an exchange rate", () => {
  it("books 100.00 USD at 83.125 as ₹8,312.50, split on the booked amount, keeping the original", () => {
    const e = build({ amount: "100.00", currency: "USD", exchange_rate: "83.125" }, "INR", "INR");
    expect(e.amount).toBe(831250);
    expect(e.currency).toBe("INR");
    expect(e.original).toEqual({ amount: 10000, currency: "USD", rate: "83.125" });
    expect(e.payers).toEqual([{ userId: 1, amount: 831250 }]);
    expect(e.shares.map((s) => s.amount)).toEqual([277084, 277083, 277083]);
    expect(describeExpense(e)).toEqual([]);
  });

  it("rounds half up to the group currency's minor unit", () => {
    // 0.05 USD × 0.5 = 0.025 INR → 0.03; 1 JPY × 0.0055 = 0.0055 EUR → 0.01.
    expect(
      build({ amount: "0.05", currency: "USD", exchange_rate: "0.5" }, "INR", "INR").amount,
    ).toBe(3);
    expect(
      build({ amount: 1, currency: "JPY", exchange_rate: "0.0055" }, "EUR", "EUR").amount,
    ).toBe(1);
    // Into a currency without minor units: 10.50 USD at 150.1 JPY = 1576.05 → ¥1,576.
    expect(
      build({ amount: "10.50", currency: "USD", exchange_rate: "150.1" }, "JPY", "JPY").amount,
    ).toBe(1576);
  });

  it("apportions EXACT values, payers and items over the booked amount, so they still add up (the worked example)", () => {
    const exact = build(
      {
        amount: "100.00",
        currency: "USD",
        exchange_rate: "83.125",
        split_type: "EXACT",
        split_values: ["33.33", "33.33", "33.34"],
      },
      "INR",
      "INR",
    );
    expect(exact.split.values).toEqual([277056, 277055, 277139]);
    expect(exact.shares.map((s) => s.amount)).toEqual([277056, 277055, 277139]);
    const payers = build(
      {
        amount: 10,
        currency: "USD",
        exchange_rate: "3.33",
        paid_by: undefined,
        payers: [
          { userid: 1, amount: 5 },
          { userid: 2, amount: 5 },
        ],
      },
      "INR",
      "INR",
    );
    expect(payers.amount).toBe(3330);
    expect(payers.payers).toEqual([
      { userId: 1, amount: 1665 },
      { userId: 2, amount: 1665 },
    ]);
    const itemized = build(
      {
        amount: "14.71",
        currency: "EUR",
        exchange_rate: "0.9",
        split_type: "ITEMIZED",
        participants: undefined,
        items: [
          { description: "Naan", amount: 3, participants: [1, 2, 3] },
          { description: "Curry", amount: "10.01", participants: [1, 2] },
        ],
        tax: "1.30",
        tip: "0.40",
      },
      "USD",
      "USD",
    );
    // 14.71 × 0.9 = 13.239 → 13.24 USD; items 3.00 : 10.01 : 1.30 : 0.40 of it.
    expect(itemized.amount).toBe(1324);
    const parts = [
      ...(itemized.split.items ?? []).map((i) => i.amount),
      itemized.split.tax,
      itemized.split.tip,
    ];
    expect(parts).toEqual([270, 901, 117, 36]);
    expect(itemized.shares.reduce((s, x) => s + x.amount, 0)).toBe(1324);
    expect(describeExpense(itemized)).toEqual([]);
  });

  it("converts ADJUSTMENT values one by one", () => {
    const e = build(
      {
        amount: 100,
        currency: "USD",
        exchange_rate: "2",
        split_type: "ADJUSTMENT",
        split_values: [10, 0, "-10"],
      },
      "INR",
      "INR",
    );
    expect(e.split.values).toEqual([2000, 0, -2000]);
    expect(e.shares.map((s) => s.amount)).toEqual([8667, 6667, 4666]);
  });

  it("takes a rate only in a group, for another currency than the group's", () => {
    expect(issuesOf(() => build({ currency: "USD", exchange_rate: "83" }))).toEqual([
      "exchange_rate: is only for an expense in a group, entered in another currency than the group's: outside a group an expense stays in its own currency",
    ]);
    expect(issuesOf(() => build({ exchange_rate: "1" }, "INR", "INR"))).toEqual([
      "exchange_rate: must be omitted: the expense is in the group's own currency (INR)",
    ]);
    // Without a rate, another currency stays itself, in a group too.
    expect(build({ currency: "USD" }, "INR", "INR").currency).toBe("USD");
  });

  it("reads rates as exact decimals with at most 10 places", () => {
    expect(readRate("083.1250")).toEqual({ ok: true, rate: "83.125" });
    expect(readRate(2)).toEqual({ ok: true, rate: "2" });
    expect(readRate("0.0000000001")).toEqual({ ok: true, rate: "0.0000000001" });
    for (const bad of ["0", "0.000", "-1", "1e3", "1.", ".5", "1,5", "0.00000000001", 1e-7, ""])
      expect(readRate(bad as string), String(bad)).toEqual({ ok: false });
    expect(MAX_RATE_DECIMALS).toBe(10);
    expect(
      issuesOf(() => build({ currency: "USD", exchange_rate: "-2" }, "INR", "INR"))[0],
    ).toMatch(/^exchange_rate: must be a decimal number greater than 0/);
  });

  it("refuses a booked amount beyond the group currency's limit, or a part that rounds to nothing", () => {
    expect(
      issuesOf(() =>
        build({ amount: 10_000_000, currency: "USD", exchange_rate: "83" }, "INR", "INR"),
      ),
    ).toEqual([
      "amount: must be at most 10000000.00 INR once booked in INR at 83 (830000000.00 INR)",
    ]);
    expect(
      issuesOf(() =>
        build(
          {
            amount: 1002,
            currency: "JPY",
            exchange_rate: "0.006",
            paid_by: undefined,
            // 6.012 EUR → 6.01, apportioned 1000 : 1 : 1 → 6.00, 0.01, 0.00.
            payers: [
              { userid: 1, amount: 1000 },
              { userid: 2, amount: 1 },
              { userid: 3, amount: 1 },
            ],
          },
          "EUR",
          "EUR",
        ),
      ),
    ).toEqual(["payers[2].amount: must be greater than 0 once booked in EUR at 0.006"]);
  });
});
