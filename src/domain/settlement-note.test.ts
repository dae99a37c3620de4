import { describe, expect, it } from "vitest";
import { MAX_NOTES } from "./expense.js";
import { describeSettlementNote, settlementNoteOf } from "./settlement-note.js";

// The rule a settlement's note meets wherever it comes from (the pages reach it without the API's
// schema): an expense's notes' rule.

describe("a settlement's note", () => {
  it("is trimmed, CR LF and CR as LF; blank or absent is none", () => {
    expect(settlementNoteOf(" \r\nCash\r\nat the airport\r ")).toBe("Cash\nat the airport");
    expect(settlementNoteOf(" \n ")).toBeNull();
    expect(settlementNoteOf(null)).toBeNull();
    expect(settlementNoteOf(undefined)).toBeNull();
  });

  it("has at most 1000 characters (code points) and no control character but LF", () => {
    expect(describeSettlementNote(null)).toEqual([]);
    expect(describeSettlementNote("é".repeat(MAX_NOTES))).toEqual([]);
    expect(describeSettlementNote("a\nb")).toEqual([]);
    for (const bad of ["x".repeat(MAX_NOTES + 1), "a\u0000b", "a\tb", "a\u2029b"])
      expect(describeSettlementNote(bad).map((i) => i.field)).toEqual(["note"]);
  });
});
