import type { Payment } from "./debts.js";
import { type FieldIssue, RuleViolation } from "./errors.js";
import { describeHeader, type ExpenseDraft, splitOf } from "./expense.js";
import type { Item } from "./itemized.js";
import { parseDecimal2 } from "./money.js";
import { describePayers } from "./payers.js";
import { describeParticipants, describeTotal } from "./split.js";
import {
  computeShares,
  describeSplit,
  EXPENSE_SPLIT_TYPES,
  type ExpenseSplitSpec,
  type ExpenseSplitType,
} from "./splits.js";

/** A decimal as the edges receive it: a JSON number (as its text) or a string. */
export type Decimal = string | number;

/** An expense as the API (or a page form) sends it; field names are the API's, so issues name them. */
export interface ExpenseInput {
  description: string;
  amount: Decimal;
  currency?: string | undefined;
  date?: string | undefined;
  /** Exactly one of `paid_by` (one payer, who paid it all) and `payers`. */
  paid_by?: number | undefined;
  payers?: { userid: number; amount: Decimal }[] | undefined;
  split_type: ExpenseSplitType | string;
  /** Required except for ITEMIZED, where it may be omitted (the items' participants). */
  participants?: number[] | undefined;
  /** EXACT, PERCENTAGE, SHARES, ADJUSTMENT: one per participant. */
  split_values?: Decimal[] | undefined;
  /** ITEMIZED only, with the optional `tax` and `tip`. */
  items?: { description: string; amount: Decimal; participants: number[] }[] | undefined;
  tax?: Decimal | undefined;
  tip?: Decimal | undefined;
  group_id?: number | null | undefined;
}

/** Parses a decimal into hundredths, noting an issue (and returning null) when it is not one. */
function decimal(v: Decimal, field: string, issues: FieldIssue[]): number | null {
  const r = parseDecimal2(v);
  if (r.ok) return r.value;
  issues.push({ field, message: r.message });
  return null;
}

/** The payers, or null when the input names none/both or an amount does not parse. */
function readPayers(input: ExpenseInput, total: number | null, issues: FieldIssue[]) {
  const hasOne = input.paid_by !== undefined;
  const hasMany = input.payers !== undefined;
  if (hasOne === hasMany) {
    issues.push({
      field: hasOne ? "payers" : "paid_by",
      message: hasOne
        ? "must not be given together with paid_by"
        : "is required: give paid_by (one payer) or payers",
    });
    return null;
  }
  if (input.paid_by !== undefined) {
    return total === null ? null : [{ userId: input.paid_by, amount: total }];
  }
  let ok = true;
  const payers: Payment[] = (input.payers ?? []).map((p, i) => {
    const amount = decimal(p.amount, `payers[${i}].amount`, issues);
    if (amount === null) ok = false;
    return { userId: p.userid, amount: amount ?? 0 };
  });
  return ok ? payers : null;
}

/** Values with an issue per malformed one; null if any is malformed. */
function readValues(values: Decimal[], field: string, issues: FieldIssue[]): number[] | null {
  const parsed = values.map((v, i) => decimal(v, `${field}[${i}]`, issues));
  return parsed.every((v) => v !== null) ? (parsed as number[]) : null;
}

function readItems(input: ExpenseInput, issues: FieldIssue[]): ExpenseSplitSpec | null {
  let ok = true;
  const items: Item[] = (input.items ?? []).map((item, i) => {
    const amount = decimal(item.amount, `items[${i}].amount`, issues);
    if (amount === null) ok = false;
    return { description: item.description, amount: amount ?? 0, participants: item.participants };
  });
  const tax = input.tax === undefined ? 0 : decimal(input.tax, "tax", issues);
  const tip = input.tip === undefined ? 0 : decimal(input.tip, "tip", issues);
  if (input.items === undefined) {
    issues.push({ field: "items", message: "are required for an ITEMIZED split" });
    return null;
  }
  return ok && tax !== null && tip !== null ? { type: "ITEMIZED", items, tax, tip } : null;
}

