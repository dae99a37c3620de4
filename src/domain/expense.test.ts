import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { netPositions } from "./balances.js";
import type { PairDelta } from "./debts.js";
import { RuleViolation } from "./errors.js";
import { checkExpense, describeExpense, type ExpenseDraft, expenseDebts } from "./expense.js";
import { buildExpense, type ExpenseInput } from "./expense-input.js";
import { formatPaise } from "./money.js";
import { counterparties, paidBy } from "./payers.js";
import { apportion } from "./split.js";

const TODAY = "2026-05-01";
const base = { description: "Dinner", amount: "42.00", split_type: "EQUAL" } as const;

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleViolation) return e.issues.map((i) => `${i.field}: ${i.message}`);
    throw e;
  }
  throw new Error("expected a RuleViolation");
}

function nets(deltas: PairDelta[]): Map<number, number> {
  return new Map(netPositions(deltas).map((n) => [n.userId, n.net]));
}

describe("buildExpense", () => {
  it("keeps today's single-payer shape: paid_by pays it all", () => {
    const e = buildExpense({ ...base, paid_by: 1, participants: [1, 2, 3] }, TODAY);
    expect(e).toEqual({
      description: "Dinner",
      category: null,
      notes: null,
      date: TODAY,
      currency: "INR",
      groupId: null,
      amount: 4200,
      payers: [{ userId: 1, amount: 4200 }],
      shares: [
        { userId: 1, amount: 1400 },
        { userId: 2, amount: 1400 },
        { userId: 3, amount: 1400 },
      ],
      split: { type: "EQUAL" },
    });
    expect(paidBy(e.payers)).toBe(1);
    expect(describeExpense(e)).toEqual([]);
  });

  it("the issue's two payers: 20.00 and 22.00, shares 15/15/12 → A +5.00, B +7.00, C −12.00", () => {
    const e = buildExpense(
      {
        ...base,
        payers: [
          { userid: 1, amount: "20.00" },
          { userid: 2, amount: 22 },
        ],
        split_type: "EXACT",
        participants: [1, 2, 3],
        split_values: [15, "15", "12.00"],
      },
      TODAY,
    );
    expect(paidBy(e.payers)).toBeNull();
    expect(e.split).toEqual({ type: "EXACT", values: [1500, 1500, 1200] });
    const debts = expenseDebts(e);
    // The doc comment's worked example, paisa for paisa.
    expect(debts).toEqual([
      { userA: 1, userB: 2, aOwesB: 72 },
      { userA: 1, userB: 3, aOwesB: -572 },
      { userA: 2, userB: 3, aOwesB: -628 },
    ]);
    expect(nets(debts)).toEqual(
      new Map([
        [1, 500],
        [2, 700],
        [3, -1200],
      ]),
    );
    // "You owe A ₹5.72 and B ₹6.28": C's side of it.
    expect(counterparties(debts, 3)).toEqual([
      { userId: 1, owes: 572 },
      { userId: 2, owes: 628 },
    ]);
  });

  it("builds every split type from API-shaped input", () => {
    const shares = (input: Partial<ExpenseInput>) =>
      buildExpense({ ...base, paid_by: 1, ...input } as ExpenseInput, TODAY).shares.map((s) =>
        formatPaise(s.amount),
      );
    expect(
      shares({
        amount: 100,
        split_type: "SHARES",
        participants: [1, 2, 3],
        split_values: [1, 2, 2],
      }),
    ).toEqual(["20.00", "40.00", "40.00"]);
    expect(
      shares({
        amount: 100,
        split_type: "ADJUSTMENT",
        participants: [1, 2, 3],
        split_values: [10, 0, "-10"],
      }),
    ).toEqual(["43.34", "33.33", "23.33"]);
    const itemized = buildExpense(
      {
        ...base,
        paid_by: 1,
        amount: "14.71",
        split_type: "ITEMIZED",
        items: [
          { description: "Naan", amount: 3, participants: [1, 2, 3] },
          { description: "Curry", amount: "10.01", participants: [1, 2] },
        ],
        tax: "1.30",
        tip: 0.4,
      },
      TODAY,
    );
    expect(itemized.shares.map((s) => s.amount)).toEqual([680, 678, 113]);
    expect(itemized.split.items?.map((i) => i.amount)).toEqual([300, 1001]);
    expect(describeExpense(itemized)).toEqual([]);
  });

  it("lists every problem at once", () => {
    expect(
      issuesOf(() =>
        buildExpense(
          {
            description: " ",
            amount: "10.00",
            currency: "usd",
            date: "1800-01-01",
            payers: [
              { userid: 1, amount: "6.005" },
              { userid: 1, amount: 0 },
            ],
            split_type: "EQUAL",
            participants: [1, 2],
            split_values: [1, 2],
            tax: 1,
            group_id: -3,
          },
          TODAY,
        ),
      ),
    ).toEqual([
      "description: must not be empty",
      "date: must be between 1900-01-01 and 2200-12-31",
      "currency: must be an ISO 4217 currency code (three capital letters, e.g. INR)",
      "group_id: must be a group id",
      "payers[0].amount: must have at most 2 decimal places",
      "split_values: must be omitted for a EQUAL split",
      "tax: is only for an ITEMIZED split",
    ]);
    expect(
      issuesOf(() =>
        buildExpense(
          {
            ...base,
            payers: [
              { userid: 1, amount: 30 },
              { userid: 1, amount: 0 },
              { userid: 2, amount: 20 },
            ],
            split_type: "PERCENTAGE",
            participants: [1, 2],
            split_values: [50, 49],
          },
          TODAY,
        ),
      ),
    ).toEqual([
      "payers[1].amount: must be greater than 0",
      "payers: must not repeat users; repeated: 1",
      "split_values: percentages add up to 99.00, not 100",
    ]);
    expect(
      issuesOf(() =>
        buildExpense(
          {
            ...base,
            payers: [
              { userid: 1, amount: 30 },
              { userid: 2, amount: 20 },
            ],
            participants: [1, 2],
          },
          TODAY,
        ),
      ),
    ).toEqual(["payers: payments add up to 50.00, not the expense amount 42.00"]);
  });

  it("names paid_by and split_type when they are what is wrong", () => {
    expect(
      issuesOf(() =>
        buildExpense({ ...base, paid_by: 0, split_type: "HALVES", participants: [1] }, TODAY),
      ),
    ).toEqual([
      "split_type: must be one of EQUAL, EXACT, PERCENTAGE, SHARES, ADJUSTMENT, ITEMIZED",
      "paid_by: must be a user id",
    ]);
  });

  // With paid_by, the one payer pays the amount: a bad amount is the amount's problem only.
  it.each(["0", "-0", "-5", 0])(
    "amount %j with a valid paid_by names the amount, not paid_by",
    (amount) => {
      expect(
        issuesOf(() => buildExpense({ ...base, amount, paid_by: 1, participants: [1, 2] }, TODAY)),
      ).toEqual(["amount: must be greater than 0"]);
    },
  );

  it("wants exactly one of paid_by and payers", () => {
    expect(issuesOf(() => buildExpense({ ...base, participants: [1] }, TODAY))).toEqual([
      "paid_by: is required: give paid_by (one payer) or payers",
    ]);
    expect(
      issuesOf(() =>
        buildExpense(
          { ...base, paid_by: 1, payers: [{ userid: 1, amount: 42 }], participants: [1] },
          TODAY,
        ),
      ),
    ).toEqual(["payers: must not be given together with paid_by"]);
  });

  it("checkExpense refuses shares its split does not give", () => {
    const e = buildExpense({ ...base, paid_by: 1, participants: [1, 2] }, TODAY);
    const tampered: ExpenseDraft = {
      ...e,
      shares: [
        { userId: 1, amount: 2101 },
        { userId: 2, amount: 2099 },
      ],
    };
    expect(issuesOf(() => checkExpense(tampered))).toEqual([
      "participants[0]: has a share of 21.01; the split gives 21.00",
      "participants[1]: has a share of 20.99; the split gives 21.00",
    ]);
  });
});

