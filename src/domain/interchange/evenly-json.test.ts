import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readEvenlyJson, writeEvenlyJson } from "./evenly-json.js";
import { MalformedFile } from "./model.js";
import { readSplitwiseCsv } from "./splitwise-read.js";

const { group } = readSplitwiseCsv(
  readFileSync(
    new URL("../../../test/fixtures/interchange/splitwise-two-currencies.csv", import.meta.url),
    "utf8",
  ),
  { currency: "INR" },
);
const file = () => JSON.parse(writeEvenlyJson(group));
const issuesOf = (value: unknown) => {
  try {
    readEvenlyJson(typeof value === "string" ? value : JSON.stringify(value));
  } catch (e) {
    expect(e).toBeInstanceOf(MalformedFile);
    return (e as MalformedFile).issues;
  }
  throw new Error("did not throw");
};

describe("Evenly JSON, format_version 1", () => {
  it("writes money as decimal text in each currency's digits", () => {
    const f = file();
    expect(f.format_version).toBe(1);
    expect(f.group).toEqual({ name: null, currency: "INR" });
    expect(f.expenses[0].amount).toBe("900.00");
    expect(f.expenses[0].split).toEqual({
      type: "EXACT",
      values: ["300.00", "300.00", "300.00"],
      items: null,
      tax: "0.00",
      tip: "0.00",
    });
    expect(f.settlements[0]).toEqual({
      date: "2024-03-04",
      from: "Ravi",
      to: "Asha",
      amount: "100.00",
      currency: "INR",
      note: null, // the fixture's "Ravi paid Asha" says no more than from and to
    });
    expect(readEvenlyJson(writeEvenlyJson(group)).group).toEqual(group);
  });

  it("refuses another version, unknown fields and bad JSON", () => {
    expect(issuesOf("not json")[0]?.field).toBe("file");
    expect(issuesOf({ ...file(), format_version: 2 })[0]?.field).toBe("format_version");
    expect(issuesOf({ ...file(), extra: true })[0]?.message).toMatch(/extra/);
  });

  it("refuses amounts with more digits than their currency, naming the field", () => {
    const f = file();
    f.expenses[2].amount = "180.001";
    f.settlements[0].currency = "JPY";
    expect(issuesOf(f)).toEqual([
      { field: "expenses[2].amount", message: "must have at most 2 decimal places (USD has 2)" },
      {
        field: "settlements[0].amount",
        message: "must be a whole number (no decimal places) (JPY has 0)",
      },
    ]);
  });

  it("refuses a history that breaks the ledger's rules", () => {
    const f = file();
    f.expenses[0].shares[0].amount = "301.00";
    f.expenses[1].payers[0].member = "Nobody";
    f.settlements[0].to = "Ravi";
    expect(issuesOf(f)).toEqual([
      { field: "expenses[0].shares", message: "must add up to the amount" },
      { field: "expenses[1].payers[0]", message: "names no member: Nobody" },
      { field: "settlements[0].to", message: "must differ from from" },
    ]);
    // EQUAL over the dinner's three gives 300.00 each: consistent. The taxi's EXACT values are
    // 125.00 + 125.00, so shares of 250.00 + 0.00 are not what its split gives.
    const g = file();
    g.expenses[0].split = { type: "EQUAL", values: null, items: null, tax: "0.00", tip: "0.00" };
    g.expenses[1].shares = [
      { member: "Asha", amount: "250.00" },
      { member: "Ravi", amount: "0.00" },
    ];
    expect(issuesOf(g)).toEqual([
      { field: "expenses[1].shares", message: "are not what the EXACT split gives" },
    ]);
  });

  it("keeps an export's ids and activity log when read, and checks each entry", () => {
    const withHistory = {
      ...group,
      members: group.members.map((m, i) => ({ ...m, userId: i + 1 })),
      expenses: group.expenses.map((e, i) => ({ ...e, id: 10 + i })),
      settlements: group.settlements.map((x, i) => ({ ...x, id: 20 + i })),
      activity: [
        {
          id: 7,
          kind: "expense.updated",
          actor: 1,
          at: "2026-11-20T10:00:00.000Z",
          expenseId: 10,
          settlementId: null,
          groupId: 3,
          changes: { amount: { from: "100.00", to: "90.00" } },
        },
      ],
    };
    const text = writeEvenlyJson(withHistory);
    expect(JSON.parse(text).activity[0]).toEqual({
      activityid: 7,
      kind: "expense.updated",
      actor: 1,
      at: "2026-11-20T10:00:00.000Z",
      expenseid: 10,
      settlementid: null,
      groupid: 3,
      changes: { amount: { from: "100.00", to: "90.00" } },
    });
    expect(JSON.parse(text).members[0].userid).toBe(1);
    expect(readEvenlyJson(text).group).toEqual(withHistory);
    // Files without them (hand-written, older exports) read as before.
    expect(JSON.parse(writeEvenlyJson(group))).not.toHaveProperty("activity");
    const f = JSON.parse(text);
    f.activity[0].at = "yesterday";
    f.activity[0].actor = 0;
    expect(issuesOf(f).map((i) => i.field)).toEqual(["activity[0].actor", "activity[0].at"]);
  });
});
