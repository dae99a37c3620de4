import { bookExpense, readExchangeRate } from "./booking.js";
import { isCurrencyCode, minorDigits } from "./currency.js";
import type { Payment } from "./debts.js";
import { type FieldIssue, RuleViolation } from "./errors.js";
import { describeHeader, type ExpenseDraft, splitOf } from "./expense.js";
import type { Item } from "./itemized.js";
import { parseDecimal2, parseDecimalPlaces } from "./money.js";
import { describePayers } from "./payers.js";
import { describeParticipants, describeTotal } from "./split.js";
import {
  computeShares,
  describeSplit,
  EXPENSE_SPLIT_TYPES,
  type ExpenseSplitSpec,
  type ExpenseSplitType,
} from "./splits.js";
import { toLineFeeds } from "./text.js";

/** A decimal as the edges receive it: a JSON number (as its text) or a string. */
export type Decimal = string | number;

/** An expense as the API (or a page form) sends it; field names are the API's, so issues name them. */
export interface ExpenseInput {
  description: string;
  /** Optional, one line; empty or null: none. */
  category?: string | null | undefined;
  /** Optional, line breaks allowed (CR LF kept as LF); empty or null: none. */
  notes?: string | null | undefined;
  amount: Decimal;
  /** ISO 4217; default: the group's currency in a group, else APP_CURRENCY (`ExpenseDefaults`). */
  currency?: string | undefined;
  /** In a group, for an expense in another currency: 1 unit of it in the group's currency. */
  exchange_rate?: Decimal | undefined;
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

/** What an expense gets when its input does not say. */
export interface ExpenseDefaults {
  /** The currency when none is given: the group's in a group, else APP_CURRENCY. */
  currency: string;
  /**
   * In a group: its currency, which an expense entered in another currency with an
   * `exchange_rate` is booked in. Null outside a group (where no rate is taken).
   */
  groupCurrency: string | null;
}

const INR_DEFAULTS: ExpenseDefaults = { currency: "INR", groupCurrency: null };

/** Parses a decimal into hundredths, noting an issue (and returning null) when it is not one. */
function decimal(v: Decimal, field: string, issues: FieldIssue[]): number | null {
  return noted(parseDecimal2(v), field, issues);
}

/** Parses money: minor units with at most the currency's digits (JPY `100.0` is refused). */
function money(v: Decimal, field: string, issues: FieldIssue[], digits: number): number | null {
  return noted(parseDecimalPlaces(v, digits), field, issues);
}

function noted(r: ReturnType<typeof parseDecimal2>, field: string, issues: FieldIssue[]) {
  if (r.ok) return r.value;
  issues.push({ field, message: r.message });
  return null;
}

/** The payers, or null when the input names none/both or an amount does not parse. */
function readPayers(
  input: ExpenseInput,
  total: number | null,
  issues: FieldIssue[],
  digits: number,
) {
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
    const amount = money(p.amount, `payers[${i}].amount`, issues, digits);
    if (amount === null) ok = false;
    return { userId: p.userid, amount: amount ?? 0 };
  });
  return ok ? payers : null;
}

/**
 * Values with an issue per malformed one; null if any is malformed. Money (`digits`: the
 * currency's) or hundredths (percentages, weights: null).
 */
function readValues(
  values: Decimal[],
  field: string,
  issues: FieldIssue[],
  digits: number | null,
): number[] | null {
  const parsed = values.map((v, i) =>
    digits === null
      ? decimal(v, `${field}[${i}]`, issues)
      : money(v, `${field}[${i}]`, issues, digits),
  );
  return parsed.every((v) => v !== null) ? (parsed as number[]) : null;
}

