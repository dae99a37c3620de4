import { describe, expect, it } from "vitest";
import type { ExpensePayload } from "./message.js";
import { peopleNamedIn, SOMEONE, withoutStrangers } from "./strangers.js";

const payload = (over: Partial<ExpensePayload> = {}): ExpensePayload => ({
  expenseId: 1,
  version: 2,
  description: "Cab",
  amount: 30000,
  currency: "INR",
  date: "2026-11-20",
  payerId: 2,
  payerName: "Bela and Dmitri",
  payers: [
    { userId: 2, name: "Bela", amount: 10000 },
    { userId: 4, name: "Dmitri", amount: 20000 },
  ],
  yourDebts: [{ userId: 4, name: "Dmitri", owes: 500 }],
  actorName: "Dmitri",
  actorId: 4,
  yourShare: 0,
  balanceWithPayer: null,
  participantCount: 2,
  involvedIds: [2, 4],
  ...over,
});

describe("withoutStrangers", () => {
  it("names only the people the recipient knows, everywhere the mail names someone", () => {
    expect(peopleNamedIn(payload()).sort()).toEqual([2, 4]);
    const p = withoutStrangers(payload(), new Set([1, 2]));
    expect(JSON.stringify(p)).not.toContain("Dmitri");
    expect(p.payerName).toBe(`Bela and ${SOMEONE}`);
    expect(p.payers?.map((x) => x.name)).toEqual(["Bela", SOMEONE]);
    expect(p.yourDebts?.[0]?.name).toBe(SOMEONE);
    expect(p.actorName).toBe(SOMEONE);
    expect(p.amount).toBe(30000); // the money is untouched
  });

  it("counts several strangers among the payers, and leaves a known world as it is", () => {
    const three = payload({
      payerName: "Bela, Chen and Dmitri",
      payers: [
        { userId: 2, name: "Bela", amount: 10000 },
        { userId: 3, name: "Chen", amount: 10000 },
        { userId: 4, name: "Dmitri", amount: 10000 },
      ],
    });
    expect(withoutStrangers(three, new Set([2])).payerName).toBe(
      "Bela and 2 people you don't know",
    );
    expect(withoutStrangers(three, new Set([2, 3, 4]))).toEqual(three);
  });

  it("one payer, and older messages without the actor's id", () => {
    const one = payload({ payerName: "Dmitri", payerId: 4, payers: undefined, actorId: undefined });
    const p = withoutStrangers(one, new Set([2]));
    expect(p.payerName).toBe(SOMEONE);
    expect(p.actorName).toBe("Dmitri"); // unknown who acted: as written
  });
});
