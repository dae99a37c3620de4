import { describeCurrency, formatMinor } from "./currency.js";
import { DATE_RANGE_MESSAGE, isDateInRange } from "./dates.js";
import { expenseDeltas, type PairDelta, type Payment } from "./debts.js";
import { type FieldIssue, RuleViolation } from "./errors.js";
import type { Item } from "./itemized.js";
import type { Paise } from "./money.js";
import { describePayers } from "./payers.js";
import type { Share } from "./split.js";
import {
  computeShares,
  describeSplit,
  type ExpenseSplitSpec,
  type ExpenseSplitType,
} from "./splits.js";
import { isMultiLine, isSingleLine } from "./text.js";

export const MAX_DESCRIPTION = 500;
/** An expense's optional category ("Groceries") and notes: their longest, in characters. */
export const MAX_CATEGORY = 50;
export const MAX_NOTES = 1000;

/**
 * An expense entered in another currency than its group's, booked in the group's currency: what
 * was entered, and the rate it was booked at (1 unit of `currency` in the group's currency, an
 * exact decimal string such as "83.125").
 */
export interface OriginalAmount {
  /** Minor units of `currency`. */
  amount: number;
  currency: string;
  rate: string;
}

/** How an expense was split, as entered. */
export interface ExpenseSplit {
  type: ExpenseSplitType;
  /**
   * Aligned with `shares`: paise (EXACT), basis points (PERCENTAGE), hundredths of a weight
   * (SHARES), signed paise (ADJUSTMENT). Absent for EQUAL and ITEMIZED.
   */
  values?: number[];
  /** ITEMIZED only, with `tax` and `tip` (paise, ≥ 0). */
  items?: Item[];
  tax?: Paise;
  tip?: Paise;
}

/** An expense's content: everything a caller decides (what `buildExpense` returns). */
export interface ExpenseDraft {
  description: string;
  /** Optional: one line ("Groceries"); null (or absent) for none. */
  category?: string | null;
  /** Optional free text, line feeds kept; null (or absent) for none. */
  notes?: string | null;
  /** YYYY-MM-DD. */
  date: string;
  /** Minor units of `currency` (paise for INR); every amount of the expense is in it. */
  amount: Paise;
  /** ISO 4217. */
  currency: string;
  /** Set when entered in another currency and booked in this one at a rate; else null/absent. */
  original?: OriginalAmount | null;
  /** One or more; amounts > 0 adding up to `amount`. */
  payers: Payment[];
  /** In the participants' order; amounts ≥ 0 adding up to `amount`. */
  shares: Share[];
  split: ExpenseSplit;
  groupId: number | null;
}

/** A stored expense: its content plus what the ledger adds. */
export interface Expense extends ExpenseDraft {
  id: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  createdBy: number | null;
  updatedBy: number | null;
  /** Soft delete: null while the expense counts. */
  deletedAt: Date | null;
}

/** The spec that `computeShares` takes, from a split as stored. */
export function splitSpecOf(split: ExpenseSplit): ExpenseSplitSpec {
  const values = split.values ?? [];
  switch (split.type) {
    case "EQUAL":
      return { type: "EQUAL" };
    case "EXACT":
      return { type: "EXACT", amounts: values };
    case "PERCENTAGE":
      return { type: "PERCENTAGE", basisPoints: values };
    case "SHARES":
      return { type: "SHARES", weights: values };
    case "ADJUSTMENT":
      return { type: "ADJUSTMENT", adjustments: values };
    case "ITEMIZED":
      return {
        type: "ITEMIZED",
        items: split.items ?? [],
        tax: split.tax ?? 0,
        tip: split.tip ?? 0,
      };
  }
}

/** The stored form of a spec. */
export function splitOf(spec: ExpenseSplitSpec): ExpenseSplit {
  switch (spec.type) {
    case "EQUAL":
      return { type: "EQUAL" };
    case "EXACT":
      return { type: "EXACT", values: spec.amounts };
    case "PERCENTAGE":
      return { type: "PERCENTAGE", values: spec.basisPoints };
    case "SHARES":
      return { type: "SHARES", values: spec.weights };
    case "ADJUSTMENT":
      return { type: "ADJUSTMENT", values: spec.adjustments };
    case "ITEMIZED":
      return { type: "ITEMIZED", items: spec.items, tax: spec.tax, tip: spec.tip };
  }
}

