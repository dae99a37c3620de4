import { describe, expect, it } from "vitest";
import { RuleViolation } from "./errors.js";
import { describeExpense, MAX_CATEGORY, MAX_NOTES } from "./expense.js";
import { buildExpense, type ExpenseInput } from "./expense-input.js";
import { toMultiLine } from "./text.js";

// An expense's optional category and notes in the domain: what the pages and the API store, and
// the rule (a 422) for whatever reaches it without the API schema's 400 first.

const build = (over: Partial<ExpenseInput>) =>
  buildExpense(
    {
      description: "Dinner",
      amount: "42.00",
      split_type: "EQUAL",
      paid_by: 1,
      participants: [1, 2],
      ...over,
    },
    "2026-05-01",
  );
const fieldsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleViolation) return e.issues.map((i) => i.field);
    throw e;
  }
  return [];
};

describe("category and notes", () => {
  it("are trimmed; empty or blank is none; notes keep line feeds (CR LF and CR as LF)", () => {
    expect(build({ category: " Rent ", notes: "\r\nline 1\r\nline 2\rline 3 \n" })).toMatchObject({
      category: "Rent",
      notes: "line 1\nline 2\nline 3",
    });
    expect(build({ category: "  ", notes: "\r\n" })).toMatchObject({ category: null, notes: null });
    expect(build({ category: null })).toMatchObject({ category: null, notes: null });
  });

  it("a category is one line of at most 50 characters; notes at most 1000, only line breaks", () => {
    expect(fieldsOf(() => build({ category: "é".repeat(MAX_CATEGORY) }))).toEqual([]);
    expect(fieldsOf(() => build({ notes: "é".repeat(MAX_NOTES) }))).toEqual([]);
    expect(fieldsOf(() => build({ category: "é".repeat(MAX_CATEGORY + 1) }))).toEqual(["category"]);
    expect(fieldsOf(() => build({ category: "a\nb", notes: "a\u0000b" }))).toEqual([
      "category",
      "notes",
    ]);
    expect(fieldsOf(() => build({ notes: "x".repeat(MAX_NOTES + 1), amount: "1.999" }))).toEqual([
      "notes",
      "amount",
    ]);
    // A stored row is judged the same way.
    const e = build({});
    expect(describeExpense({ ...e, notes: "tab\there" }).map((i) => i.field)).toEqual(["notes"]);
  });

  it("toMultiLine makes imported text fit: line feeds kept, other controls a space, cut with …", () => {
    expect(toMultiLine(" a\u0000\u0001b\r\nc\td ")).toBe("a b\nc d");
    expect(toMultiLine("abcdef", 4)).toBe("abc…");
  });
});
