import type { FieldIssue } from "./errors.js";
import { MAX_NOTES } from "./expense.js";
import { isMultiLine, toLineFeeds } from "./text.js";

// A settlement's optional note ("cash at the airport"): the same text rule as an expense's
// notes, so the two read and import alike.

/** Trimmed, CR LF and lone CRs as LF; nothing left (or nothing given) is null. */
export const settlementNoteOf = (text: string | null | undefined): string | null =>
  (text == null ? "" : toLineFeeds(text).trim()) || null;

/** The note's problem, if any: at most MAX_NOTES characters, no control character but LF. */
export function describeSettlementNote(note: string | null): FieldIssue[] {
  if (!note || (isMultiLine(note) && [...note].length <= MAX_NOTES)) return [];
  return [
    {
      field: "note",
      message: `must be at most ${MAX_NOTES} characters, without control characters other than line breaks`,
    },
  ];
}