/** Description, category, notes, date, currency and group: the parts that do not involve money. */
export function describeHeader(e: {
  description: string;
  category?: string | null | undefined;
  notes?: string | null | undefined;
  date: string;
  currency: string;
  groupId: number | null;
}): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (e.description.trim() === "") {
    issues.push({ field: "description", message: "must not be empty" });
  } else if (!isSingleLine(e.description) || [...e.description].length > MAX_DESCRIPTION) {
    issues.push({
      field: "description",
      message: `must be one line of at most ${MAX_DESCRIPTION} characters`,
    });
  }
  issues.push(...describeCategoryAndNotes(e));
  if (!/^\d{4}-\d{2}-\d{2}$/.test(e.date) || !isDateInRange(e.date)) {
    issues.push({ field: "date", message: DATE_RANGE_MESSAGE });
  }
  const currencyProblem = describeCurrency(e.currency);
  if (currencyProblem !== null) issues.push({ field: "currency", message: currencyProblem });
  if (e.groupId !== null && (!Number.isSafeInteger(e.groupId) || e.groupId <= 0)) {
    issues.push({ field: "group_id", message: "must be a group id" });
  }
  return issues;
}

/** The optional category (one line, like the description) and notes (line breaks allowed). */
function describeCategoryAndNotes(e: {
  category?: string | null | undefined;
  notes?: string | null | undefined;
}): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { category, notes } = e;
  if (category && (!isSingleLine(category) || [...category].length > MAX_CATEGORY)) {
    issues.push({
      field: "category",
      message: `must be one line of at most ${MAX_CATEGORY} characters`,
    });
  }
  if (notes && (!isMultiLine(notes) || [...notes].length > MAX_NOTES)) {
    issues.push({
      field: "notes",
      message: `must be at most ${MAX_NOTES} characters, without control characters other than line breaks`,
    });
  }
  return issues;
}

/**
 * Every way an expense breaks the ledger's rules: its header, its payers, and its shares, which
 * must be exactly what its split gives (recomputed from the amount, the participants in the
 * shares' order and the split). Empty when the expense is consistent; for rows read back from
 * the database, in tests and ledger checks.
 */
export function describeExpense(e: ExpenseDraft): FieldIssue[] {
  const issues = describeHeader(e);
  // Without a currency there is no telling its digits: the money is not judged.
  if (issues.some((i) => i.field === "currency")) return issues;
  const c = e.currency;
  issues.push(...describePayers(e.payers, e.amount, c));
  const participants = e.shares.map((s) => s.userId);
  const spec = splitSpecOf(e.split);
  const splitIssues = describeSplit(e.amount, participants, spec, c);
  issues.push(...splitIssues);
  if (splitIssues.length === 0) {
    const expected = computeShares(e.amount, participants, spec, c);
    e.shares.forEach((s, i) => {
      const want = expected[i]?.amount ?? 0;
      if (s.amount !== want) {
        issues.push({
          field: `participants[${i}]`,
          message: `has a share of ${formatMinor(s.amount, c)}; the split gives ${formatMinor(want, c)}`,
        });
      }
    });
  }
  return issues;
}

/** Throws a RuleViolation listing every problem `describeExpense` finds. */
export function checkExpense(e: ExpenseDraft): void {
  const issues = describeExpense(e);
  if (issues.length > 0) throw new RuleViolation("The expense is not valid", issues);
}

/** Everyone an expense involves (may read and edit it): payers, then participants, each once. */
export function involvedUserIds(e: Pick<ExpenseDraft, "payers" | "shares">): number[] {
  return [...new Set([...e.payers.map((p) => p.userId), ...e.shares.map((s) => s.userId)])];
}

/**
 * How the expense moves pairwise balances (`expenseDeltas`): one payer → every other participant
 * owes the payer their share, as always. Several payers → each share is owed to the payers in
 * proportion to what each paid, allocated share after share over what each payer has not yet
 * been allotted, so every payer's column adds up to exactly what they paid and every person's
 * net is exactly paid − share; someone who paid nothing owes only payers.
 *
 * Worked example: A paid 20.00 and B 22.00; shares A 15.00, B 15.00, C 12.00.
 * - A's 15.00 in proportion 20 : 22 → 7.14 to A (kept), 7.86 to B (largest remainder).
 * - B's 15.00 over what is left, 12.86 : 14.14 → 7.14 to A, 7.86 to B (kept).
 * - C's 12.00 takes exactly what is left: 5.72 to A, 6.28 to B.
 * Pairs: A owes B 7.86 − 7.14 = 0.72; C owes A 5.72 and B 6.28. Nets: A +5.72 − 0.72 = +5.00
 * (20 − 15), B +6.28 + 0.72 = +7.00 (22 − 15), C −12.00. Apportioning every share on its own
 * (C's 12.00 as 5.71 / 6.29) would leave A at +4.99.
 */
export function expenseDebts(e: Pick<ExpenseDraft, "payers" | "shares">): PairDelta[] {
  return expenseDeltas(e.payers, e.shares);
}