/** Fields that belong to other split types than the one chosen. */
function describeStrayFields(input: ExpenseInput, type: ExpenseSplitType): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const takesValues = type !== "EQUAL" && type !== "ITEMIZED";
  if (!takesValues && input.split_values !== undefined) {
    issues.push({ field: "split_values", message: `must be omitted for a ${type} split` });
  }
  if (type !== "ITEMIZED") {
    for (const field of ["items", "tax", "tip"] as const) {
      if (input[field] !== undefined) {
        issues.push({ field, message: "is only for an ITEMIZED split" });
      }
    }
  }
  return issues;
}

/** The split spec, or null when it cannot be read (issues noted). */
function readSpec(input: ExpenseInput, issues: FieldIssue[]): ExpenseSplitSpec | null {
  const type = input.split_type;
  if (!(EXPENSE_SPLIT_TYPES as readonly string[]).includes(type)) {
    issues.push({
      field: "split_type",
      message: `must be one of ${EXPENSE_SPLIT_TYPES.join(", ")}`,
    });
    return null;
  }
  const t = type as ExpenseSplitType;
  issues.push(...describeStrayFields(input, t));
  if (t === "EQUAL") return { type: "EQUAL" };
  if (t === "ITEMIZED") return readItems(input, issues);
  if (input.split_values === undefined) {
    issues.push({ field: "split_values", message: `is required for a ${t} split` });
    return null;
  }
  const v = readValues(input.split_values, "split_values", issues);
  if (v === null) return null;
  if (t === "EXACT") return { type: t, amounts: v };
  if (t === "PERCENTAGE") return { type: t, basisPoints: v };
  if (t === "SHARES") return { type: t, weights: v };
  return { type: t, adjustments: v };
}

/** Keeps the first of identical issues (the amount can be judged by the split and by the payers). */
function unique(issues: FieldIssue[]): FieldIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.field}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Reads, checks and splits an expense from its input: pure, no I/O (whether the users exist and
 * are known is the service's business). `today` (YYYY-MM-DD) is the date when none is given.
 * Throws one RuleViolation listing EVERY problem found (fields named as in the API: `amount`,
 * `paid_by`, `payers[1].amount`, `split_values[2]`, `items[0].participants`, `tax`, …); a value
 * that does not parse is reported and the checks that need it are skipped.
 */
export function buildExpense(input: ExpenseInput, today: string): ExpenseDraft {
  const issues: FieldIssue[] = [];
  const amount = decimal(input.amount, "amount", issues);
  const draftHeader = {
    description: input.description,
    date: input.date ?? today,
    currency: input.currency ?? "INR",
    groupId: input.group_id ?? null,
  };
  issues.push(...describeHeader(draftHeader));
  const payers = readPayers(input, amount, issues);
  const spec = readSpec(input, issues);
  if (amount !== null) {
    issues.push(...describeTotal(amount));
    if (payers !== null) {
      // With `paid_by`, the one payer's problems are paid_by's.
      const payerIssues = describePayers(payers, amount);
      issues.push(
        ...(input.paid_by === undefined
          ? payerIssues
          : payerIssues.map((i) => ({ ...i, field: "paid_by" }))),
      );
    }
    if (spec !== null) issues.push(...describeSplit(amount, input.participants ?? null, spec));
  }
  if ((amount === null || spec === null) && input.participants !== undefined) {
    // The split cannot be judged, but the people can: listed with the rest.
    issues.push(...describeParticipants(input.participants));
  }
  if (issues.length > 0 || amount === null || payers === null || spec === null) {
    throw new RuleViolation("The expense is not valid", unique(issues));
  }
  const shares = computeShares(amount, input.participants ?? null, spec);
  // Payers by user id: the canonical order, so the pairwise debts (which depend on the payers'
  // order) are the same when written and when recomputed from the stored rows.
  const byUser = [...payers].sort((x, y) => x.userId - y.userId);
  return { ...draftHeader, amount, payers: byUser, shares, split: splitOf(spec) };
}
