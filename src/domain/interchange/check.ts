/** Whether an interchange model can be imported: the ledger's rules, with JSON-path fields. */
import { describeAmount, describeCurrency, describeRate } from "../currency.js";
import { DATE_RANGE_MESSAGE, isDateInRange } from "../dates.js";
import { type FieldIssue, RuleViolation } from "../errors.js";
import { MAX_DESCRIPTION, splitSpecOf } from "../expense.js";
import { computeShares, type ExpenseSplitSpec } from "../splits.js";
import { isSingleLine } from "../text.js";
import {
  type InterchangeExpense,
  type InterchangeGroup,
  type InterchangeSettlement,
  type InterchangeSplit,
  isIsoDate,
  type MemberAmount,
} from "./model.js";

function describeText(text: string, field: string, issues: FieldIssue[]): void {
  if (text.trim() === "" || !isSingleLine(text) || [...text].length > MAX_DESCRIPTION) {
    issues.push({
      field,
      message: `must be one non-empty line of at most ${MAX_DESCRIPTION} characters`,
    });
  }
}

function describeDate(date: string, field: string, issues: FieldIssue[]): void {
  if (!isIsoDate(date)) issues.push({ field, message: "must be a date YYYY-MM-DD" });
  else if (!isDateInRange(date)) issues.push({ field, message: DATE_RANGE_MESSAGE });
}

/** The split as `computeShares` takes it, with member i as user id i + 1. */
function specOf(split: InterchangeSplit, idOf: (name: string) => number): ExpenseSplitSpec {
  return splitSpecOf({
    type: split.type,
    values: split.values ?? [],
    items: (split.items ?? []).map((i) => ({
      description: i.description,
      amount: i.amount,
      participants: i.members.map(idOf),
    })),
    tax: split.tax,
    tip: split.tip,
  });
}

function describeMembers(
  list: MemberAmount[],
  field: string,
  known: Map<string, number>,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  list.forEach((x, i) => {
    if (!known.has(x.member))
      issues.push({ field: `${field}[${i}]`, message: `names no member: ${x.member}` });
    if (seen.has(x.member))
      issues.push({ field: `${field}[${i}]`, message: `repeats ${x.member}` });
    seen.add(x.member);
    if (!Number.isSafeInteger(x.amount) || x.amount < 0) {
      issues.push({
        field: `${field}[${i}]`,
        message: "must be a whole, non-negative number of minor units",
      });
    }
  });
  return issues;
}

function describeExpense(
  e: InterchangeExpense,
  at: string,
  known: Map<string, number>,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  describeDate(e.date, `${at}.date`, issues);
  describeText(e.description, `${at}.description`, issues);
  const cur = describeCurrency(e.currency);
  if (cur) return [...issues, { field: `${at}.currency`, message: cur }];
  const amt = describeAmount(e.amount, e.currency);
  if (amt) issues.push({ field: `${at}.amount`, message: amt });
  const own = [
    ...describeMembers(e.payers, `${at}.payers`, known),
    ...describeMembers(e.shares, `${at}.shares`, known),
  ];
  issues.push(...own);
  if (e.payers.length === 0 || e.payers.some((p) => p.amount === 0)) {
    issues.push({
      field: `${at}.payers`,
      message: "must name at least one payer, each paying more than 0",
    });
  }
  const sum = (l: MemberAmount[]) => l.reduce((s, x) => s + x.amount, 0);
  if (sum(e.payers) !== e.amount)
    issues.push({ field: `${at}.payers`, message: "must add up to the amount" });
  if (sum(e.shares) !== e.amount)
    issues.push({ field: `${at}.shares`, message: "must add up to the amount" });
  if (e.original) {
    const oc = describeCurrency(e.original.currency);
    const oa = oc ? null : describeAmount(e.original.amount, e.original.currency);
    const or = describeRate(e.original.rate);
    for (const [f, m] of [
      ["currency", oc],
      ["amount", oa],
      ["rate", or],
    ] as const) {
      if (m) issues.push({ field: `${at}.original.${f}`, message: m });
    }
  }
  if (issues.length > 0) return issues;
  // The shares must be exactly what the split gives (member i as user i + 1).
  const idOf = (name: string) => known.get(name) ?? 0;
  try {
    const want = computeShares(
      e.amount,
      e.shares.map((s) => idOf(s.member)),
      specOf(e.split, idOf),
    );
    const same =
      want.length === e.shares.length &&
      want.every(
        (w, i) => w.userId === idOf(e.shares[i]?.member ?? "") && w.amount === e.shares[i]?.amount,
      );
    if (!same)
      issues.push({
        field: `${at}.shares`,
        message: `are not what the ${e.split.type} split gives`,
      });
  } catch (err) {
    if (!(err instanceof RuleViolation)) throw err;
    for (const i of err.issues)
      issues.push({ field: `${at}.split`, message: `${i.field} ${i.message}` });
  }
  return issues;
}

function describeSettlement(
  s: InterchangeSettlement,
  at: string,
  known: Map<string, number>,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  describeDate(s.date, `${at}.date`, issues);
  for (const f of ["from", "to"] as const) {
    if (!known.has(s[f])) issues.push({ field: `${at}.${f}`, message: `names no member: ${s[f]}` });
  }
  if (s.from === s.to) issues.push({ field: `${at}.to`, message: "must differ from from" });
  const cur = describeCurrency(s.currency);
  const amt = cur ? null : describeAmount(s.amount, s.currency);
  if (cur) issues.push({ field: `${at}.currency`, message: cur });
  if (amt) issues.push({ field: `${at}.amount`, message: amt });
  return issues;
}

/**
 * Every way the model breaks the ledger's rules, with JSON-path fields: unique non-empty member
 * names, valid dates, currencies and amounts, payers and shares adding up to each amount, and
 * shares exactly what the recorded split gives. Empty when the model can be imported.
 */
export function describeGroup(g: InterchangeGroup): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const known = new Map<string, number>();
  g.members.forEach((m, i) => {
    if (m.name.trim() === "" || !isSingleLine(m.name)) {
      issues.push({ field: `members[${i}].name`, message: "must be one non-empty line" });
    } else if (known.has(m.name)) {
      issues.push({ field: `members[${i}].name`, message: `repeats ${m.name}` });
    }
    known.set(m.name, i + 1);
  });
  const cur = describeCurrency(g.currency);
  if (cur) issues.push({ field: "group.currency", message: cur });
  g.expenses.forEach((e, i) => {
    issues.push(...describeExpense(e, `expenses[${i}]`, known));
  });
  g.settlements.forEach((s, i) => {
    issues.push(...describeSettlement(s, `settlements[${i}]`, known));
  });
  return issues;
}
