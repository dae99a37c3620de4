import { formatMinor } from "./currency.js";
import type { Paise } from "./money.js";

/** The kinds of activity entries (the API's contract: README "Activity and undo"). */
export const ACTIVITY_KINDS = [
  "expense.created",
  "expense.updated",
  "expense.deleted",
  "expense.restored",
  "settlement.created",
  "settlement.deleted",
  "settlement.restored",
  "group.created",
  "group.updated",
  "group.member_added",
  "group.member_removed",
] as const;

/**
 * What an activity entry records of an edit: `{field: {from, to}}` for each field that changed.
 * Money is a decimal string in the expense's currency ("33.34" INR, "1000" JPY), as everywhere at
 * the edges; people are listed with their amounts in the order the expense keeps them.
 */
export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

/** The parts of an expense an edit can change (whatever the repository's full record holds). */
export interface ExpenseFacts {
  description: string;
  category?: string | null;
  notes?: string | null;
  amount: Paise;
  currency: string;
  split: { type: string };
  date: string;
  groupId: number | null;
  payers: readonly { userId: number; amount: Paise }[];
  shares: readonly { userId: number; amount: Paise }[];
}

const people = (lines: readonly { userId: number; amount: Paise }[], currency: string) =>
  lines.map((l) => ({ userid: l.userId, amount: formatMinor(l.amount, currency) }));

/** The comparable view of an expense, field by field, as the API names the fields. */
function fieldsOf(e: ExpenseFacts): Record<string, unknown> {
  return {
    description: e.description,
    category: e.category ?? null,
    notes: e.notes ?? null,
    amount: formatMinor(e.amount, e.currency),
    currency: e.currency,
    split_type: e.split.type,
    date: e.date,
    group_id: e.groupId,
    payers: people(e.payers, e.currency),
    participants: people(e.shares, e.currency),
  };
}

/** The fields whose values differ (compared as JSON: arrays by order and content). */
export function diffFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): FieldChanges {
  const changes: FieldChanges = {};
  for (const key of Object.keys(after)) {
    const from = before[key] ?? null;
    const to = after[key] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
  }
  return changes;
}

/** An expense edit's changes (empty when it was saved unchanged). */
export function expenseChanges(before: ExpenseFacts, after: ExpenseFacts): FieldChanges {
  return diffFields(fieldsOf(before), fieldsOf(after));
}

/** Everyone an expense is about: its payers and participants (before and after), in first-seen order. */
export function expenseSubjects(...versions: ExpenseFacts[]): number[] {
  const ids = new Set<number>();
  for (const e of versions) {
    for (const p of e.payers) ids.add(p.userId);
    for (const s of e.shares) ids.add(s.userId);
  }
  return [...ids];
}
