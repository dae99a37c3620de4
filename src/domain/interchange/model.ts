/**
 * The interchange model: a group's whole history with people by NAME, as every import format
 * writes them (Splitwise CSV columns, Spliit participants, Evenly JSON members). Readers produce
 * it, writers consume it; mapping names to users is the importing service's business. Amounts
 * are integer minor units of their own currency. `describeGroup` (check.ts) says whether it
 * can be imported.
 */
import { type FieldIssue, RuleViolation } from "../errors.js";
import type { ExpenseSplitType } from "../splits.js";

export interface InterchangeMember {
  name: string;
  email: string | null;
  /** The member's user id where an Evenly export wrote it (the activity names people by id). */
  userId?: number;
}

/** What one member paid, or their share. */
export interface MemberAmount {
  member: string;
  amount: number;
}

export interface InterchangeItem {
  description: string;
  amount: number;
  members: string[];
}

/** How the expense was split, as entered (values as in `ExpenseSplit`: paise, bp, hundredths). */
export interface InterchangeSplit {
  type: ExpenseSplitType;
  /** Aligned with the shares; null for EQUAL and ITEMIZED. */
  values: number[] | null;
  /** ITEMIZED only (null otherwise), with tax and tip (0 otherwise). */
  items: InterchangeItem[] | null;
  tax: number;
  tip: number;
}

/** Entered in another currency and booked at a rate: `amount` is then in the expense's currency. */
export interface OriginalAmount {
  amount: number;
  currency: string;
  /** 1 unit of `currency` in the expense's currency, a decimal string. */
  rate: string;
}

export interface InterchangeExpense {
  /** Its id in the Evenly that exported it (the activity's `expenseid`); imports ignore it. */
  id?: number;
  /** YYYY-MM-DD. */
  date: string;
  description: string;
  category: string | null;
  /** Free text, e.g. what an import could not carry over. */
  note: string | null;
  currency: string;
  amount: number;
  /** Amounts > 0 adding up to `amount`. */
  payers: MemberAmount[];
  /** The participants in split order; amounts ≥ 0 adding up to `amount`. */
  shares: MemberAmount[];
  split: InterchangeSplit;
  original: OriginalAmount | null;
}

export interface InterchangeSettlement {
  /** Its id in the Evenly that exported it (the activity's `settlementid`); imports ignore it. */
  id?: number;
  date: string;
  /** Who paid `to`. */
  from: string;
  to: string;
  amount: number;
  currency: string;
  note: string | null;
}

/**
 * One entry of an Evenly export's activity log, as `GET …/activity` gives it: people, expenses
 * and settlements by id. History only: an import does not replay it.
 */
export interface InterchangeActivity {
  id: number;
  kind: string;
  actor: number;
  /** ISO 8601 timestamp. */
  at: string;
  expenseId: number | null;
  settlementId: number | null;
  groupId: number | null;
  changes: Record<string, { from: unknown; to: unknown }> | null;
}

export interface InterchangeGroup {
  name: string | null;
  currency: string;
  members: InterchangeMember[];
  expenses: InterchangeExpense[];
  settlements: InterchangeSettlement[];
  /** Evenly exports only; absent in the other formats. */
  activity?: InterchangeActivity[];
}

/** What a reader gives: the model and what the file could not say exactly (shown to the user). */
export interface ImportResult {
  group: InterchangeGroup;
  problems: string[];
}

/** How many problems of one file a 422 lists: a hostile file could have millions. */
export const MAX_LISTED_ISSUES = 100;

/** The first MAX_LISTED_ISSUES issues, and one more saying how many were left out. */
export function listedIssues(issues: FieldIssue[]): FieldIssue[] {
  if (issues.length <= MAX_LISTED_ISSUES) return issues;
  const more = issues.length - MAX_LISTED_ISSUES;
  return [
    ...issues.slice(0, MAX_LISTED_ISSUES),
    { field: "file", message: `has ${more} more problem(s) like these, not listed` },
  ];
}

/**
 * A file that cannot be read: its problems with where they are (`line 7`, `expenses[2].amount`).
 * `detail` replaces "The … file is not valid" where that would mislead (a file too large to read).
 */
export class MalformedFile extends RuleViolation {
  constructor(
    readonly format: string,
    issues: FieldIssue[],
    detail = `The ${format} file is not valid`,
  ) {
    super(detail, listedIssues(issues));
  }
}

export interface Mismatch {
  currency: string;
  member: string;
  /** What the file's rows add up to, and what its totals row says (minor units). */
  computed: number;
  expected: number;
}

/** The rows do not add up to the file's own balances: nothing may be imported. */
export class BalanceMismatch extends RuleViolation {
  constructor(
    readonly mismatches: Mismatch[],
    issues: FieldIssue[],
  ) {
    super("The file's rows do not add up to its balances", listedIssues(issues));
  }
}

export const isIsoDate = (d: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return false;
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(d);
};

/** Each member's net (paid − share, settlements: from +, to −) per currency, minor units. */
export function netsByCurrency(g: InterchangeGroup): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  const add = (currency: string, member: string, amount: number) => {
    const m = out.get(currency) ?? new Map<string, number>();
    m.set(member, (m.get(member) ?? 0) + amount);
    out.set(currency, m);
  };
  for (const e of g.expenses) {
    for (const p of e.payers) add(e.currency, p.member, p.amount);
    for (const s of e.shares) add(e.currency, s.member, -s.amount);
  }
  for (const s of g.settlements) {
    add(s.currency, s.from, s.amount);
    add(s.currency, s.to, -s.amount);
  }
  return out;
}

/** `netsByCurrency` as a list: currencies in code order, members in the group's order, zeros kept. */
export function netList(g: InterchangeGroup): { name: string; currency: string; amount: number }[] {
  const nets = netsByCurrency(g);
  return [...nets.keys()].sort().flatMap((currency) =>
    g.members.map((m) => ({
      name: m.name,
      currency,
      amount: nets.get(currency)?.get(m.name) ?? 0,
    })),
  );
}