describe("multi-payer expenses from input", () => {
  it("buildExpense conserves every paisa for every split type and several payers", () => {
    const inputArb = fc
      .record({
        cents: fc.integer({ min: 1, max: 100_000_000 }),
        people: fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { minLength: 1, maxLength: 20 }),
        type: fc.constantFrom("EQUAL", "SHARES", "ADJUSTMENT", "ITEMIZED"),
        weights: fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 20, maxLength: 20 }),
        payerCount: fc.integer({ min: 1, max: 5 }),
      })
      .map(({ cents, people, type, weights, payerCount }): ExpenseInput => {
        const n = people.length;
        const paid = apportion(cents, weights.slice(0, Math.min(payerCount, n)));
        const payers = paid
          .map((amount, i) => ({ userid: people[i] as number, amount: formatPaise(amount) }))
          .filter((p) => p.amount !== "0.00");
        const input: ExpenseInput = {
          description: "Random",
          amount: formatPaise(cents),
          payers,
          split_type: type,
          participants: people,
        };
        if (type === "SHARES") input.split_values = weights.slice(0, n).map((w) => w / 100);
        if (type === "ADJUSTMENT") {
          // Adjustments that leave every share ≥ 0: at most what an equal split gives.
          const cap = Math.floor(cents / n);
          input.split_values = people.map((_, i) =>
            formatPaise(((weights[i] as number) % (cap + 1)) - Math.floor(cap / 2)),
          );
        }
        if (type === "ITEMIZED") {
          const parts = apportion(cents, weights.slice(0, n + 1));
          // The last part is the tax, unless the items would be left with nothing.
          const tax = cents - (parts[n] as number) > 0 ? (parts[n] as number) : 0;
          if (tax === 0) parts[0] = (parts[0] as number) + (parts[n] as number);
          input.participants = undefined;
          input.tax = formatPaise(tax);
          input.items = people
            .map((_, i) => ({
              description: `Item ${i}`,
              amount: parts[i] as number,
              participants: people.slice(i),
            }))
            .filter((it) => it.amount > 0)
            .map((it) => ({ ...it, amount: formatPaise(it.amount) }));
        }
        return input;
      });
    fc.assert(
      fc.property(inputArb, (input) => {
        let e: ExpenseDraft;
        try {
          e = buildExpense(input, TODAY);
        } catch {
          // Only ADJUSTMENT can be refused here (an adjustment sum above the amount); say why.
          expect(input.split_type).toBe("ADJUSTMENT");
          expect(issuesOf(() => buildExpense(input, TODAY)).join()).toMatch(/adjustments|below 0/);
          return;
        }
        const sum = (xs: { amount: number }[]) => xs.reduce((a, x) => a + x.amount, 0);
        expect(sum(e.shares)).toBe(e.amount);
        expect(sum(e.payers)).toBe(e.amount);
        expect(describeExpense(e)).toEqual([]);
        const got = nets(expenseDebts(e));
        for (const s of e.shares) {
          const paid = e.payers.find((p) => p.userId === s.userId)?.amount ?? 0;
          expect(got.get(s.userId) ?? 0).toBe(paid - s.amount);
        }
      }),
      { numRuns: 300 },
    );
  });
});
