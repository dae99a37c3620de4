import { MAX_CATEGORY, MAX_NOTES } from "../domain/expense.js";
import type {
  InterchangeExpense,
  InterchangeGroup,
  InterchangeSettlement,
} from "../domain/interchange/model.js";
import type { SplitType } from "../domain/split.js";
import { toLineFeeds, toMultiLine, toOneLine } from "../domain/text.js";

// What of an imported file the ledger keeps as it is, what it adapts, and the problems that
// tells the importer (the dry run shows them before anything is written).

/**
 * The file's category and note as the expense keeps them, made fit for its rules (one line of at
 * most MAX_CATEGORY characters; at most MAX_NOTES, line breaks kept): a long note is cut rather
 * than the whole file refused. A Splitwise row with several payers has its note saying so.
 */
export function keptText(e: InterchangeExpense): { category: string | null; notes: string | null } {
  return {
    category: (e.category && toOneLine(e.category, MAX_CATEGORY)) || null,
    notes: (e.note && toMultiLine(e.note, MAX_NOTES)) || null,
  };
}

/** The file's settlement note as the settlement keeps it: the expense notes' rule, cut to fit. */
export const keptNote = (s: InterchangeSettlement): string | null =>
  (s.note && toMultiLine(s.note, MAX_NOTES)) || null;

/** The ledger stores EQUAL, EXACT and PERCENTAGE; any other split is kept as EXACT shares. */
export function ledgerSplit(e: InterchangeExpense): { type: SplitType; values: (number | null)[] } {
  const t = e.split.type;
  if (t === "EQUAL") return { type: t, values: e.shares.map(() => null) };
  if ((t === "EXACT" || t === "PERCENTAGE") && e.split.values)
    return { type: t, values: e.split.values };
  return { type: "EXACT", values: e.shares.map((s) => s.amount) };
}

export function problemsOf(g: InterchangeGroup, read: string[]): string[] {
  const problems = [...read];
  const converted = g.expenses.filter(
    (e) => !["EQUAL", "EXACT", "PERCENTAGE"].includes(e.split.type),
  ).length;
  if (converted > 0)
    problems.push(
      `${converted} expense(s) split by shares, adjustment or items are kept as exact amounts`,
    );
  const cut = g.expenses.filter((e) => {
    const kept = keptText(e);
    return (
      kept.category !== (e.category?.trim() || null) ||
      kept.notes !== (toLineFeeds(e.note ?? "").trim() || null)
    );
  }).length;
  if (cut > 0)
    problems.push(
      `${cut} expense(s) have a category or note cut or cleaned to fit (a category is one line of at most ${MAX_CATEGORY} characters, a note at most ${MAX_NOTES})`,
    );
  const cutNotes = g.settlements.filter(
    (s) => keptNote(s) !== (toLineFeeds(s.note ?? "").trim() || null),
  ).length;
  if (cutNotes > 0)
    problems.push(
      `${cutNotes} settlement(s) have a note cut or cleaned to fit (a note is at most ${MAX_NOTES} characters)`,
    );
  if (g.settlements.length > 0)
    problems.push(
      "Settlements are dated the day of the import (Evenly does not keep their dates yet)",
    );
  if (g.activity && g.activity.length > 0)
    problems.push(
      `The file's activity log (${g.activity.length} entries) stays in the file: the imported group starts a new history`,
    );
  return problems;
}