function readItems(
  input: ExpenseInput,
  issues: FieldIssue[],
  digits: number,
): ExpenseSplitSpec | null {
  let ok = true;
  const items: Item[] = (input.items ?? []).map((item, i) => {
    const amount = money(item.amount, `items[${i}].amount`, issues, digits);
    if (amount === null) ok = false;
    return { description: item.description, amount: amount ?? 0, participants: item.participants };
  });
  const tax = input.tax === undefined ? 0 : money(input.tax, "tax", issues, digits);
  const tip = input.tip === undefined ? 0 : money(input.tip, "tip", issues, digits);
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
function readSpec(
  input: ExpenseInput,
  issues: FieldIssue[],
  digits: number,
): ExpenseSplitSpec | null {
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
  if (t === "ITEMIZED") return readItems(input, issues, digits);
  if (input.split_values === undefined) {
    issues.push({ field: "split_values", message: `is required for a ${t} split` });
    return null;
  }
  const isMoney = t === "EXACT" || t === "ADJUSTMENT";
  const v = readValues(input.split_values, "split_values", issues, isMoney ? digits : null);
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
 * are known is the service's business). `today` (YYYY-MM-DD) is the date when none is given;
 * `defaults` the currency when none is given and the group's currency (INR, outside a group,
 * unless said).
 * Every amount has at most the currency's minor digits (INR 2, JPY 0, KWD 3) and is at most
 * 10,000,000 of its major units. With `exchange_rate` (in a group, another currency), the
 * checked expense is then booked in the group's currency (`bookExpense`).
 * Throws one RuleViolation listing EVERY problem found (fields named as in the API: `amount`,
 * `paid_by`, `payers[1].amount`, `split_values[2]`, `items[0].participants`, `tax`, …); a value
 * that does not parse is reported and the checks that need it are skipped.
 */
export function buildExpense(
  input: ExpenseInput,
  today: string,
  defaults: ExpenseDefaults = INR_DEFAULTS,
): ExpenseDraft {
  const issues: FieldIssue[] = [];
  const draftHeader = {
    description: input.description,
    // Optional text: trimmed, and nothing left (or nothing given) is null.
    category: input.category?.trim() || null,
    notes: (input.notes == null ? "" : toLineFeeds(input.notes).trim()) || null,
    date: input.date ?? today,
    currency: input.currency ?? defaults.currency,
    groupId: input.group_id ?? null,
  };
  issues.push(...describeHeader(draftHeader));
  // An unknown currency is reported; the amounts are then read as the default currency's.
  const currency = isCurrencyCode(draftHeader.currency) ? draftHeader.currency : defaults.currency;
  const digits = minorDigits(currency);
  const rate = readExchangeRate(input, currency, defaults, issues);
  const amount = money(input.amount, "amount", issues, digits);
  const payers = readPayers(input, amount, issues, digits);
  const spec = readSpec(input, issues, digits);
  if (amount !== null) {
    issues.push(...describeTotal(amount, currency));
    if (payers !== null) {
      // With `paid_by`, the one payer's id problems are paid_by's; what they paid is `amount`
      // itself, judged above (an amount of 0 is not also "paid_by: must be greater than 0").
      const payerIssues = describePayers(payers, amount, currency);
      issues.push(
        ...(input.paid_by === undefined
          ? payerIssues
          : payerIssues
              .filter((i) => i.field !== "payers[0].amount")
              .map((i) => ({ ...i, field: "paid_by" }))),
      );
    }
    if (spec !== null)
      issues.push(...describeSplit(amount, input.participants ?? null, spec, currency));
  }
  if ((amount === null || spec === null) && input.participants !== undefined) {
    // The split cannot be judged, but the people can: listed with the rest.
    issues.push(...describeParticipants(input.participants));
  }
  if (issues.length > 0 || amount === null || payers === null || spec === null) {
    throw new RuleViolation("The expense is not valid", unique(issues));
  }
  const participants = input.participants ?? null;
  const shares = computeShares(amount, participants, spec, currency);
  // Payers by user id: the canonical order, so the pairwise debts (which depend on the payers'
  // order) are the same when written and when recomputed from the stored rows.
  const byUser = [...payers].sort((x, y) => x.userId - y.userId);
  const draft = { ...draftHeader, amount, payers: byUser, shares, split: splitOf(spec) };
  if (rate === null || defaults.groupCurrency === null) return draft;
  return bookExpense(draft, rate, defaults.groupCurrency, participants);
}
